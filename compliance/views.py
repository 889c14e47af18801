from django.views.generic import TemplateView

from windown.access import WindDownMixin


class PhaseIndexView(WindDownMixin, TemplateView):
    permission = "compliance.view"
    template_name = "compliance/index.html"
