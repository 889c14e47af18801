from django import forms
from django.utils.translation import gettext_lazy as _

from notices.models import Campaign, Language, NoticeTemplate, ReceiptTemplate, SubjectRequest
from windown import textencoding


class CampaignForm(forms.ModelForm):
    audience_jurisdictions = forms.CharField(
        label=_("Jurisdictions"),
        required=False,
        help_text=_("Comma-separated codes (DE, FR, US-CA, CN…). Empty means all."),
    )
    audience_languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means all."),
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "audience_jurisdictions",
            "audience_languages",
            "audience_open_order",
            "rate_limit",
            "from_email",
            "reply_to",
            "support_email",
            "support_phone",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["audience_jurisdictions"] = ", ".join(self.instance.audience_jurisdictions)

    def clean_audience_jurisdictions(self):
        raw = self.cleaned_data["audience_jurisdictions"]
        return [code.strip().upper() for code in raw.replace(";", ",").split(",") if code.strip()]


class LeadConfirmForm(forms.Form):
    confirm_reason = forms.CharField(
        label=_("Director's reason for a short notice period"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StartForm(LeadConfirmForm):
    """Starting sends to everyone at once: the person confirms the audience they were shown."""

    audience_size = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I have checked the audience, the languages and the deletion date."),
        required=True,
        error_messages={"required": _("Tick the box to confirm the audience before sending.")},
    )


class ScheduleForm(LeadConfirmForm):
    scheduled_at = forms.DateTimeField(
        label=_("Send at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class TemplateForm(forms.ModelForm):
    class Meta:
        model = NoticeTemplate
        fields = ["subject", "text_body", "html_body"]
        widgets = {
            "text_body": forms.Textarea(attrs={"rows": 18}),
            "html_body": forms.Textarea(attrs={"rows": 18}),
        }


class ReceiptTemplateForm(forms.ModelForm):
    class Meta:
        model = ReceiptTemplate
        fields = ["subject", "text_body", "html_body"]
        widgets = TemplateForm.Meta.widgets


class TestSendForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    to = forms.EmailField(label=_("Send to"))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    encoding = forms.ChoiceField(
        label=_("Text encoding (CSV)"), choices=textencoding.CHOICES, required=False
    )
    skip_invalid = forms.BooleanField(
        label=_("Skip invalid rows and import the rest"), required=False
    )


class ImportStartForm(forms.Form):
    """Start a previewed import, in the encoding the preview was read with or another."""

    encoding = forms.ChoiceField(
        label=_("Text encoding (CSV)"), choices=textencoding.CHOICES, required=False
    )
    skip_invalid = forms.BooleanField(
        label=_("Skip invalid rows and import the rest"), required=False
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply to the customer"), widget=forms.Textarea(attrs={"rows": 5})
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}))


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Not resolved")), *SubjectRequest.Status.choices],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
