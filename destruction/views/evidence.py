"""Evidence files: upload (IT), audited download (every reader), removal before verification."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from destruction.forms import jobs as forms
from destruction.models import Evidence
from destruction.services import evidence as service
from destruction.views.common import job_of, stored_file_response
from windown.access import WindDownMixin
from windown.views.errors import show_error


class EvidenceUploadView(WindDownMixin, View):
    permission = "destruction.perform"

    def post(self, request, slug, pk):
        job = job_of(self, pk)
        form = forms.EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                evidence = service.evidence_add(
                    by=self.membership,
                    job=job,
                    upload=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                    description=form.cleaned_data["description"],
                )
                messages.success(
                    request,
                    _("%(name)s stored, SHA-256 %(sha)s.")
                    % {"name": evidence.original_name, "sha": evidence.sha256},
                )
            except ValidationError as error:
                show_error(error, request=request)
        else:
            show_error(ValidationError(form.errors.as_data()), form=form, request=request)
        perform_url = reverse("destruction:job-perform", kwargs={"slug": slug, "pk": job.pk})
        # the perform form uploads evidence and comes back to itself
        return redirect(
            perform_url if request.POST.get("next") == perform_url else job.get_absolute_url()
        )


class EvidenceDownloadView(WindDownMixin, View):
    permission = "destruction.view"

    def get(self, request, slug, pk, evidence_pk):
        evidence = get_object_or_404(Evidence, pk=evidence_pk, job=job_of(self, pk))
        handle = service.evidence_download(by=self.membership, evidence=evidence)
        return stored_file_response(
            handle,
            filename=evidence.original_name,
            content_type=evidence.content_type,
            sha256=evidence.sha256,
        )


class EvidenceDeleteView(WindDownMixin, View):
    permission = "destruction.perform"

    def post(self, request, slug, pk, evidence_pk):
        job = job_of(self, pk)
        evidence = get_object_or_404(Evidence, pk=evidence_pk, job=job)
        try:
            service.evidence_delete(
                by=self.membership, evidence=evidence, reason=request.POST.get("reason", "")
            )
        except ValidationError as error:
            show_error(error, request=request)
        return redirect(job.get_absolute_url())
