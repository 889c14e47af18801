from django import forms
from django.utils.translation import gettext_lazy as _

from windown.models import CompanyAttribute, TaxRegistration, WindDown
from windown.roles import Role

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WindDownForm(forms.ModelForm):
    tax_registrations = forms.MultipleChoiceField(
        label=_("Tax registrations"),
        choices=TaxRegistration.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    company_attributes = forms.MultipleChoiceField(
        label=_("Declared company facts"),
        choices=CompanyAttribute.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WindDown
        fields = [
            "slug",
            "company_legal_name",
            "company_local_name",
            "registration_country",
            "company_form",
            "tax_registrations",
            "company_attributes",
            "fiscal_year_end_month",
            "fiscal_year_end_day",
            "decision_date",
            "customer_notice_date",
            "operations_end_date",
            "deletion_deadline",
            "certificate_retention_years",
            "notice_lead_days",
            "support_email",
            "support_phone",
        ]
        widgets = {
            name: DATE_WIDGET
            for name in (
                "decision_date",
                "customer_notice_date",
                "operations_end_date",
                "deletion_deadline",
            )
        }


class WindDownSettingsForm(WindDownForm):
    class Meta(WindDownForm.Meta):
        fields = [f for f in WindDownForm.Meta.fields if f != "slug"] + ["status"]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    department = forms.CharField(
        label=_("Department"),
        required=False,
        help_text=_("Required for custodians, e.g. Sales, Support, IT, Marketing, Finance."),
    )


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    department = forms.CharField(label=_("Department"), required=False)


class AuditFilterForm(forms.Form):
    """The audit trail's filters (GET); the export carries the same ones."""

    action = forms.CharField(label=_("Action starts with"), required=False, max_length=80)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=254)
    obj = forms.CharField(
        label=_("Object"),
        required=False,
        max_length=150,
        help_text=_("A type, optionally with #id: destruction.destructionjob#3"),
    )
    since = forms.DateField(label=_("From (UTC)"), required=False, widget=DATE_WIDGET)
    until = forms.DateField(label=_("Until (UTC)"), required=False, widget=DATE_WIDGET)

    def filters(self) -> dict:
        """Return the valid filters given (an invalid form filters nothing)."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}
