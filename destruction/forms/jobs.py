"""Forms of the destruction pages; they parse input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from destruction.models import (
    CustodyHandover,
    DestructionJob,
    Evidence,
    JobItem,
    Vendor,
    VendorCertification,
)
from destruction.services.jobs import PERFORM_FIELDS, PLAN_FIELDS, VERIFY_FIELDS
from inventory.models import DataSystem, Holding

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"})


class JobForm(forms.ModelForm):
    class Meta:
        model = DestructionJob
        fields = ["title", "vendor", "notes"]

    def __init__(self, *args, winddown, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.filter(winddown=winddown)
        self.fields["vendor"].required = False


class PlanForm(forms.ModelForm):
    class Meta:
        model = DestructionJob
        fields = ["vendor", *PLAN_FIELDS]

    def __init__(self, *args, winddown, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.filter(winddown=winddown)


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=JobItem.Kind.choices)
    holding = forms.ModelChoiceField(
        label=_("Holding"), queryset=Holding.objects.none(), required=False
    )
    system = forms.ModelChoiceField(
        label=_("Source system"), queryset=DataSystem.objects.none(), required=False
    )
    media_type = forms.ChoiceField(
        label=_("Media type"), choices=[("", "—"), *JobItem.MediaType.choices], required=False
    )
    manufacturer = forms.CharField(label=_("Manufacturer"), required=False)
    model = forms.CharField(label=_("Model"), required=False)
    serial_number = forms.CharField(label=_("Serial number"), required=False)
    asset_number = forms.CharField(label=_("Asset / property number"), required=False)

    def __init__(self, *args, winddown, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holding"].label_from_instance = lambda holding: holding.label
        self.fields["holding"].queryset = Holding.objects.filter(
            winddown=winddown, destroyed_at__isnull=True
        ).select_related("system", "category")
        self.fields["system"].queryset = DataSystem.objects.filter(winddown=winddown)

    def item_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "") and k != "kind"}
        return data


class ScheduleForm(forms.Form):
    scheduled_for = forms.DateTimeField(label=_("Scheduled for (UTC)"), widget=DATETIME)


class PerformForm(forms.ModelForm):
    class Meta:
        model = DestructionJob
        fields = list(PERFORM_FIELDS)
        widgets = {"started_at": DATETIME, "finished_at": DATETIME}

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in (
            "sanitization_level",
            "technique",
            "performer_name",
            "started_at",
            "finished_at",
        ):
            self.fields[name].required = True
        self.items = list(items)
        for item in self.items:
            self.fields[f"outcome_{item.pk}"] = forms.ChoiceField(
                label=_("Outcome: %(item)s") % {"item": item.display_label},
                choices=[("", "—"), *JobItem.Outcome.choices],
            )
            self.fields[f"exception_{item.pk}"] = forms.CharField(
                label=_("Exception (what was not destroyed)"), required=False
            )
            self.fields[f"notes_{item.pk}"] = forms.CharField(label=_("Notes"), required=False)

    def outcomes(self) -> dict[int, dict[str, str]]:
        data = self.cleaned_data
        return {
            item.pk: {
                "outcome": data.get(f"outcome_{item.pk}", ""),
                "exception_text": data.get(f"exception_{item.pk}", ""),
                "notes": data.get(f"notes_{item.pk}", ""),
            }
            for item in self.items
        }

    def method(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in PERFORM_FIELDS}


class VerifyForm(forms.ModelForm):
    class Meta:
        model = DestructionJob
        fields = list(VERIFY_FIELDS)


class HandoverForm(forms.ModelForm):
    class Meta:
        model = CustodyHandover
        fields = ["from_party", "to_party", "handed_over_at", "place", "seal_ids", "notes"]
        widgets = {"handed_over_at": DATETIME}


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Evidence.Kind.choices)
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), required=False, max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class VendorForm(forms.ModelForm):
    class Meta:
        model = Vendor
        fields = ["name", "contact_name", "contact_email", "contact_phone", "country"]


class CertificationForm(forms.ModelForm):
    copy = forms.FileField(label=_("Uploaded copy"), required=False)

    class Meta:
        model = VendorCertification
        fields = ["scheme", "number", "issuer", "valid_from", "expires_on"]
        widgets = {"valid_from": DATE, "expires_on": DATE}


class OverrideForm(forms.Form):
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=Vendor.objects.none())
    reason = forms.CharField(label=_("Written reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, winddown, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.filter(winddown=winddown)
