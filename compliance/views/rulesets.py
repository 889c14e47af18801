"""Rulesets: versions, a version's rules, editing a rule (into a draft), publishing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, UpdateView

from compliance import services
from compliance.forms import RuleForm
from compliance.models import Rule, Ruleset
from compliance.selectors import rulesets_of
from windown.access import WindDownMixin
from windown.views.errors import show_error


class RulesetListView(WindDownMixin, ListView):
    permission = "compliance.view"
    template_name = "compliance/ruleset_list.html"
    context_object_name = "rulesets"

    def get_queryset(self):
        return rulesets_of(self.winddown)


class RulesetDetailView(WindDownMixin, DetailView):
    permission = "compliance.view"
    template_name = "compliance/ruleset_detail.html"
    context_object_name = "ruleset"

    def get_queryset(self):
        return Ruleset.objects.filter(winddown=self.winddown)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rules"] = self.object.rules.order_by("position")
        return context


class RuleEditView(WindDownMixin, UpdateView):
    """Edit a rule; a published version is copied into a draft first (by the service)."""

    permission = "compliance.ruleset.change"
    template_name = "compliance/rule_form.html"
    form_class = RuleForm
    context_object_name = "rule"

    def get_queryset(self):
        return Rule.objects.filter(ruleset__winddown=self.winddown).select_related("ruleset")

    def form_valid(self, form):
        rule = Rule.objects.get(pk=self.object.pk)  # the unchanged row: the service edits
        try:
            edited = services.rule_update(by=self.membership, rule=rule, **form.cleaned_data)
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Rule %(key)s saved in draft %(version)s: publish it to apply it.")
            % {"key": edited.key, "version": edited.ruleset.version},
        )
        return redirect("compliance:ruleset-detail", slug=self.winddown.slug, pk=edited.ruleset_id)


class RulesetPublishView(WindDownMixin, View):
    permission = "compliance.ruleset.change"

    def post(self, request, slug, pk):
        ruleset = get_object_or_404(Ruleset, pk=pk, winddown=self.winddown)
        try:
            services.ruleset_publish(by=self.membership, ruleset=ruleset)
            messages.success(
                request,
                _("Version %s published: every decision is being evaluated again.")
                % ruleset.version,
            )
        except ValidationError as error:
            show_error(error, request=request)
        return redirect("compliance:ruleset-detail", slug=slug, pk=pk)
