"""The auditor's portal: one page linking everything an auditor reads and downloads, and the
filterable lists of jobs, evidence, processor answers and archives' manifests. Read-only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from destruction.forms.portal import PortalFilterForm
from destruction.models import Archive, DestructionJob, Evidence, ProcessorRequest
from destruction.selectors import portal as selectors
from windown.access import WindDownMixin


class PortalView(WindDownMixin, TemplateView):
    """The auditor's landing page (every reader of destruction may open it)."""

    permission = "destruction.view"
    template_name = "destruction/portal/index.html"

    def get_context_data(self, **kwargs):
        counts = selectors.portal_overview(self.winddown)
        statuses = {
            "jobs": DestructionJob.Status.choices,
            "evidence": Evidence.Kind.choices,
            "processor_requests": ProcessorRequest.Status.choices,
            "archives": Archive.Status.choices,
        }
        cards = {
            key: {
                "total": sum(counts[key].values()),
                "rows": [(v, label, counts[key][v]) for v, label in choices if counts[key].get(v)],
            }
            for key, choices in statuses.items()
        }
        return super().get_context_data(cards=cards, **kwargs)


class PortalListView(WindDownMixin, ListView):
    """A filtered, paginated list of the portal; subclasses name the selector and the statuses."""

    permission = "destruction.view"
    paginate_by = 25
    status_label = _("Status")
    status_choices: list = []
    selector = None
    heading = ""

    def get_queryset(self):
        self.filter_form = PortalFilterForm(
            self.request.GET,
            status_label=self.status_label,
            status_choices=self.status_choices,
            jurisdictions=selectors.jurisdictions_of(self.winddown),
        )
        return type(self).selector(self.winddown, self.filter_form.filters())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.filter_form, heading=self.heading, **kwargs
        )


class PortalJobListView(PortalListView):
    template_name = "destruction/portal/jobs.html"
    context_object_name = "jobs"
    status_choices = DestructionJob.Status.choices
    selector = selectors.portal_jobs
    heading = _("Destruction jobs")


class PortalEvidenceListView(PortalListView):
    template_name = "destruction/portal/evidence.html"
    context_object_name = "evidence"
    status_label = _("Kind")
    status_choices = Evidence.Kind.choices
    selector = selectors.portal_evidence
    heading = _("Evidence")


class PortalProcessorAnswerListView(PortalListView):
    template_name = "destruction/portal/processor_answers.html"
    context_object_name = "requests"
    status_choices = ProcessorRequest.Status.choices
    selector = selectors.portal_processor_answers
    heading = _("Processor answers")


class PortalArchiveListView(PortalListView):
    template_name = "destruction/portal/archives.html"
    context_object_name = "archives"
    status_choices = Archive.Status.choices
    selector = selectors.portal_archives
    heading = _("Archives' manifests")
