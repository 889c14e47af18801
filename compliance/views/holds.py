"""Legal holds: the list with the form to place one, a hold's page, its release."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView

from compliance import services
from compliance.forms import HoldForm, ReasonForm
from compliance.models import LegalHold
from compliance.selectors import holds_of
from windown import roles
from windown.access import WindDownMixin
from windown.views.errors import show_error


class HoldListView(WindDownMixin, FormView):
    permission = "compliance.view"
    template_name = "compliance/legalhold_list.html"
    form_class = HoldForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "winddown": self.winddown}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["holds"] = holds_of(self.winddown)[:500]
        return context

    def post(self, request, *args, **kwargs):
        roles.require(self.membership, "compliance.hold.manage")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            hold = services.hold_place(by=self.membership, **form.cleaned_data)
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        messages.success(self.request, _("Hold %s placed.") % hold.reference)
        return redirect(hold.get_absolute_url())


class HoldDetailView(WindDownMixin, DetailView):
    permission = "compliance.view"
    template_name = "compliance/legalhold_detail.html"
    context_object_name = "hold"

    def get_queryset(self):
        return holds_of(self.winddown)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["covered"] = self.object.holdings.count()
        context["release_form"] = ReasonForm()
        return context


class HoldReleaseView(WindDownMixin, View):
    permission = "compliance.hold.manage"

    def post(self, request, slug, pk):
        hold = get_object_or_404(LegalHold, pk=pk, winddown=self.winddown)
        try:
            services.hold_release(
                by=self.membership, hold=hold, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Hold %s released.") % hold.reference)
        except ValidationError as error:
            show_error(error, request=request)
        return redirect(hold.get_absolute_url())
