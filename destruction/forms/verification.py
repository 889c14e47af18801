"""The public verification form: a certificate PDF, or a serial and the SHA-256 of its PDF."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    pdf = forms.FileField(label=_("Certificate PDF"), required=False)
    serial = forms.CharField(label=_("Serial number"), max_length=30, required=False)
    sha256 = forms.CharField(label=_("SHA-256 of the PDF"), max_length=64, required=False)

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if upload and upload.size > settings.DESTRUCTION_VERIFY_MAX_BYTES:
            raise forms.ValidationError(
                _("This file is larger than a certificate can be (%(limit)s MiB at most).")
                % {"limit": settings.DESTRUCTION_VERIFY_MAX_BYTES // 2**20}
            )
        return upload

    def clean_sha256(self):
        value = self.cleaned_data.get("sha256", "").strip().lower()
        if value and not re.fullmatch(r"[0-9a-f]{64}", value):
            raise forms.ValidationError(_("A SHA-256 is 64 hexadecimal characters."))
        return value

    def clean(self):
        data = super().clean()
        given = data.get("pdf") or (data.get("serial") and data.get("sha256"))
        if not given and not self.errors:
            raise forms.ValidationError(
                _("Upload the certificate PDF, or enter its serial number and SHA-256.")
            )
        return data
