"""Destruction jobs: the list, a job's page with its gates, and the IT actions on it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from destruction.forms import jobs as forms
from destruction.models import DestructionJob, JobItem
from destruction.selectors.archives import archives_due_panel
from destruction.selectors.jobs import evidence_of, items_of, jobs_of, vendors_of
from destruction.selectors.processors import processor_overview
from destruction.services import jobs as service
from destruction.services.certificates import certificate_issue
from destruction.services.gates import gate_titles, gates_evaluate
from destruction.views.common import job_of
from inventory.models import Holding
from windown import roles
from windown.access import WindDownMixin
from windown.views.errors import show_error


class PhaseIndexView(WindDownMixin, TemplateView):
    permission = "destruction.view"
    template_name = "destruction/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        context["jobs"] = jobs_of(self.winddown, status=status)[:200]
        context["statuses"] = DestructionJob.Status.choices
        context["status"] = status
        context["vendors"] = vendors_of(self.winddown)
        context.update(archives_due_panel(self.winddown))
        context["overview"] = processor_overview(self.winddown)
        return context


class JobCreateView(WindDownMixin, FormView):
    permission = "destruction.perform"
    template_name = "destruction/destructionjob_form.html"
    form_class = forms.JobForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "winddown": self.winddown}

    def form_valid(self, form):
        try:
            job = service.job_create(by=self.membership, **form.cleaned_data)
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        messages.success(self.request, _("Job %s planned: add its items.") % job.reference)
        return redirect(job.get_absolute_url())


class JobEditView(WindDownMixin, FormView):
    permission = "destruction.perform"
    template_name = "destruction/destructionjob_form.html"
    form_class = forms.PlanForm

    def get_form_kwargs(self):
        self.job = job_of(self, self.kwargs["pk"])
        return {**super().get_form_kwargs(), "winddown": self.winddown, "instance": self.job}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "job": self.job}

    def form_valid(self, form):
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            service.job_update(by=self.membership, job=job_of(self, self.kwargs["pk"]), **changes)
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        return redirect(self.job.get_absolute_url())


def labelled_gates(gates: list[dict], items) -> list[dict]:
    """The gates with their item and holding named for the reader, in the active language
    (the gates name them as recorded: system · category key · source key · jurisdiction)."""
    items_by_pk = {item.pk: item.display_label for item in items}
    holding_ids = {g.get("holding_id") for g in gates} - {None}
    holdings = {
        h.pk: h.label
        for h in Holding.objects.filter(pk__in=holding_ids).select_related("system", "category")
    }
    return [
        {
            **g,
            "item_label": items_by_pk.get(g.get("item_id"), g.get("item", "")),
            "holding_label": holdings.get(g.get("holding_id"), g.get("holding", "")),
        }
        for g in gates
    ]


class JobDetailView(WindDownMixin, TemplateView):
    permission = "destruction.view"
    template_name = "destruction/destructionjob_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = job_of(self, self.kwargs["pk"])
        open_statuses = (DestructionJob.Status.PLANNED, DestructionJob.Status.SCHEDULED)
        if job.status in open_statuses:
            day = (job.scheduled_for or timezone.now()).date()
            gates = gates_evaluate(job=job, on=day).as_list()
            gates_title = _("Gates as of %(day)s (evaluated now)") % {"day": day}
        else:
            gates = job.gates_at_performance
            gates_title = _("Gates as stored when the job was performed")
        items = list(items_of(job))
        gates = labelled_gates(gates, items)
        context.update(
            job=job,
            items=items,
            handovers=job.handovers.all(),
            evidence=evidence_of(job),
            gates=gates,
            failing=[g for g in gates if not g["passed"]],
            gates_title=gates_title,
            gate_titles=gate_titles(),
            can_perform=roles.can(self.membership, "destruction.perform"),
            item_form=forms.ItemForm(winddown=self.winddown),
            schedule_form=forms.ScheduleForm(),
            handover_form=forms.HandoverForm(),
            evidence_form=forms.EvidenceForm(),
            reason_form=forms.ReasonForm(),
            override_form=forms.OverrideForm(winddown=self.winddown),
            transitions=service.TRANSITIONS[job.status],
            certificates=job.certificates.order_by("-issued_at"),
            reason_actions=[
                (action, label)
                for action, target, label in (
                    ("unschedule", DestructionJob.Status.PLANNED, _("Back to planning")),
                    ("fail", DestructionJob.Status.FAILED, _("Record as failed")),
                    ("cancel", DestructionJob.Status.CANCELLED, _("Cancel the job")),
                )
                if target in service.TRANSITIONS[job.status]
            ],
        )
        return context


class ItemAddView(WindDownMixin, View):
    permission = "destruction.perform"

    def post(self, request, slug, pk):
        job = job_of(self, pk)
        form = forms.ItemForm(request.POST, winddown=self.winddown)
        if form.is_valid():
            try:
                service.job_item_add(
                    by=self.membership,
                    job=job,
                    kind=form.cleaned_data["kind"],
                    **form.item_fields(),
                )
            except ValidationError as error:
                show_error(error, request=request)
        else:
            show_error(ValidationError(form.errors.as_data()), form=form, request=request)
        return redirect(job.get_absolute_url())


class ItemRemoveView(WindDownMixin, View):
    permission = "destruction.perform"

    def post(self, request, slug, pk, item_pk):
        job = job_of(self, pk)
        item = get_object_or_404(JobItem, pk=item_pk, job=job)
        try:
            service.job_item_remove(by=self.membership, item=item)
        except ValidationError as error:
            show_error(error, request=request)
        return redirect(job.get_absolute_url())


class HandoverAddView(WindDownMixin, View):
    permission = "destruction.perform"

    def post(self, request, slug, pk):
        job = job_of(self, pk)
        form = forms.HandoverForm(request.POST)
        if form.is_valid():
            try:
                service.handover_add(by=self.membership, job=job, **form.cleaned_data)
            except ValidationError as error:
                show_error(error, request=request)
        else:
            show_error(ValidationError(form.errors.as_data()), form=form, request=request)
        return redirect(job.get_absolute_url())


class JobActionView(WindDownMixin, View):
    """Schedule, unschedule, certify, fail or cancel a job (each a transition service)."""

    permission = "destruction.perform"
    ACTIONS = ("schedule", "unschedule", "certify", "fail", "cancel")

    def dispatch(self, request, *args, **kwargs):
        if kwargs.get("action") == "certify":
            self.permission = "destruction.certificate.issue"
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, slug, pk, action):
        job = job_of(self, pk)
        if action not in self.ACTIONS:
            return redirect(job.get_absolute_url())
        try:
            if action == "schedule":
                form = forms.ScheduleForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(form.errors.as_text())
                service.job_schedule(by=self.membership, job=job, **form.cleaned_data)
            elif action == "certify":  # certifying is issuing the certificate
                certificate_issue(job=job, actor=self.membership)
            else:
                reason = request.POST.get("reason", "")
                call = {
                    "unschedule": service.job_unschedule,
                    "fail": service.job_fail,
                    "cancel": service.job_cancel,
                }[action]
                call(by=self.membership, job=job, reason=reason)
            job.refresh_from_db()
            messages.success(
                request,
                _("Job %(ref)s is %(status)s.")
                % {"ref": job.reference, "status": job.get_status_display()},
            )
        except ValidationError as error:
            show_error(error, request=request)
        return redirect(job.get_absolute_url())


class JobPerformView(WindDownMixin, FormView):
    permission = "destruction.perform"
    template_name = "destruction/destructionjob_perform.html"
    form_class = forms.PerformForm

    def get_form_kwargs(self):
        self.job = job_of(self, self.kwargs["pk"])
        return {**super().get_form_kwargs(), "instance": self.job, "items": items_of(self.job)}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "job": self.job,
            "evidence": evidence_of(self.job),
            "evidence_form": forms.EvidenceForm(),
        }

    def form_valid(self, form):
        try:
            service.job_perform(
                by=self.membership,
                job=job_of(self, self.kwargs["pk"]),
                outcomes=form.outcomes(),
                **form.method(),
            )
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        messages.success(self.request, _("The destruction was recorded."))
        return redirect(self.job.get_absolute_url())


class JobVerifyView(WindDownMixin, FormView):
    permission = "destruction.perform"
    template_name = "destruction/destructionjob_verify.html"
    form_class = forms.VerifyForm

    def get_form_kwargs(self):
        self.job = job_of(self, self.kwargs["pk"])
        return {**super().get_form_kwargs(), "instance": self.job}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "job": self.job}

    def form_valid(self, form):
        try:
            service.job_verify(
                by=self.membership, job=job_of(self, self.kwargs["pk"]), **form.cleaned_data
            )
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        messages.success(self.request, _("The destruction was verified."))
        return redirect(self.job.get_absolute_url())
