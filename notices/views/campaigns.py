"""Staff pages for campaigns: list, create, detail with live progress, actions, deliveries."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from notices.forms import CampaignForm, ScheduleForm, StartForm, TestSendForm
from notices.models import Campaign, Delivery, Language
from notices.selectors import (
    audience_of,
    audience_overview,
    campaign_progress,
    campaigns_of,
    deliveries_of,
)
from notices.services import campaigns as service
from notices.services.recipients import notice_test_send
from windown import roles, spreadsheets
from windown.access import WindDownMixin
from windown.downloads import download_record
from windown.views.errors import show_error


class CampaignMixin(WindDownMixin):
    def get_campaign(self) -> Campaign:
        return get_object_or_404(campaigns_of(self.winddown), pk=self.kwargs["pk"])


class CampaignListView(WindDownMixin, TemplateView):
    permission = "notices.view"
    template_name = "notices/campaign_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns = [(c, campaign_progress(c)) for c in campaigns_of(self.winddown)[:50]]
        return {**context, "campaigns": campaigns, "receipt_languages": Language.choices}


class CampaignCreateView(WindDownMixin, FormView):
    permission = "notices.manage"
    template_name = "notices/campaign_form.html"
    form_class = CampaignForm

    def form_valid(self, form):
        try:
            campaign = service.campaign_create(by=self.membership, **form.cleaned_data)
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        messages.success(self.request, _("Campaign created with the shipped notice."))
        return redirect(campaign.get_absolute_url())


class CampaignDetailView(CampaignMixin, TemplateView):
    permission = "notices.view"
    template_name = "notices/campaign_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.get_campaign()
        schedule_form = ScheduleForm()
        overview = audience_overview(campaign)
        start_form = StartForm(initial={"audience_size": overview["size"]})
        if not roles.holds(self.membership, "notices.confirm_short_lead"):
            del schedule_form.fields["confirm_reason"]
            del start_form.fields["confirm_reason"]
        return {
            **context,
            "campaign": campaign,
            "audience": overview,
            "audience_size": overview["size"],
            "progress": campaign_progress(campaign),
            "templates": {t.language: t for t in campaign.templates.all()},
            "notice_languages": Language.choices,
            "schedule_form": schedule_form,
            "start_form": start_form,
            "test_form": TestSendForm(initial={"to": self.request.user.email}),
        }


class CampaignProgressView(CampaignMixin, TemplateView):
    """The progress block alone, fetched every few seconds by the campaign page."""

    permission = "notices.view"
    template_name = "notices/_campaign_progress.html"

    def get_context_data(self, **kwargs):
        campaign = self.get_campaign()
        return {"campaign": campaign, "progress": campaign_progress(campaign)}


ACTIONS = {
    "pause": (
        service.campaign_pause,
        gettext_lazy("Paused: workers stop before their next message."),
    ),
    "resume": (service.campaign_resume, gettext_lazy("Sending resumed.")),
    "cancel": (
        service.campaign_cancel,
        gettext_lazy("Campaign cancelled: unsent notices are suppressed."),
    ),
}


class CampaignActionView(CampaignMixin, View):
    permission = "notices.manage"

    def post(self, request, slug, pk, action):
        campaign = self.get_campaign()
        try:
            if action == "start":
                form = StartForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(form.errors.as_data())
                size = audience_of(campaign).count()
                if form.cleaned_data["audience_size"] != size:
                    raise ValidationError(
                        ngettext(
                            "The audience changed to %(n)s customer since the page was shown: "
                            "check it and confirm again.",
                            "The audience changed to %(n)s customers since the page was shown: "
                            "check it and confirm again.",
                            size,
                        )
                        % {"n": size}
                    )
                service.campaign_start(
                    by=self.membership,
                    campaign=campaign,
                    confirm_reason=form.cleaned_data.get("confirm_reason", ""),
                )
                done = _("Sending started.")
            elif action == "schedule":
                form = ScheduleForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(form.errors.as_data())
                service.campaign_schedule(
                    by=self.membership, campaign=campaign, **form.cleaned_data
                )
                done = _("Campaign scheduled; it starts by itself at that time.")
            elif action in ACTIONS:
                run, done = ACTIONS[action]
                run(by=self.membership, campaign=campaign)
            else:
                return HttpResponseNotAllowed(["POST"])
            messages.success(request, done)
        except ValidationError as error:
            show_error(error, request=request)
        return redirect(campaign.get_absolute_url())


class TestSendView(CampaignMixin, View):
    permission = "notices.manage"

    def post(self, request, slug, pk):
        campaign = self.get_campaign()
        form = TestSendForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors.as_data())
            notice_test_send(by=self.membership, campaign=campaign, **form.cleaned_data)
            messages.success(request, _("Test notice sent to %s.") % form.cleaned_data["to"])
        except ValidationError as error:
            show_error(error, form=form, request=request)
        except OSError as error:
            messages.error(request, _("The mail server refused: %s") % error)
        return redirect(campaign.get_absolute_url())


class DeliveryListView(CampaignMixin, TemplateView):
    permission = "notices.view"
    template_name = "notices/delivery_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.get_campaign()
        query = self.request.GET.get("q", "").strip()
        status = self.request.GET.get("status", "")
        page = Paginator(deliveries_of(campaign, query=query, status=status), 50).get_page(
            self.request.GET.get("page")
        )
        return {
            **context,
            "campaign": campaign,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "q": query,
            "status": status,
            "statuses": Delivery.Status.choices,
        }


class FailureExportView(CampaignMixin, View):
    """Stream every delivery that did not get through, as CSV."""

    permission = "notices.view"
    FAILED = (Delivery.Status.FAILED, Delivery.Status.BOUNCED, Delivery.Status.COMPLAINED)

    def get(self, request, slug, pk):
        campaign = self.get_campaign()
        download_record(by=self.membership, what="notices.campaign_failures", obj=campaign)
        rows = (
            campaign.deliveries.filter(status__in=self.FAILED)
            .select_related("recipient")
            .order_by("pk")
            .iterator(chunk_size=2000)
        )
        header = ["email", "customer_ref", "language", "status", "attempts", "reply", "message_id"]
        cells = (
            [
                d.recipient.email,
                d.recipient.customer_ref,
                d.recipient.language,
                d.status,
                d.attempts,
                d.last_error,
                d.message_id,
            ]
            for d in rows
        )
        response = StreamingHttpResponse(
            spreadsheets.csv_chunks(header, cells), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="campaign-{pk}-failures.csv"'
        return response
