from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from windown import services
from windown.access import WindDownMixin
from windown.forms import WindDownForm, WindDownSettingsForm
from windown.selectors import winddowns_for_user
from windown.views.errors import show_error


class WindDownListView(LoginRequiredMixin, ListView):
    template_name = "windown/winddown_list.html"
    context_object_name = "winddowns"
    paginate_by = 50

    def get_queryset(self):
        return winddowns_for_user(self.request.user)


class WindDownCreateView(LoginRequiredMixin, FormView):
    template_name = "windown/winddown_form.html"
    form_class = WindDownForm

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        slug = data.pop("slug")
        try:
            winddown = services.winddown_create(creator=self.request.user, slug=slug, **data)
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        messages.success(self.request, _("Wind-down created. You are its director."))
        return redirect(winddown)


class WindDownSettingsView(WindDownMixin, FormView):
    permission = "winddown.change"
    template_name = "windown/winddown_settings.html"
    form_class = WindDownSettingsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.winddown}

    def form_valid(self, form):
        changes = dict(form.cleaned_data)
        status = changes.pop("status")
        try:
            with transaction.atomic():
                services.winddown_update(by=self.membership, **changes)
                services.winddown_status_change(by=self.membership, status=status)
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.winddown)
