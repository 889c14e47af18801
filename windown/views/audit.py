from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.views.generic import ListView, View

from windown.access import WindDownMixin
from windown.audit import audit_verify
from windown.audit_export import FORMATS, audit_export
from windown.checkpoints import (
    checkpoint_filename,
    checkpoint_record_download,
    checkpoints_archive,
    log_origin,
)
from windown.forms import AuditFilterForm
from windown.selectors import audit_events_filtered, checkpoints_of


class AuditFilterMixin:
    def filter_form(self) -> AuditFilterForm:
        return AuditFilterForm(self.request.GET or None)

    def filtered_events(self, form: AuditFilterForm):
        return audit_events_filtered(self.winddown, **form.filters())


class AuditTrailView(AuditFilterMixin, WindDownMixin, ListView):
    """Page through the audit trail, newest first, filtered; `?verify=1` walks the whole chain."""

    permission = "audit.view"
    template_name = "windown/audit_trail.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        self.form = self.filter_form()
        return self.filtered_events(self.form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter_form=self.form, **kwargs)
        if self.request.GET.get("verify"):
            context["report"] = audit_verify(self.winddown)
        return context


class AuditExportView(AuditFilterMixin, WindDownMixin, View):
    """Download the (filtered) audit trail as CSV or JSON lines, streamed and audited."""

    permission = "audit.view"

    def get(self, request, slug, fmt):
        if fmt not in FORMATS:
            raise Http404
        form = self.filter_form()
        chunks = audit_export(
            by=self.membership,
            events=self.filtered_events(form),
            fmt=fmt,
            filters={name: str(value) for name, value in form.filters().items()},
        )
        response = StreamingHttpResponse(chunks, content_type=FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{slug}-audit-trail.{fmt}"'
        return response


class CheckpointListView(WindDownMixin, ListView):
    """List the signed checkpoints of the wind-down's audit log, newest first."""

    permission = "audit.view"
    template_name = "windown/checkpoint_list.html"
    context_object_name = "checkpoints"
    paginate_by = 50

    def get_queryset(self):
        return checkpoints_of(self.winddown)

    def get_context_data(self, **kwargs):
        return super().get_context_data(origin=log_origin(self.winddown), **kwargs)


def attachment(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CheckpointDownloadView(WindDownMixin, View):
    """Download one signed checkpoint as the text a person keeps (audited)."""

    permission = "audit.view"

    def get(self, request, slug, tree_size):
        checkpoint = checkpoints_of(self.winddown).filter(tree_size=tree_size).first()
        if checkpoint is None:
            raise Http404
        checkpoint_record_download(
            winddown=self.winddown, actor=request.user, tree_sizes=[tree_size]
        )
        return attachment(
            checkpoint.signed_text,
            checkpoint_filename(self.winddown, tree_size),
            "text/plain; charset=utf-8",
        )


class CheckpointArchiveView(WindDownMixin, View):
    """Download every checkpoint of the wind-down as a zip (audited)."""

    permission = "audit.view"

    def get(self, request, slug):
        content, sizes = checkpoints_archive(self.winddown)
        checkpoint_record_download(winddown=self.winddown, actor=request.user, tree_sizes=sizes)
        return attachment(content, f"{self.winddown.slug}-checkpoints.zip", "application/zip")
