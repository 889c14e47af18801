from django.views.generic import TemplateView

from windown.access import WindDownMixin


class PhaseIndexView(WindDownMixin, TemplateView):
    permission = "inventory.view"
    template_name = "inventory/index.html"
