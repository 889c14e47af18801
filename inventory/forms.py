from django import forms
from django.utils.translation import gettext_lazy as _

from inventory.datamap.columns import join_fields, split_fields
from inventory.models import DataCategory, DataSystem, Holding
from windown import roles, textencoding
from windown.models import Membership


class ServiceValidatedForm(forms.ModelForm):
    """A model form that leaves its instance alone: the service validates and saves."""

    def _post_clean(self):
        pass


class DataSystemForm(ServiceValidatedForm):
    class Meta:
        model = DataSystem
        fields = [
            "name",
            "kind",
            "department",
            "custodian",
            "status",
            "hosting_provider",
            "hosting_region",
            "storage_country",
            "processor_name",
            "processor_email",
            "description",
            "make",
            "model",
            "serial_number",
            "asset_number",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "make": _(
                "For physical media (laptops, drives, paper archives): the destruction "
                "certificate names make, model, serial and asset numbers."
            ),
        }

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["custodian"].queryset = membership.winddown.memberships.select_related(
            "user"
        ).order_by("user__email")
        self.fields["custodian"].label_from_instance = lambda m: (
            f"{m.user} ({m.department or m.get_role_display()})"
        )
        if not roles.can(membership, "inventory.change", department=None):
            # a custodian declares systems of their own department only
            self.fields["department"].initial = membership.department
            self.fields["department"].disabled = True


class HoldingForm(ServiceValidatedForm):
    fields_text = forms.CharField(
        label=_("Fields"),
        required=False,
        help_text=_("Field names the records contain, separated by semicolons."),
    )

    class Meta:
        model = Holding
        fields = [
            "category",
            "source",
            "jurisdiction",
            "records_total",
            "records_active",
            "records_dormant",
            "oldest_record",
            "newest_record",
            "notes",
        ]
        widgets = {
            "oldest_record": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "newest_record": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "jurisdiction": _("Where the data subjects are: ISO country code, US-CA or OTHER."),
        }

    def __init__(self, *args, winddown, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = DataCategory.objects.filter(winddown=winddown)
        self.fields["category"].label_from_instance = lambda c: f"{c.key} — {c.label}"
        if self.instance.pk:
            self.fields["fields_text"].initial = join_fields(self.instance.fields)

    def clean_jurisdiction(self):
        return self.cleaned_data["jurisdiction"].strip().upper()

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["fields"] = split_fields(data.pop("fields_text", ""))
        return data


class DataCategoryForm(ServiceValidatedForm):
    class Meta:
        model = DataCategory
        fields = ["label_en", "label_zh", "sensitivity", "record_type", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class AttestationForm(forms.Form):
    confirm = forms.BooleanField(label=_("I have checked and confirm the statement above."))


class DataMapImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("XLSX or CSV (UTF-8, UTF-8 with BOM or GBK/GB18030), one row per holding."),
    )
    encoding = forms.ChoiceField(
        label=_("Text encoding (CSV)"),
        choices=textencoding.CHOICES,
        required=False,
        help_text=_("Leave it to be recognised, or choose it if the preview shows garbled text."),
    )
