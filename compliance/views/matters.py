"""Open matters: the list with the form and the CSV import, a matter's page, its resolution."""

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import DetailView, FormView

from compliance import services
from compliance.forms import MatterForm, MatterImportForm, ResolveForm
from compliance.models import OpenMatter
from compliance.selectors import holdings_matching, matters_of
from compliance.services.matters import CSV_COLUMNS
from windown import roles
from windown.access import WindDownMixin
from windown.views.errors import show_error


class MatterListView(WindDownMixin, FormView):
    permission = "compliance.view"
    template_name = "compliance/openmatter_list.html"
    form_class = MatterForm
    paginate_by = 50

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "winddown": self.winddown}

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context_data(**kwargs)
        paginator = Paginator(matters_of(self.winddown, self.request.GET), self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(
            matters=page.object_list,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            import_form=MatterImportForm(),
            csv_columns=", ".join(CSV_COLUMNS),
        )
        return context

    def post(self, request, *args, **kwargs):
        roles.require(self.membership, "compliance.matter.manage")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        holdings = list(
            holdings_matching(
                self.winddown,
                system=data.pop("system"),
                category=data.pop("category"),
                jurisdiction=data.pop("jurisdiction"),
            )
        )
        try:
            matter = services.matter_create(by=self.membership, holdings=holdings, **data)
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "Matter %(ref)s recorded; it covers %(n)s holding.",
                "Matter %(ref)s recorded; it covers %(n)s holdings.",
                len(holdings),
            )
            % {"ref": matter.reference, "n": intcomma(len(holdings))},
        )
        return redirect(matter.get_absolute_url())


class MatterImportView(WindDownMixin, View):
    permission = "compliance.matter.manage"

    def post(self, request, slug):
        form = MatterImportForm(request.POST, request.FILES)
        if not form.is_valid():
            show_error(ValidationError(form.errors.as_data()), form=form, request=request)
            return redirect("compliance:matter-list", slug=slug)
        upload = form.cleaned_data["file"]
        try:
            result = services.matters_import_csv(
                by=self.membership, content=upload.read(), filename=upload.name
            )
            messages.success(
                request,
                ngettext(
                    "%(rows)s line read: %(created)s matters created, %(updated)s updated.",
                    "%(rows)s lines read: %(created)s matters created, %(updated)s updated.",
                    result.rows,
                )
                % {
                    "rows": intcomma(result.rows),
                    "created": intcomma(result.created),
                    "updated": intcomma(result.updated),
                },
            )
        except ValidationError as error:
            show_error(error, request=request)
        return redirect("compliance:matter-list", slug=slug)


class MatterDetailView(WindDownMixin, DetailView):
    permission = "compliance.view"
    template_name = "compliance/openmatter_detail.html"
    context_object_name = "matter"

    def get_queryset(self):
        return OpenMatter.objects.filter(winddown=self.winddown)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["holdings"] = self.object.holdings.select_related("system", "category")[:200]
        context["resolve_form"] = ResolveForm()
        return context


class MatterResolveView(WindDownMixin, View):
    permission = "compliance.matter.manage"

    def post(self, request, slug, pk):
        matter = get_object_or_404(OpenMatter, pk=pk, winddown=self.winddown)
        form = ResolveForm(request.POST)
        if not form.is_valid():
            show_error(ValidationError(form.errors.as_data()), form=form, request=request)
            return redirect(matter.get_absolute_url())
        try:
            services.matter_resolve(by=self.membership, matter=matter, **form.cleaned_data)
            messages.success(request, _("Matter %s resolved.") % matter.reference)
        except ValidationError as error:
            show_error(error, request=request)
        return redirect(matter.get_absolute_url())
