"""Vendors and their certifications; the director's override of an expired one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from destruction.forms import jobs as forms
from destruction.models import Vendor, VendorCertification
from destruction.services import vendors as service
from destruction.views.common import job_of, stored_file_response
from windown.access import WindDownMixin
from windown.audit import audit_record
from windown.views.errors import show_error


class VendorCreateView(WindDownMixin, FormView):
    permission = "destruction.vendor.manage"
    template_name = "destruction/vendor_form.html"
    form_class = forms.VendorForm

    def form_valid(self, form):
        try:
            vendor = service.vendor_create(by=self.membership, **form.cleaned_data)
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        return redirect(vendor.get_absolute_url())


class VendorDetailView(WindDownMixin, TemplateView):
    permission = "destruction.view"
    template_name = "destruction/vendor_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["vendor"] = get_object_or_404(Vendor, pk=self.kwargs["pk"], winddown=self.winddown)
        context["certifications"] = context["vendor"].certifications.select_related("uploaded_by")
        context["form"] = forms.CertificationForm()
        return context


class CertificationAddView(WindDownMixin, View):
    permission = "destruction.vendor.manage"

    def post(self, request, slug, pk):
        vendor = get_object_or_404(Vendor, pk=pk, winddown=self.winddown)
        form = forms.CertificationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                service.certification_add(by=self.membership, vendor=vendor, **form.cleaned_data)
                messages.success(request, _("Certification recorded."))
            except ValidationError as error:
                show_error(error, request=request)
        else:
            show_error(ValidationError(form.errors.as_data()), form=form, request=request)
        return redirect(vendor.get_absolute_url())


class CertificationDownloadView(WindDownMixin, View):
    permission = "destruction.view"

    def get(self, request, slug, pk):
        cert = get_object_or_404(
            VendorCertification, pk=pk, vendor__winddown=self.winddown, copy__gt=""
        )
        audit_record(
            winddown=self.winddown,
            actor=request.user,
            action="destruction.vendor_certification_downloaded",
            obj=cert,
            payload={"vendor": cert.vendor.name, "sha256": cert.copy_sha256},
        )
        return stored_file_response(
            cert.copy.open("rb"),
            filename=cert.copy_name,
            content_type=cert.copy_content_type,
            sha256=cert.copy_sha256,
        )


class VendorOverrideView(WindDownMixin, View):
    permission = "destruction.vendor.override"

    def post(self, request, slug, pk):
        job = job_of(self, pk)
        form = forms.OverrideForm(request.POST, winddown=self.winddown)
        if form.is_valid():
            try:
                service.job_vendor_override(by=self.membership, job=job, **form.cleaned_data)
                messages.success(request, _("The vendor was assigned by your override."))
            except ValidationError as error:
                show_error(error, request=request)
        else:
            show_error(ValidationError(form.errors.as_data()), form=form, request=request)
        return redirect(job.get_absolute_url())
