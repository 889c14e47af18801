from django.views.generic import TemplateView

from windown.access import WindDownMixin


class PhaseIndexView(WindDownMixin, TemplateView):
    permission = "notices.view"
    template_name = "notices/index.html"
