"""The auditor's portal filters (GET): status, UTC days, subject jurisdiction, job."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from destruction.selectors.portal import PortalFilters
from windown.forms import DATE_WIDGET


class PortalFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    since = forms.DateField(label=_("From (UTC)"), required=False, widget=DATE_WIDGET)
    until = forms.DateField(label=_("Until (UTC)"), required=False, widget=DATE_WIDGET)
    jurisdiction = forms.ChoiceField(label=_("Customers' jurisdiction"), required=False)
    job = forms.CharField(
        label=_("Job"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": _("reference or id")}),
    )

    def __init__(self, data, *, status_label, status_choices, jurisdictions):
        super().__init__(data or None)
        self.fields["status"].label = status_label
        self.fields["status"].choices = [("", _("any")), *status_choices]
        self.fields["jurisdiction"].choices = [("", _("any")), *((j, j) for j in jurisdictions)]

    def filters(self) -> PortalFilters:
        """Return the filters given; an invalid form filters nothing (its errors are shown)."""
        if not self.is_bound or not self.is_valid():
            return PortalFilters()
        return PortalFilters(**self.cleaned_data)
