"""The support team's queue of customers' requests, with SLA countdown and handling."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from notices.forms import ReplyForm, RequestFilterForm, ResolveForm
from notices.models import SubjectRequest
from notices.selectors import requests_queue
from notices.services import requests as service
from windown import roles
from windown.access import WindDownMixin
from windown.views.errors import show_error


class RequestQueueView(WindDownMixin, TemplateView):
    permission = "notices.view"
    template_name = "notices/subjectrequest_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = RequestFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        queue = requests_queue(
            self.winddown, status=filters.get("status", ""), overdue=filters.get("overdue", False)
        )
        page = Paginator(queue, 50).get_page(self.request.GET.get("page"))
        return {
            **context,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "filter_form": form,
        }


class RequestMixin(WindDownMixin):
    def get_request(self) -> SubjectRequest:
        return get_object_or_404(
            SubjectRequest.objects.filter(winddown=self.winddown).select_related("recipient"),
            pk=self.kwargs["pk"],
        )


class RequestDetailView(RequestMixin, TemplateView):
    permission = "notices.view"
    template_name = "notices/subjectrequest_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        handlers = [
            m
            for m in self.winddown.memberships.select_related("user")
            if roles.holds(m, "notices.requests.handle")
        ]
        subject_request = self.get_request()
        matter = None
        if subject_request.compliance_ref and roles.holds(self.membership, "compliance.view"):
            matter = self.winddown.open_matters.filter(
                reference=subject_request.compliance_ref
            ).first()
        return {
            **context,
            "req": subject_request,
            "matter": matter,
            "handlers": handlers,
            "reply_form": ReplyForm(),
            "resolve_form": ResolveForm(),
        }


def _assign(view, subject_request, post):
    assignee = view.winddown.memberships.filter(pk=post.get("assignee") or 0).first()
    service.request_assign(by=view.membership, request=subject_request, assignee=assignee)
    return _("Request assigned.")


def _reply(view, subject_request, post):
    service.request_reply(by=view.membership, request=subject_request, body=post.get("body", ""))
    return _("Reply emailed to the customer.")


def _resolve(view, subject_request, post):
    service.request_resolve(
        by=view.membership, request=subject_request, resolution=post.get("resolution", "")
    )
    return _("Request resolved.")


ACTIONS = {"assign": _assign, "reply": _reply, "resolve": _resolve}


class RequestActionView(RequestMixin, View):
    permission = "notices.requests.handle"

    def post(self, request, slug, pk, action):
        subject_request = self.get_request()
        if action not in ACTIONS:
            raise Http404
        try:
            messages.success(request, ACTIONS[action](self, subject_request, request.POST))
        except ValidationError as error:
            show_error(error, request=request)
        return redirect(subject_request.get_absolute_url())
