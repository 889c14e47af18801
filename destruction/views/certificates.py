"""Certificate pages: the list, a certificate's page, download, issue, revoke, re-issue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from destruction.models import Certificate, DestructionJob
from destruction.selectors.certificates import certificates_for, replacement_of
from destruction.services.certificates import (
    certificate_download,
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
)
from destruction.services.certificates.bulk import certificates_issue_bulk
from destruction.tasks import certificate_issue_job
from destruction.views.common import job_of
from windown import roles
from windown.access import WindDownMixin
from windown.views.errors import show_error

LIST_LIMIT = 200


def certificate_of(view, serial: str) -> Certificate:
    return get_object_or_404(certificates_for(view.winddown), serial=serial, winddown=view.winddown)


class CertificateListView(WindDownMixin, TemplateView):
    permission = "destruction.view"
    template_name = "destruction/certificate_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = {k: self.request.GET.get(k, "").strip() for k in ("status", "serial")}
        certificates = certificates_for(self.winddown, **filters)
        context.update(
            certificates=certificates[:LIST_LIMIT],
            total=certificates.count(),
            limit=LIST_LIMIT,
            filters=filters,
            statuses=Certificate.Status.choices,
            verified_jobs=DestructionJob.objects.filter(
                winddown=self.winddown, status=DestructionJob.Status.VERIFIED
            ).count(),
        )
        return context


class CertificateDetailView(WindDownMixin, TemplateView):
    permission = "destruction.view"
    template_name = "destruction/certificate_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = certificate_of(self, self.kwargs["serial"])
        context.update(
            certificate=certificate,
            record=certificate.record,
            replaced_by=replacement_of(certificate),
            can_download=roles.can(self.membership, "destruction.certificate.download"),
            can_revoke=roles.can(self.membership, "destruction.certificate.revoke"),
            can_issue=roles.can(self.membership, "destruction.certificate.issue"),
        )
        return context


class CertificateDownloadView(WindDownMixin, View):
    permission = "destruction.certificate.download"

    def get(self, request, slug, serial):
        certificate = certificate_of(self, serial)
        pdf = certificate_download(certificate=certificate, actor=self.membership, via="page")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.pdf"'
        response["Digest"] = f"sha-256={certificate.sha256}"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class CertificateIssueView(WindDownMixin, View):
    permission = "destruction.certificate.issue"

    def post(self, request, slug, pk):
        job = job_of(self, pk)
        try:
            certificate = certificate_issue(job=job, actor=self.membership)
        except ValidationError as error:
            show_error(error, request=request)
            return redirect(job.get_absolute_url())
        messages.success(request, _("Certificate %(serial)s issued.") % {"serial": certificate})
        return redirect(certificate.get_absolute_url())


class CertificateBulkIssueView(WindDownMixin, View):
    permission = "destruction.certificate.issue"

    def post(self, request, slug):
        jobs = certificates_issue_bulk(
            actor=self.membership,
            enqueue=lambda job, member: certificate_issue_job.delay(job, member),
        )
        messages.success(
            request,
            ngettext(
                "%(count)s certificate is being issued in the background.",
                "%(count)s certificates are being issued in the background.",
                len(jobs),
            )
            % {"count": len(jobs)},
        )
        return redirect(reverse("destruction:certificate-list", kwargs={"slug": slug}))


class CertificateRevokeView(WindDownMixin, View):
    permission = "destruction.certificate.revoke"

    def post(self, request, slug, serial):
        certificate = certificate_of(self, serial)
        try:
            certificate_revoke(
                certificate=certificate,
                actor=self.membership,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Certificate %(serial)s revoked.") % {"serial": serial})
        except ValidationError as error:
            show_error(error, request=request)
        return redirect(certificate.get_absolute_url())


class CertificateReissueView(WindDownMixin, View):
    permission = "destruction.certificate.issue"

    def post(self, request, slug, serial):
        certificate = certificate_of(self, serial)
        try:
            new = certificate_reissue(
                certificate=certificate,
                actor=self.membership,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as error:
            show_error(error, request=request)
            return redirect(certificate.get_absolute_url())
        messages.success(
            request,
            _("Certificate %(new)s issued; it replaces %(old)s.")
            % {"new": new.serial, "old": serial},
        )
        return redirect(new.get_absolute_url())
