"""Forms of the archive pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from compliance.models import Decision


class ArchiveUploadForm(forms.Form):
    decision = forms.ModelChoiceField(label=_("Archive decision"), queryset=None)
    file = forms.FileField(
        label=_("Export of the records (CSV in UTF-8 or GB18030, or XLSX)"),
        help_text=_(
            "Row 1 names the columns. Every column must be one the decision keeps or drops; "
            "an unknown column refuses the whole file."
        ),
    )

    def __init__(self, *args, decisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = (
            decisions if decisions is not None else Decision.objects.none()
        )
        self.fields["decision"].label_from_instance = lambda d: (
            f"{d.holding.label} · {_('until')} {d.effective_retain_until or '—'}"
        )


class CustodianKeyForm(forms.Form):
    custodian_name = forms.CharField(label=_("Custodian"), max_length=200)
    custodian_email = forms.EmailField(label=_("Custodian's email"), required=False)
    recipient = forms.CharField(
        label=_("age public key"),
        max_length=200,
        help_text=_(
            "The custodian runs age-keygen -o custodian.key on a machine they control and "
            "sends only the line starting with age1. Never paste the AGE-SECRET-KEY line."
        ),
        widget=forms.TextInput(attrs={"placeholder": "age1…", "autocomplete": "off"}),
    )


class VerifyForm(forms.Form):
    custodian_name = forms.CharField(label=_("Custodian who read it back"), max_length=200)
    plaintext_sha256 = forms.CharField(
        label=_("SHA-256 of the decrypted file (sha256sum)"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class RetireKeyForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
