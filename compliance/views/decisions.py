"""Decisions: overview, list, detail with the explanation, legal's actions, review queue."""

from datetime import date

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from compliance import explain, services
from compliance.forms import ApproveForm, GroupApproveForm, NoteForm, OverrideForm, ReasonForm
from compliance.models import Decision
from compliance.models.decisions import OVERRIDE_DISPOSITIONS, Disposition
from compliance.selectors import (
    compliance_summary,
    decisions_filtered,
    decisions_visible_to,
    holds_covering,
    jurisdictions_of,
    review_groups,
)
from compliance.services.rulesets import current_ruleset
from windown import roles
from windown.access import WindDownMixin
from windown.views.errors import show_error


class OverviewView(WindDownMixin, TemplateView):
    permission = "compliance.view"
    template_name = "compliance/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = compliance_summary(self.membership)
        context["ruleset"] = current_ruleset(self.winddown)
        context["dispositions"] = Disposition.choices
        context["statuses"] = Decision.Status.choices
        return context


class EvaluateView(WindDownMixin, View):
    """Queue an evaluation of the whole data map on the worker."""

    permission = "compliance.decide"

    def post(self, request, slug):
        roles.require(self.membership, "compliance.decide")
        services.evaluation_queue(
            winddown=self.winddown,
            reason=gettext_noop("evaluation requested in the UI"),
            by=self.membership,
        )
        messages.success(request, _("Evaluation queued: the decisions refresh in a moment."))
        return redirect("compliance:index", slug=slug)


class DecisionListView(WindDownMixin, ListView):
    permission = "compliance.view"
    template_name = "compliance/decision_list.html"
    context_object_name = "decisions"
    paginate_by = 50

    def get_queryset(self):
        return decisions_filtered(self.membership, self.request.GET)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            dispositions=Disposition.choices,
            statuses=Decision.Status.choices,
            jurisdictions=jurisdictions_of(self.winddown),
            filters=self.request.GET,
            querystring=query.urlencode(),
        )
        return context


class DecisionDetailView(WindDownMixin, DetailView):
    permission = "compliance.view"
    template_name = "compliance/decision_detail.html"
    context_object_name = "decision"

    def get_object(self, queryset=None):
        """Return the decision; 403 for a custodian of another department."""
        decision = get_object_or_404(
            Decision.objects.select_related(
                "winddown", "holding__system", "holding__category", "ruleset", "approved_by",
                "overridden_by", "second_approver",
            ),
            pk=self.kwargs["pk"],
            winddown=self.winddown,
        )  # fmt: skip
        department = decision.holding.system.department
        roles.require(self.membership, "compliance.view", department=department)
        return decision

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision = self.object
        considered = [
            {**o, "until": date.fromisoformat(o["until"]) if o.get("until") else None}
            for o in decision.considered
        ]
        context.update(
            held_by=holds_covering(decision),
            explanation=explain.decision_sentences(decision),
            applied=[o for o in considered if o["applied"]],
            not_applied=[o for o in considered if not o["applied"]],
            approve_form=ApproveForm(initial={"fingerprint": decision.fingerprint}),
            override_form=_override_form(decision),
            reject_form=ReasonForm(),
            can_second_approve=decision.status == Decision.Status.PENDING_SECOND_APPROVAL
            and decision.overridden_by_id != self.request.user.pk,
        )
        context.update(kwargs.get("forms", {}))  # a form shown again with its errors
        return context


def _override_form(decision: Decision, data=None) -> OverrideForm:
    """Start the override from the proposal, archive dates only when it archives; tell
    override.js the deletion deadline to offer when legal switches away from archive."""
    disposition = decision.disposition
    if disposition not in OVERRIDE_DISPOSITIONS:
        disposition = Disposition.DELETE
    initial = {"disposition": disposition, "delete_by": decision.delete_by}
    if disposition == Disposition.ARCHIVE:
        initial["retain_until"] = decision.retain_until
    form = OverrideForm(data, initial=initial)
    form.fields["delete_by"].widget.attrs.update(
        {
            "data-delete-default": decision.winddown.deletion_deadline.isoformat(),
            "data-archive-default": decision.delete_by.isoformat()
            if disposition == Disposition.ARCHIVE
            else "",
        }
    )
    return form


# action: (form, service, message when done, the form's name on the decision's page or None)
ACTIONS = {
    "approve": (ApproveForm, services.decision_approve, gettext_lazy("Approved."), "approve_form"),
    "override": (
        OverrideForm,
        services.decision_override,
        gettext_lazy("Override recorded: a second legal member must approve it."),
        "override_form",
    ),
    "second-approve": (
        NoteForm,
        services.decision_second_approve,
        gettext_lazy("Override approved: it is in force."),
        None,
    ),
    "reject": (
        ReasonForm,
        services.decision_reject,
        gettext_lazy("Rejected: the holding was evaluated again."),
        "reject_form",
    ),
}


class DecisionActionView(DecisionDetailView):
    """Approve, override, second-approve or reject one decision (legal).

    Done: back to the decision. Refused: the decision's page again with the form as it was
    typed and each error next to its field, in the reader's language.
    """

    permission = "compliance.decide"
    http_method_names = ["post"]

    def post(self, request, slug, pk, action):
        if action not in ACTIONS:
            raise Http404
        decision = self.object = self.get_object()
        form_class, service, done, shown_as = ACTIONS[action]
        form = form_class(request.POST)
        if action == "override":
            form = _override_form(decision, request.POST)
        if form.is_valid():
            try:
                service(by=self.membership, decision=decision, **form.cleaned_data)
            except ValidationError as error:
                show_error(error, form=form)
            else:
                messages.success(request, done)
                return redirect(decision.get_absolute_url())
        if shown_as is None:  # no fields on the page: the errors become messages
            show_error(ValidationError(form.errors.as_data()), form=form, request=request)
            return redirect(decision.get_absolute_url())
        decision.refresh_from_db()
        return self.render_to_response(self.get_context_data(forms={shown_as: form}))


class ReviewQueueView(WindDownMixin, TemplateView):
    """Proposals grouped by category x jurisdiction x disposition; pending overrides; stale."""

    permission = "compliance.decide"
    template_name = "compliance/review_queue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = review_groups(self.winddown)
        pending = (
            decisions_visible_to(self.membership)
            .filter(status=Decision.Status.PENDING_SECOND_APPROVAL)
            .select_related("overridden_by")
        )
        context.update(
            groups=[g for g in groups if not g.conflict],
            conflicted=[g for g in groups if g.conflict],
            pending=pending[:200],
            stale=decisions_visible_to(self.membership)
            .filter(status=Decision.Status.STALE)
            .count(),
        )
        return context


class GroupApproveView(WindDownMixin, View):
    permission = "compliance.decide"

    def post(self, request, slug):
        form = GroupApproveForm(request.POST)
        if not form.is_valid():
            show_error(ValidationError(form.errors.as_data()), form=form, request=request)
        else:
            try:
                count = services.decisions_approve_group(by=self.membership, **form.cleaned_data)
                messages.success(
                    request,
                    ngettext("%(n)s decision approved.", "%(n)s decisions approved.", count)
                    % {"n": intcomma(count)},
                )
            except ValidationError as error:
                show_error(error, request=request)
        return redirect("compliance:review", slug=slug)
