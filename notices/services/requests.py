"""Customers' subject requests (from the personal page) and the support team's handling."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.services import matter_report_by_customer
from notices.deadlines import due_date
from notices.models import Recipient, RequestReply, SubjectRequest
from notices.selectors import appeal_window_end
from windown import roles
from windown.audit import audit_record
from windown.headers import EmailMessage
from windown.models import Membership


@transaction.atomic
def request_submit(*, recipient: Recipient, type: str, message: str = "") -> SubjectRequest:
    """Record a customer's request with its legal due date (the customer has no account).

    An open-order report also opens a matter in compliance, so that the data the order needs
    is kept until it is resolved; the request carries the matter's reference. An appeal is
    accepted only from a customer who was sent the completion receipt, until its window ends
    (a ValidationError with code "appeal_closed" otherwise, and nothing is stored).
    """
    if type == SubjectRequest.Type.APPEAL:
        until = appeal_window_end(recipient)
        if until is None or timezone.localdate() > until:
            raise ValidationError(
                _("The period for appeals has ended."),
                code="appeal_closed",
                params={"appeal_until": until},
            )
    request = SubjectRequest(
        winddown=recipient.winddown,
        recipient=recipient,
        type=type,
        message=message.strip()[:5000],
        jurisdiction=recipient.jurisdiction,
        due_date=due_date(recipient.jurisdiction, timezone.localdate()),
    )
    request.full_clean()
    request.save()
    actor_label = f"customer:{recipient.pk}"
    audit_record(
        winddown=recipient.winddown,
        actor=None,
        actor_label=actor_label,
        action="notices.request_received",
        obj=request,
        payload={"type": type, "due_date": request.due_date, "jurisdiction": request.jurisdiction},
    )
    if type == SubjectRequest.Type.OPEN_ORDER:
        if not recipient.has_open_order:
            Recipient.objects.filter(pk=recipient.pk).update(has_open_order=True)
        matter = matter_report_by_customer(
            winddown=recipient.winddown,
            actor_label=f"{actor_label} via personal page",
            reference=f"PP-{request.pk}",
            customer_reference=recipient.customer_ref or recipient.email,
            jurisdiction=recipient.jurisdiction,
            description=f"Open order or return reported on the personal page "
            f"(subject request #{request.pk}).",
        )
        request.compliance_ref = matter.reference
        request.save(update_fields=["compliance_ref"])
    transaction.on_commit(lambda: _acknowledge_later(request.pk))
    return request


def _acknowledge_later(request_id: int) -> None:
    from notices.tasks import request_acknowledge  # tasks import services, not the reverse

    request_acknowledge.delay(request_id)


def _locked(request: SubjectRequest) -> SubjectRequest:
    return (
        SubjectRequest.objects.select_for_update()
        .select_related("winddown", "recipient")
        .get(pk=request.pk)
    )


@transaction.atomic
def request_assign(
    *, by: Membership, request: SubjectRequest, assignee: Membership | None
) -> SubjectRequest:
    """Give a request to a member of the support team (or take it back)."""
    roles.require(by, "notices.requests.handle")
    request = _locked(request)
    if assignee is not None and (
        assignee.winddown_id != request.winddown_id
        or not roles.holds(assignee, "notices.requests.handle")
    ):
        raise ValidationError(_("The assignee must be able to handle requests."))
    request.assignee = assignee
    if request.status == SubjectRequest.Status.OPEN and assignee is not None:
        request.status = SubjectRequest.Status.IN_PROGRESS
    request.save()
    audit_record(
        winddown=request.winddown,
        actor=by.user,
        action="notices.request_assigned",
        obj=request,
        payload={"assignee": assignee.user.email if assignee else None},
    )
    return request


@transaction.atomic
def request_reply(*, by: Membership, request: SubjectRequest, body: str) -> RequestReply:
    """Email a reply to the customer and keep it with the request."""
    roles.require(by, "notices.requests.handle")
    request = _locked(request)
    if not body.strip():
        raise ValidationError({"body": _("Write a reply.")})
    reply = RequestReply.objects.create(request=request, author=by.user, body=body.strip())
    if request.status == SubjectRequest.Status.OPEN:
        request.status = SubjectRequest.Status.IN_PROGRESS
        request.save(update_fields=["status"])
    winddown = request.winddown
    subject = f"{winddown.company_legal_name} · {request.get_type_display()} #{request.pk}"
    email = EmailMessage(
        subject=subject,
        body=reply.body,
        to=[request.recipient.email],
        reply_to=[winddown.support_email] if winddown.support_email else None,
    )
    transaction.on_commit(lambda: email.send(fail_silently=False))
    audit_record(
        winddown=winddown,
        actor=by.user,
        action="notices.request_replied",
        obj=request,
        payload={"reply": reply.pk, "chars": len(reply.body)},
    )
    return reply


@transaction.atomic
def request_resolve(*, by: Membership, request: SubjectRequest, resolution: str) -> SubjectRequest:
    """Close a request with a written resolution."""
    roles.require(by, "notices.requests.handle")
    request = _locked(request)
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the request was resolved.")})
    request.status = SubjectRequest.Status.RESOLVED
    request.resolution = resolution.strip()
    request.resolved_at = timezone.now()
    request.save()
    audit_record(
        winddown=request.winddown,
        actor=by.user,
        action="notices.request_resolved",
        obj=request,
        payload={"on_time": request.resolved_at.date() <= request.due_date},
    )
    return request
