"""Import the data map from a spreadsheet (a worker checks it, the user confirms), download
the template, export."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View
from django.views.generic import FormView

from inventory import selectors
from inventory.datamap.writing import rows_of, template_xlsx, write_csv, write_xlsx
from inventory.forms import DataMapImportForm
from inventory.models import DataMapImport
from inventory.services.datamap_jobs import (
    RUNNING,
    datamap_job_apply,
    datamap_job_create,
    datamap_job_report,
)
from windown.access import WindDownMixin
from windown.downloads import download_record
from windown.views.errors import show_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DataMapImportView(WindDownMixin, FormView):
    """Upload a spreadsheet: it is stored and a worker checks it (the job page shows how far)."""

    permission = "inventory.import"
    template_name = "inventory/datamap_import.html"
    form_class = DataMapImportForm

    def form_valid(self, form):
        try:
            job = datamap_job_create(
                by=self.membership,
                upload=form.cleaned_data["file"],
                encoding=form.cleaned_data.get("encoding", ""),
            )
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        return redirect(job.get_absolute_url())


class DataMapJobMixin(WindDownMixin):
    permission = "inventory.import"

    def get_job(self) -> DataMapImport:
        """The member's own import (its report shows rows of their departments' data)."""
        jobs = DataMapImport.objects.filter(winddown=self.winddown, requested_by=self.membership)
        return get_object_or_404(jobs, pk=self.kwargs["pk"])


class DataMapJobView(DataMapJobMixin, FormView):
    """An import's progress (refreshed while a worker reads it), then its report."""

    template_name = "inventory/datamap_import.html"
    form_class = DataMapImportForm  # to upload another file (or this one in another encoding)
    http_method_names = ["get", "head", "options"]

    def get_template_names(self):
        if self.request.GET.get("partial"):
            return ["inventory/_datamapimport_status.html"]
        return [self.template_name]

    def get_initial(self):
        return {"encoding": self.job.encoding}

    def get(self, request, *args, **kwargs):
        self.job = self.get_job()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        job = self.job
        return {
            **super().get_context_data(**kwargs),
            "job": job,
            "running": job.status in RUNNING,
            "report": datamap_job_report(job),
        }


class DataMapJobApplyView(DataMapJobMixin, View):
    """The user saw the report: import the file (a worker does it)."""

    def post(self, request, slug, pk):
        job = self.get_job()
        try:
            datamap_job_apply(by=self.membership, job=job)
        except ValidationError as error:
            show_error(error, request=request)
        return redirect(job.get_absolute_url())


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
