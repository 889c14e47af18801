"""IT's and the director's pages for processor deletion requests; legal and auditors read them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from destruction.forms.processors import (
    CancelForm,
    ProcessorRequestEditForm,
    ProcessorRequestForm,
    RevocationForm,
)
from destruction.models import ProcessorRequest, RevocationItem
from destruction.selectors import processors as selectors
from destruction.services import processors as service
from destruction.services.processor_common import MANAGE
from destruction.services.revocations import revocation_item_record
from destruction.views.common import stored_file_response
from windown import roles
from windown.access import WindDownMixin
from windown.audit import audit_record


class ProcessorRequestListView(WindDownMixin, TemplateView):
    permission = "destruction.view"
    template_name = "destruction/processorrequest_list.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(selectors.processor_requests_of(self.winddown), 50).get_page(
            self.request.GET.get("page")
        )
        can_manage = roles.holds(self.membership, MANAGE)
        return {
            **context,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "overview": selectors.processor_overview(self.winddown),
            "waiting_systems": selectors.systems_without_request(self.winddown)[:100],
            "saas_without_processor": selectors.saas_without_processor(self.winddown)[:100],
            "can_manage": can_manage,
            "form": form or (ProcessorRequestForm(winddown=self.winddown) if can_manage else None),
        }

    def post(self, request, slug):
        roles.require(self.membership, MANAGE)
        form = ProcessorRequestForm(request.POST, winddown=self.winddown)
        if form.is_valid():
            try:
                created = service.processor_request_create(by=self.membership, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error if not hasattr(error, "error_dict") else error.messages)
            else:
                messages.success(request, _("Request drafted: check it, then send it."))
                return redirect(created.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RequestMixin(WindDownMixin):
    def get_request(self) -> ProcessorRequest:
        try:
            return selectors.processor_request_detail(self.winddown, self.kwargs["pk"])
        except ProcessorRequest.DoesNotExist as missing:
            raise Http404 from missing


class ProcessorRequestDetailView(RequestMixin, TemplateView):
    permission = "destruction.view"
    template_name = "destruction/processorrequest_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        processor_request = self.get_request()
        return {
            **context,
            "pr": processor_request,
            "items": processor_request.items.select_related("category"),
            "emails": processor_request.emails.all(),
            "checklist": selectors.revocation_checklist(processor_request.system),
            "can_manage": roles.holds(self.membership, MANAGE),
            "cancel_form": CancelForm(),
            "edit_form": ProcessorRequestEditForm.for_request(processor_request),
            "revocation_statuses": RevocationItem.Status.choices,
        }


def _send(view, processor_request, post):
    service.processor_request_send(by=view.membership, request=processor_request)
    return _("Instruction queued for sending to %(email)s.") % {
        "email": processor_request.processor_email
    }


def _cancel(view, processor_request, post):
    service.processor_request_cancel(
        by=view.membership, request=processor_request, reason=post.get("reason", "")
    )
    return _("Request cancelled.")


def _update(view, processor_request, post):
    form = ProcessorRequestEditForm.for_request(processor_request, post)
    if not form.is_valid():
        raise ValidationError(
            [f"{form[name].label}: {' '.join(e)}" for name, e in form.errors.items()]
        )
    service.processor_request_update(
        by=view.membership, request=processor_request, **form.cleaned_data
    )
    return _("Draft saved.")


ACTIONS = {"send": _send, "cancel": _cancel, "update": _update}


class ProcessorRequestActionView(RequestMixin, View):
    permission = MANAGE

    def post(self, request, slug, pk, action):
        if action not in ACTIONS:
            raise Http404
        processor_request = self.get_request()
        try:
            messages.success(request, ACTIONS[action](self, processor_request, request.POST))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(processor_request.get_absolute_url())


class RevocationRecordView(WindDownMixin, View):
    permission = MANAGE

    def post(self, request, slug, pk):
        item = get_object_or_404(RevocationItem, winddown=self.winddown, pk=pk)
        form = RevocationForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Choose revoked, not applicable or to do."))
            revocation_item_record(by=self.membership, item=item, **form.cleaned_data)
            messages.success(request, _("Checklist updated."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        target = request.POST.get("next", "")
        if target.startswith(f"/w/{slug}/"):
            return redirect(target)
        return redirect("destruction:processor-request-list", slug=slug)


class CertificateDownloadView(RequestMixin, View):
    """The processor's own certificate, as stored; every download is audited."""

    permission = "destruction.view"

    def get(self, request, slug, pk):
        processor_request = self.get_request()
        if not processor_request.certificate_path:
            raise Http404
        audit_record(
            winddown=self.winddown,
            actor=request.user,
            action="destruction.processor_certificate_downloaded",
            obj=processor_request,
            payload={"sha256": processor_request.certificate_sha256},
        )
        return stored_file_response(
            default_storage.open(processor_request.certificate_path),
            filename=processor_request.certificate_name,
            content_type=processor_request.certificate_content_type,
            sha256=processor_request.certificate_sha256,
        )
