from django.views.generic import ListView

from windown.access import WindDownMixin
from windown.audit import audit_verify
from windown.selectors import audit_events_of


class AuditTrailView(WindDownMixin, ListView):
    """Page through the audit trail, newest first; `?verify=1` walks the whole chain."""

    permission = "audit.view"
    template_name = "windown/audit_trail.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        return audit_events_of(self.winddown)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.GET.get("verify"):
            context["report"] = audit_verify(self.winddown)
        return context
