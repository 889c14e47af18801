"""Forms of the compliance pages; they parse input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from compliance.models import OpenMatter, Rule
from compliance.models.decisions import OVERRIDE_DISPOSITIONS, Disposition
from compliance.services.rulesets import EDITABLE_RULE_FIELDS
from inventory.models import DataCategory, DataSystem

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _codes(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


class CategoryChoiceField(forms.ModelChoiceField):
    """Data categories by their label in the reader's language, not their key."""

    def label_from_instance(self, obj) -> str:
        return obj.label


class CategoriesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


class ApproveForm(forms.Form):
    fingerprint = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason (required when the proposal has a conflict)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    reason = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GroupApproveForm(forms.Form):
    category_id = forms.IntegerField(widget=forms.HiddenInput)
    jurisdiction = forms.CharField(widget=forms.HiddenInput)
    disposition = forms.CharField(widget=forms.HiddenInput)
    signature = forms.CharField(widget=forms.HiddenInput)


class OverrideForm(forms.Form):
    # compliance/override.js hides the archive-only date unless "archive" is chosen
    disposition = forms.ChoiceField(
        label=_("Disposition"),
        choices=[(d.value, d.label) for d in OVERRIDE_DISPOSITIONS],
        widget=forms.Select(attrs={"data-archive-choice": Disposition.ARCHIVE.value}),
    )
    retain_until = forms.DateField(
        label=_("Retain until (archive only)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "data-archive-only": ""}, format="%Y-%m-%d"),
    )
    delete_by = forms.DateField(label=_("Delete by"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Written reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        """Ignore an archive date sent with another disposition (a field left from archive)."""
        cleaned = super().clean()
        if cleaned.get("disposition") != Disposition.ARCHIVE:
            cleaned["retain_until"] = None
        return cleaned


class HoldForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=60)
    case_reference = forms.CharField(label=_("Case reference"), max_length=200, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    systems = forms.ModelMultipleChoiceField(
        label=_("Systems (none: all)"), queryset=DataSystem.objects.none(), required=False
    )
    categories = CategoriesChoiceField(
        label=_("Categories (none: all)"), queryset=DataCategory.objects.none(), required=False
    )
    jurisdictions = forms.CharField(
        label=_("Subject jurisdictions, comma-separated (none: all; EU covers its members)"),
        required=False,
    )
    customer_references = forms.CharField(
        label=_("Customer references, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Holdings count records in aggregate: every holding in scope is kept whole."),
    )
    review_on = forms.DateField(label=_("Review date"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, winddown, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["systems"].queryset = winddown.data_systems.all()
        self.fields["categories"].queryset = winddown.data_categories.all()

    def clean_jurisdictions(self):
        return [code.upper() for code in _codes(self.cleaned_data["jurisdictions"])]

    def clean_customer_references(self):
        return _codes(self.cleaned_data["customer_references"])


class MatterForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=60)
    matter_type = forms.ChoiceField(label=_("Type"), choices=OpenMatter.Type.choices)
    customer_reference = forms.CharField(label=_("Customer reference"), max_length=100)
    opened_on = forms.DateField(label=_("Opened on"), widget=DATE_WIDGET)
    system = forms.ModelChoiceField(
        label=_("Covers: system"), queryset=DataSystem.objects.none(), required=False
    )
    category = CategoryChoiceField(
        label=_("Covers: category"), queryset=DataCategory.objects.none(), required=False
    )
    jurisdiction = forms.CharField(label=_("Covers: subject jurisdiction"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, winddown, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = winddown.data_systems.all()
        self.fields["category"].queryset = winddown.data_categories.all()

    def clean_jurisdiction(self):
        return self.cleaned_data["jurisdiction"].strip().upper()


class MatterImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


class ResolveForm(forms.Form):
    resolved_on = forms.DateField(label=_("Resolved on"), widget=DATE_WIDGET)
    resolution = forms.CharField(
        label=_("Resolution"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ListField(forms.CharField):
    """A JSON list edited as comma-separated text."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return _codes(super().to_python(value) or "")


class RuleForm(forms.ModelForm):
    record_types = ListField(label=_("Record types"))
    subject_scope = ListField(label=_("Subjects concerned"), required=False)
    keep_fields = ListField(label=_("Fields kept in the archive"), required=False)
    drop_fields = ListField(label=_("Fields that are not part of the record"), required=False)

    class Meta:
        model = Rule
        fields = list(EDITABLE_RULE_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
