"""Import the data map from a spreadsheet (preview first), download the template, export."""

import re
from datetime import timedelta
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView

from inventory import selectors
from inventory.datamap.writing import rows_of, template_xlsx, write_csv, write_xlsx
from inventory.forms import DataMapImportForm
from inventory.services.datamap import datamap_import, size_problem
from windown.access import WindDownMixin
from windown.downloads import download_record
from windown.views.errors import show_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STAGED = re.compile(r"^[0-9a-f]{64}$")
STAGED_MAX_AGE = timedelta(hours=24)


def _purge_stale_previews(winddown) -> None:
    """Delete previewed files nobody imported: a data map is personal data about customers."""
    folder = f"inventory-imports/{winddown.pk}"
    if not default_storage.exists(folder):
        return
    cutoff = timezone.now() - STAGED_MAX_AGE
    for name in default_storage.listdir(folder)[1]:
        path = f"{folder}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)


def _staged_path(winddown, sha256: str, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    suffix = suffix if suffix in (".csv", ".txt", ".xlsx", ".xlsm") else ""
    return f"inventory-imports/{winddown.pk}/{sha256}{suffix}"


class DataMapImportView(WindDownMixin, FormView):
    """Upload a spreadsheet; "Preview" reports what would change, "Import" writes it."""

    permission = "inventory.import"
    template_name = "inventory/datamap_import.html"
    form_class = DataMapImportForm

    def post(self, request, *args, **kwargs):
        if request.POST.get("staged"):
            return self.import_staged(
                request.POST["staged"],
                request.POST.get("filename", ""),
                request.POST.get("encoding", ""),
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        problem = size_problem(upload.size)
        if problem:
            form.add_error("file", problem)
            return self.form_invalid(form)
        data = upload.read()
        encoding = form.cleaned_data.get("encoding", "")
        report = self._run(form, data, upload.name, dry_run=True, encoding=encoding)
        if report is None:
            return self.form_invalid(form)
        staged = ""
        _purge_stale_previews(self.winddown)
        if report.ok and report.changes_anything:
            path = _staged_path(self.winddown, report.sha256, upload.name)
            if not default_storage.exists(path):
                default_storage.save(path, ContentFile(data))
            staged = report.sha256
        context = self.get_context_data(form=form, report=report, staged=staged)
        return self.render_to_response(context)

    def _run(self, form, data, filename, *, dry_run, encoding=""):
        try:
            return datamap_import(
                by=self.membership,
                data=data,
                filename=filename,
                dry_run=dry_run,
                encoding=encoding,
            )
        except ValidationError as error:
            show_error(error, form=form)
            return None

    def import_staged(self, sha256: str, filename: str, encoding: str):
        if not STAGED.match(sha256):
            raise Http404
        path = _staged_path(self.winddown, sha256, filename)
        if not default_storage.exists(path):
            messages.error(self.request, _("That preview has expired; upload the file again."))
            return redirect("inventory:datamap-import", slug=self.winddown.slug)
        with default_storage.open(path, "rb") as handle:
            data = handle.read()
        form = self.get_form_class()()
        name = PurePath(filename).name or path
        report = self._run(form, data, name, dry_run=False, encoding=encoding)
        if report is None or not report.ok:  # the data map changed since the preview
            context = self.get_context_data(form=form, report=report, staged="")
            return self.render_to_response(context)
        default_storage.delete(path)
        messages.success(
            self.request,
            ngettext(
                "Imported %(rows)d row: %(c)d holdings created, %(u)d updated, %(n)d unchanged.",
                "Imported %(rows)d rows: %(c)d holdings created, %(u)d updated, %(n)d unchanged.",
                report.rows,
            )
            % {
                "rows": report.rows,
                "c": report.holdings.created,
                "u": report.holdings.updated,
                "n": report.holdings.unchanged,
            },
        )
        return redirect("inventory:index", slug=self.winddown.slug)


class DataMapTemplateView(WindDownMixin, View):
    permission = "inventory.view"

    def get(self, request, slug):
        download_record(by=self.membership, what="inventory.datamap_template")
        response = HttpResponse(template_xlsx(self.winddown), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="datamap-template.xlsx"'
        return response


class DataMapExportView(WindDownMixin, View):
    permission = "inventory.view"

    def get(self, request, slug, fmt):
        rows = rows_of(selectors.datamap_export_values(self.winddown))
        stamp = timezone.localdate().isoformat()
        if fmt == "csv":
            response = HttpResponse(write_csv(rows), content_type="text/csv; charset=utf-8")
        elif fmt == "xlsx":
            response = HttpResponse(write_xlsx(rows), content_type=XLSX)
        else:
            raise Http404
        download_record(by=self.membership, what="inventory.datamap", payload={"format": fmt})
        filename = f"datamap-{self.winddown.slug}-{stamp}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
