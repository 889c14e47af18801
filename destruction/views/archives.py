"""Archive pages: the list with uploads and custodian keys, an archive's page, its actions."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import DetailView, TemplateView

from destruction.forms.archives import (
    ArchiveUploadForm,
    CustodianKeyForm,
    RetireKeyForm,
    VerifyForm,
)
from destruction.models import Archive, CustodianKey
from destruction.selectors.archives import (
    archivable_decisions,
    archives_due_panel,
    archives_of,
    custodian_keys_of,
)
from destruction.services.archives import (
    archive_create,
    archive_verify,
    custodian_key_register,
    custodian_key_retire,
)
from windown import roles
from windown.access import WindDownMixin
from windown.downloads import download_record
from windown.views.errors import show_error


def _list_url(winddown) -> str:
    return reverse("destruction:archive-list", kwargs={"slug": winddown.slug})


class ArchiveListView(WindDownMixin, TemplateView):
    permission = "destruction.view"
    template_name = "destruction/archive_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault(
            "upload_form", ArchiveUploadForm(decisions=archivable_decisions(self.winddown))
        )
        context.setdefault("key_form", CustodianKeyForm())
        context["archives"] = archives_of(self.winddown)[:500]
        context["keys"] = custodian_keys_of(self.winddown)
        context.update(archives_due_panel(self.winddown))
        return context


class ArchiveUploadView(ArchiveListView):
    permission = "destruction.archive.manage"
    http_method_names = ["post"]

    def post(self, request, slug):
        form = ArchiveUploadForm(
            request.POST, request.FILES, decisions=archivable_decisions(self.winddown)
        )
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                archive = archive_create(
                    by=self.membership,
                    decision=form.cleaned_data["decision"],
                    upload=upload,
                    filename=upload.name,
                )
            except ValidationError as error:
                show_error(error, form=form)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Archive %(ref)s encrypted: %(rows)s row.",
                        "Archive %(ref)s encrypted: %(rows)s rows.",
                        archive.row_count,
                    )
                    % {"ref": archive.reference, "rows": archive.row_count},
                )
                return redirect(archive.get_absolute_url())
        return self.render_to_response(self.get_context_data(upload_form=form), status=400)


class CustodianKeyRegisterView(ArchiveListView):
    permission = "destruction.custodian_key.manage"
    http_method_names = ["post"]

    def post(self, request, slug):
        form = CustodianKeyForm(request.POST)
        if form.is_valid():
            try:
                key = custodian_key_register(by=self.membership, **form.cleaned_data)
            except ValidationError as error:
                show_error(error, form=form)
            else:
                messages.success(request, _("Key of %s registered.") % key.custodian_name)
                return redirect(_list_url(self.winddown))
        return self.render_to_response(self.get_context_data(key_form=form), status=400)


class CustodianKeyRetireView(WindDownMixin, View):
    permission = "destruction.custodian_key.manage"

    def post(self, request, slug, pk):
        key = get_object_or_404(CustodianKey, pk=pk, winddown=self.winddown)
        form = RetireKeyForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Say why the key is retired."))
            custodian_key_retire(by=self.membership, key=key, reason=form.cleaned_data["reason"])
            messages.success(request, _("Key of %s retired.") % key.custodian_name)
        except ValidationError as error:
            show_error(error, request=request)
        return redirect(_list_url(self.winddown))


class ArchiveDetailView(WindDownMixin, DetailView):
    permission = "destruction.view"
    template_name = "destruction/archive_detail.html"
    context_object_name = "archive"

    def get_queryset(self):
        return archives_of(self.winddown)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("verify_form", VerifyForm())
        context["manifest_json"] = json.dumps(self.object.manifest, indent=2, ensure_ascii=False)
        context["can_verify"] = self.object.status == Archive.Status.ENCRYPTED and roles.can(
            self.membership, "destruction.archive.verify"
        )
        return context


class ArchiveVerifyView(ArchiveDetailView):
    permission = "destruction.archive.verify"
    http_method_names = ["post"]

    def post(self, request, slug, pk):
        self.object = self.get_object()
        form = VerifyForm(request.POST)
        if form.is_valid():
            try:
                archive_verify(by=self.membership, archive=self.object, **form.cleaned_data)
            except ValidationError as error:
                show_error(error, form=form)
            else:
                messages.success(request, _("Archive %s verified.") % self.object.reference)
                return redirect(self.object.get_absolute_url())
        context = self.get_context_data(object=self.object, verify_form=form)
        return self.render_to_response(context, status=400)


class ArchiveManifestView(WindDownMixin, View):
    permission = "destruction.view"

    def get(self, request, slug, pk):
        archive = get_object_or_404(Archive, pk=pk, winddown=self.winddown)
        download_record(
            by=self.membership,
            what="destruction.archive_manifest",
            obj=archive,
            payload={"reference": archive.reference},
        )
        body = json.dumps(archive.manifest, indent=2, ensure_ascii=False) + "\n"
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{archive.reference}-manifest.json"'
        )
        return response
