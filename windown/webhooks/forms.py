from django import forms
from django.utils.translation import gettext_lazy as _

from windown.webhooks.events import event_choices


class EndpointForm(forms.Form):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=event_choices, widget=forms.CheckboxSelectMultiple
    )


class EndpointChangeForm(EndpointForm):
    is_active = forms.BooleanField(label=_("Enabled"), required=False)
