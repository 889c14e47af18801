from django.views.generic import TemplateView

from windown.access import WindDownMixin


class PhaseIndexView(WindDownMixin, TemplateView):
    permission = "destruction.view"
    template_name = "destruction/index.html"
