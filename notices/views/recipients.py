"""Staff pages for recipients: search and import."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import FormView, TemplateView

from notices.forms import ImportForm, ImportStartForm
from notices.models import RecipientImport
from notices.selectors import recipients_of
from notices.services.import_jobs import (
    import_job_confirm_skip,
    import_job_create,
    import_job_preview,
    import_job_start,
)
from windown import roles
from windown.access import WindDownMixin
from windown.views.errors import show_error


class RecipientListView(WindDownMixin, FormView):
    """List and search recipients; members who manage notices import files here."""

    permission = "notices.view"
    template_name = "notices/recipient_list.html"
    form_class = ImportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        page = Paginator(recipients_of(self.winddown, query=query), 50).get_page(
            self.request.GET.get("page")
        )
        return {**context, "page_obj": page, "is_paginated": page.has_other_pages(), "q": query}

    def post(self, request, *args, **kwargs):
        if not roles.holds(self.membership, "notices.manage"):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            job = import_job_create(
                by=self.membership,
                upload=form.cleaned_data["file"],
                skip_invalid=form.cleaned_data["skip_invalid"],
                encoding=form.cleaned_data["encoding"],
                preview=True,
            )
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        return redirect(job.get_absolute_url())


class ImportMixin(WindDownMixin):
    def get_job(self) -> RecipientImport:
        return get_object_or_404(
            RecipientImport.objects.filter(winddown=self.winddown), pk=self.kwargs["pk"]
        )


class ImportDetailView(ImportMixin, TemplateView):
    """An import's progress (refreshed while it runs) and its report."""

    permission = "notices.view"
    template_name = "notices/recipientimport_detail.html"

    def get_template_names(self):
        if self.request.GET.get("partial"):
            return ["notices/_recipientimport_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        job = self.get_job()
        context = {**super().get_context_data(**kwargs), "job": job}
        if job.status == RecipientImport.Status.PREVIEW:
            preview = import_job_preview(job)
            initial = {"encoding": job.encoding, "skip_invalid": job.skip_invalid}
            context.update(preview=preview, start_form=ImportStartForm(initial=initial))
        return context


class ImportStartView(ImportMixin, View):
    """The user saw the decoded preview: start the import (or preview another encoding)."""

    permission = "notices.manage"

    def post(self, request, slug, pk):
        job = self.get_job()
        form = ImportStartForm(request.POST)
        if not form.is_valid():
            return redirect(job.get_absolute_url())
        encoding = form.cleaned_data["encoding"]
        if request.POST.get("action") == "preview":  # read it again in the chosen encoding
            RecipientImport.objects.filter(pk=job.pk, status=RecipientImport.Status.PREVIEW).update(
                encoding=encoding
            )
            return redirect(job.get_absolute_url())
        try:
            import_job_start(
                by=self.membership,
                job=job,
                encoding=encoding,
                skip_invalid=form.cleaned_data["skip_invalid"],
            )
        except ValidationError as error:
            show_error(error, request=request)
        return redirect(job.get_absolute_url())


class ImportConfirmView(ImportMixin, View):
    """The user confirms: import the refused file, skipping its invalid rows."""

    permission = "notices.manage"

    def post(self, request, slug, pk):
        job = self.get_job()
        try:
            import_job_confirm_skip(by=self.membership, job=job)
        except ValidationError as error:
            show_error(error, request=request)
        return redirect(job.get_absolute_url())
