from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from inventory import selectors, services
from inventory.forms import DataCategoryForm
from inventory.models import DataCategory
from windown.access import WindDownMixin
from windown.views.errors import show_error


class CategoryListView(WindDownMixin, ListView):
    permission = "inventory.view"
    template_name = "inventory/datacategory_list.html"
    context_object_name = "categories"
    paginate_by = 100

    def get_queryset(self):
        return selectors.categories_of(self.winddown)


class CategoryUpdateView(WindDownMixin, FormView):
    permission = "inventory.taxonomy.change"
    template_name = "inventory/datacategory_form.html"
    form_class = DataCategoryForm

    def get_form_kwargs(self):
        self.category = get_object_or_404(
            DataCategory, winddown=self.winddown, pk=self.kwargs["pk"]
        )
        return {**super().get_form_kwargs(), "instance": self.category}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "category": self.category}

    def form_valid(self, form):
        try:
            services.category_update(
                by=self.membership, category=self.category, **form.cleaned_data
            )
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved %(key)s.") % {"key": self.category.key})
        return redirect("inventory:category-list", slug=self.winddown.slug)
