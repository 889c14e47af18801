from django.views.generic import TemplateView

from inventory import selectors
from windown.access import WindDownMixin


class OverviewView(WindDownMixin, TemplateView):
    """The data map at a glance: totals, categories by jurisdiction, departments."""

    permission = "inventory.view"
    template_name = "inventory/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = selectors.holding_totals(self.winddown)
        return {
            **context,
            "summary": selectors.inventory_summary(self.winddown),
            "matrix": selectors.category_jurisdiction_matrix(self.winddown, totals),
            "departments": selectors.department_overview(self.winddown, totals),
        }
