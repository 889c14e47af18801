"""The retention schedule: CSV and XLSX streamed, a PDF to sign (big ones from the worker)."""

import io

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from compliance import services
from compliance.models import ScheduleExport
from compliance.selectors import decisions_visible_to
from compliance.services import schedule
from compliance.services.rulesets import current_ruleset
from windown.access import WindDownMixin
from windown.downloads import download_record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ScheduleExportView(WindDownMixin, View):
    """Download the retention schedule as CSV, XLSX or a PDF to sign.

    A PDF of more than schedule.PDF_IN_REQUEST_LIMIT decisions is rendered on the worker:
    the member is sent to a page that shows its progress and the download once it is ready.
    """

    permission = "compliance.view"

    def get(self, request, slug, fmt):
        decisions = decisions_visible_to(self.membership)
        name = f"retention-schedule-{slug}"
        if fmt == "csv":
            rows = schedule.schedule_rows(decisions)
            response = StreamingHttpResponse(schedule.csv_chunks(rows), content_type="text/csv")
        elif fmt == "xlsx":
            buffer = io.BytesIO()
            schedule.write_xlsx(schedule.schedule_rows(decisions), buffer)
            response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        elif fmt == "pdf":
            if decisions.count() > schedule.PDF_IN_REQUEST_LIMIT:
                export = services.schedule_export_request(by=self.membership)
                return redirect(export.get_absolute_url())
            ruleset = current_ruleset(self.winddown)
            pdf = schedule.render_pdf(
                winddown=self.winddown,
                decisions=decisions,
                ruleset_version=ruleset.version if ruleset else "",
            )
            response = HttpResponse(pdf, content_type="application/pdf")
        else:
            raise Http404
        download_record(by=self.membership, what="compliance.schedule", payload={"format": fmt})
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response


class SchedulePdfView(WindDownMixin, TemplateView):
    """Show a worker-rendered schedule PDF's progress; `?download=1` sends the file when ready."""

    permission = "compliance.view"
    template_name = "compliance/scheduleexport_detail.html"

    def get(self, request, slug, pk):
        export = get_object_or_404(
            ScheduleExport, pk=pk, winddown=self.winddown, requested_by=self.membership
        )
        if request.GET.get("download"):
            if export.status != ScheduleExport.Status.DONE:
                return redirect(export.get_absolute_url())
            download_record(
                by=self.membership,
                what="compliance.schedule",
                obj=export,
                payload={"format": "pdf"},
            )
            return FileResponse(
                export.file.open("rb"),
                as_attachment=True,
                filename=f"retention-schedule-{slug}.pdf",
                content_type="application/pdf",
            )
        return self.render_to_response(self.get_context_data(export=export))
