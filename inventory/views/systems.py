from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from inventory import selectors, services
from inventory.forms import DataSystemForm, HoldingForm
from inventory.models import DataSystem, Holding
from inventory.views.common import DepartmentObjectMixin
from windown import roles
from windown.access import WindDownMixin
from windown.views.errors import show_error

PAGE_SIZE = 50


class SystemListView(WindDownMixin, ListView):
    permission = "inventory.view"
    template_name = "inventory/datasystem_list.html"
    context_object_name = "systems"
    paginate_by = PAGE_SIZE
    filters = ("kind", "department", "status", "risk", "q")

    def get_queryset(self):
        chosen = {name: self.request.GET.get(name, "").strip() for name in self.filters}
        return selectors.systems_of(self.winddown, **chosen)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {
            **context,
            "systems": selectors.with_totals(context["systems"]),
            "kinds": DataSystem.Kind.choices,
            "statuses": DataSystem.Status.choices,
            "departments": selectors.departments_of(self.winddown),
            "chosen": {name: self.request.GET.get(name, "") for name in self.filters},
        }


class SystemDetailView(WindDownMixin, DetailView):
    permission = "inventory.view"
    template_name = "inventory/datasystem_detail.html"
    context_object_name = "system"

    def get_object(self, queryset=None):
        return get_object_or_404(
            DataSystem.objects.select_related("custodian__user"),
            winddown=self.winddown,
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        holdings = Paginator(selectors.holdings_of(self.object), PAGE_SIZE)
        page = holdings.get_page(self.request.GET.get("page"))
        department = self.object.department
        return {
            **context,
            "page_obj": page,
            "holdings": page.object_list,
            "is_paginated": page.has_other_pages(),
            "may_change": roles.can(self.membership, "inventory.change", department=department),
        }


class SystemFormMixin:
    permission = "inventory.change"
    template_name = "inventory/datasystem_form.html"
    form_class = DataSystemForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "membership": self.membership}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            system = self.save(data)
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved %(name)s.") % {"name": system.name})
        return redirect(system.get_absolute_url())


class SystemCreateView(SystemFormMixin, WindDownMixin, FormView):
    def save(self, data):
        if not roles.can(self.membership, "inventory.change", department=None):
            data["department"] = self.membership.department
        return services.system_create(by=self.membership, **data)


class SystemUpdateView(SystemFormMixin, WindDownMixin, DepartmentObjectMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        self.object = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        self.object = self.get_object()
        return {**super().get_form_kwargs(), "instance": self.object}

    @transaction.atomic
    def save(self, data):
        fresh = DataSystem.objects.get(pk=self.object.pk)
        status = data.pop("status")
        system = services.system_update(by=self.membership, system=fresh, **data)
        return services.system_status_change(by=self.membership, system=system, status=status)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "system": self.object}


class SystemDeleteView(WindDownMixin, DepartmentObjectMixin, TemplateView):
    permission = "inventory.change"
    template_name = "inventory/datasystem_confirm_delete.html"

    def get_context_data(self, **kwargs):
        system = self.get_object()
        return {**super().get_context_data(**kwargs), "system": system}

    def post(self, request, slug, pk):
        system = self.get_object()
        services.system_delete(by=self.membership, system=system)
        messages.success(request, _("Removed %(name)s.") % {"name": system.name})
        return redirect("inventory:system-list", slug=slug)


class HoldingFormMixin:
    permission = "inventory.change"
    template_name = "inventory/holding_form.html"
    form_class = HoldingForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "winddown": self.winddown}

    def form_valid(self, form):
        try:
            holding = self.save(form.service_fields())
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved the holding."))
        return redirect(holding.system.get_absolute_url())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "system": self.system}


class HoldingCreateView(HoldingFormMixin, WindDownMixin, DepartmentObjectMixin, FormView):
    def get_form_kwargs(self):
        self.system = self.get_object()
        return super().get_form_kwargs()

    def save(self, data):
        category = data.pop("category")
        return services.holding_create(
            by=self.membership, system=self.system, category=category, **data
        )


class HoldingUpdateView(HoldingFormMixin, WindDownMixin, DepartmentObjectMixin, FormView):
    model = Holding

    def get_form_kwargs(self):
        self.holding = self.get_object()
        self.system = self.holding.system
        return {**super().get_form_kwargs(), "instance": self.holding}

    def save(self, data):
        return services.holding_update(by=self.membership, holding=self.holding, **data)


class HoldingDeleteView(WindDownMixin, DepartmentObjectMixin, TemplateView):
    permission = "inventory.change"
    model = Holding
    template_name = "inventory/holding_confirm_delete.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "holding": self.get_object()}

    def post(self, request, slug, pk):
        holding = self.get_object()
        system = holding.system
        services.holding_delete(by=self.membership, holding=holding)
        messages.success(request, _("Removed the holding."))
        return redirect(system.get_absolute_url())
