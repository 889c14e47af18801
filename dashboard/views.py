"""The dashboard page; figures come from the phases' panels (see panels.py)."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from dashboard.overview import overview_for
from dashboard.report import LANGUAGES, progress_report_pdf
from windown.access import WindDownMixin


class DashboardView(WindDownMixin, TemplateView):
    template_name = "dashboard/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, **overview_for(self.membership, today=timezone.localdate())}


class LiveFiguresView(DashboardView):
    """The figures that move while a campaign sends, for the page's htmx polling."""

    template_name = "dashboard/_live.html"


class ProgressReportView(WindDownMixin, View):
    """`?lang=zh-hans` or `?lang=en` (default: the page's language)."""

    def get(self, request, slug):
        language = request.GET.get("lang") or get_language()
        if language not in LANGUAGES:
            return HttpResponseBadRequest(
                _("Choose the report's language: %(choices)s.") % {"choices": ", ".join(LANGUAGES)}
            )
        pdf = progress_report_pdf(self.membership, language=language)
        response = HttpResponse(pdf, content_type="application/pdf")
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="progress-report-{slug}-{day}-{language}.pdf"'
        )
        response["Cache-Control"] = "no-store"
        return response
