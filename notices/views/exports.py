"""The compiled copy of a customer's data: support attaches it, the customer downloads it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from notices.models import SubjectRequest
from notices.services.exports import (
    ExportUnavailable,
    request_export_attach,
    request_export_download,
)
from notices.views.public import _problem, _TokenView
from notices.views.requests import RequestMixin
from windown.views.errors import show_error


class ExportAttachView(RequestMixin, View):
    permission = "notices.requests.handle"

    def post(self, request, slug, pk):
        subject_request = self.get_request()
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError({"file": _("Choose the file to hand to the customer.")})
            request_export_attach(
                by=self.membership,
                request=subject_request,
                filename=upload.name,
                content=upload.read(),
            )
            messages.success(
                request, _("The copy is stored encrypted and offered on the customer's page.")
            )
        except ValidationError as error:
            show_error(error, request=request)
        return redirect(subject_request.get_absolute_url())


class ExportDownloadView(_TokenView):
    """The customer's download, from their personal page."""

    def get(self, request, slug, token, pk):
        subject_request = get_object_or_404(
            SubjectRequest, pk=pk, recipient=self.recipient, type=SubjectRequest.Type.EXPORT
        )
        try:
            filename, content = request_export_download(request=subject_request)
        except ExportUnavailable:
            return _problem(request, 410, "export_gone", self.recipient.language)
        response = HttpResponse(content, content_type="application/octet-stream")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["Cache-Control"] = "no-store"
        return response
