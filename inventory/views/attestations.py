from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from inventory import selectors, services
from inventory.forms import AttestationForm
from windown import roles
from windown.access import WindDownMixin


class AttestationListView(WindDownMixin, TemplateView):
    permission = "inventory.view"
    template_name = "inventory/attestation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, "departments": selectors.department_overview(self.winddown)}


class DepartmentAttestationView(WindDownMixin, FormView):
    """One department's declaration, and the custodian's form to attest it is complete."""

    permission = "inventory.view"
    template_name = "inventory/attestation_detail.html"
    form_class = AttestationForm

    def dispatch(self, request, *args, **kwargs):
        self.department = kwargs["department"]
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        overview = {d.department: d for d in selectors.department_overview(self.winddown)}
        if self.department not in overview:
            raise Http404
        may_attest = roles.can(self.membership, "inventory.attest", department=self.department)
        systems = selectors.systems_of(self.winddown, department=self.department)
        return {
            **context,
            "department": overview[self.department],
            "statement": services.attestation_statement(self.department),
            "may_attest": may_attest,
            "systems": selectors.with_totals(systems[:200]),
            "system_count": systems.count(),
        }

    def post(self, request, *args, **kwargs):
        roles.require(self.membership, "inventory.attest", department=self.department)
        if self.department not in selectors.departments_of(self.winddown):
            raise Http404
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        services.attestation_sign(by=self.membership, department=self.department)
        messages.success(self.request, _("Thank you: the declaration is attested."))
        return redirect(
            "inventory:attestation-detail", slug=self.winddown.slug, department=self.department
        )
