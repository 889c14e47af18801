"""Campaigns and their templates: create, edit, schedule, start, pause, resume, cancel."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notices.defaults import default_template
from notices.models import Campaign, Delivery, Language, NoticeTemplate, Recipient
from notices.selectors import audience_of, delivery_counts
from notices.sending import settle_cancelled
from windown import roles
from windown.audit import audit_record
from windown.models import Membership
from windown.updates import refuse_unknown_fields, update_audited

# What a draft's editor may change; the status and the schedule change only through
# campaign_schedule/start/pause/resume/cancel, which check the lead time and audit themselves.
CAMPAIGN_FIELDS = [
    "name",
    "audience_jurisdictions",
    "audience_languages",
    "audience_open_order",
    "rate_limit",
    "from_email",
    "reply_to",
    "support_email",
    "support_phone",
]


def _snapshot(campaign: Campaign) -> dict[str, Any]:
    return {name: getattr(campaign, name) for name in (*CAMPAIGN_FIELDS, "scheduled_at")}


@transaction.atomic
def campaign_create(*, by: Membership, name: str, with_default_templates: bool = True, **fields):
    """Create a draft campaign, with the shipped notice in every language unless told not to."""
    roles.require(by, "notices.manage")
    winddown = by.winddown
    fields.setdefault("support_email", winddown.support_email)
    fields.setdefault("support_phone", winddown.support_phone)
    fields.setdefault("reply_to", winddown.support_email)
    campaign = Campaign(winddown=winddown, name=name, **fields)
    campaign.full_clean()
    campaign.save()
    if with_default_templates:
        for language in Language.values:
            NoticeTemplate.objects.create(campaign=campaign, **default_template(language))
    audit_record(
        winddown=winddown,
        actor=by.user,
        action="notices.campaign_created",
        obj=campaign,
        payload=_snapshot(campaign),
    )
    return campaign


@transaction.atomic
def campaign_update(*, by: Membership, campaign: Campaign, **fields: Any) -> Campaign:
    """Change a draft campaign's settings."""
    roles.require(by, "notices.manage")
    refuse_unknown_fields(fields, CAMPAIGN_FIELDS)
    campaign = _locked(campaign)
    if campaign.status != Campaign.Status.DRAFT:
        raise ValidationError(_("Only a draft campaign can be changed."))
    update_audited(
        instance=campaign,
        changes=fields,
        editable=CAMPAIGN_FIELDS,
        winddown=campaign.winddown,
        actor=by.user,
        action="notices.campaign_updated",
        payload={"name": campaign.name},
    )
    return campaign


@transaction.atomic
def template_save(
    *, by: Membership, campaign: Campaign, language: str, subject: str, text_body: str, html_body
) -> NoticeTemplate:
    """Save a campaign's notice in one language; unsafe or unknown variables are refused."""
    roles.require(by, "notices.manage")
    if campaign.status not in (Campaign.Status.DRAFT, Campaign.Status.SCHEDULED):
        raise ValidationError(_("The notice cannot change once sending has started."))
    template = NoticeTemplate.objects.filter(campaign=campaign, language=language).first()
    template = template or NoticeTemplate(campaign=campaign, language=language)
    template.subject, template.text_body, template.html_body = subject, text_body, html_body
    template.full_clean()
    template.save()
    audit_record(
        winddown=campaign.winddown,
        actor=by.user,
        action="notices.template_saved",
        obj=template,
        payload={"campaign": campaign.pk, "language": language, "subject": subject},
    )
    return template


def _check_lead_time(by: Membership, campaign: Campaign, send_at: dt.datetime, reason: str):
    """Refuse to send later than the lead time before the deadline unless a director confirms."""
    winddown = campaign.winddown
    latest = winddown.deletion_deadline - dt.timedelta(days=winddown.notice_lead_days)
    if timezone.localtime(send_at).date() <= latest:
        return
    if not roles.holds(by, "notices.confirm_short_lead") or not reason.strip():
        raise ValidationError(
            ngettext(
                "Customers must be told at least %(days)s day before the deletion deadline "
                "(%(deadline)s): send by %(latest)s, or a director confirms with a reason.",
                "Customers must be told at least %(days)s days before the deletion deadline "
                "(%(deadline)s): send by %(latest)s, or a director confirms with a reason.",
                winddown.notice_lead_days,
            )
            % {
                "days": winddown.notice_lead_days,
                "deadline": winddown.deletion_deadline,
                "latest": latest,
            }
        )
    campaign.short_lead_reason = reason.strip()
    audit_record(
        winddown=winddown,
        actor=by.user,
        action="notices.short_lead_confirmed",
        obj=campaign,
        payload={"send_at": send_at, "latest": latest, "reason": campaign.short_lead_reason},
    )


def _check_contact(campaign: Campaign) -> None:
    """The notice tells customers where to write (GDPR art. 13(1)(a), 14(1)(a)): no send
    without a support address, the campaign's or the wind-down's."""
    if not (campaign.support_email or campaign.winddown.support_email):
        raise ValidationError(
            _(
                "The notice tells customers where to write, and neither this campaign nor the "
                "wind-down has a support email: set one before sending."
            )
        )


def _transition(campaign: Campaign, status: str) -> None:
    if not campaign.can_become(status):
        raise ValidationError(
            _("A %(current)s campaign cannot become %(new)s.")
            % {"current": campaign.get_status_display(), "new": Campaign.Status(status).label}
        )
    campaign.status = status


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().select_related("winddown").get(pk=campaign.pk)


@transaction.atomic
def campaign_schedule(
    *, by: Membership, campaign: Campaign, scheduled_at: dt.datetime, confirm_reason: str = ""
) -> Campaign:
    """Schedule a draft; beat starts it when the time comes."""
    roles.require(by, "notices.manage")
    campaign = _locked(campaign)
    _transition(campaign, Campaign.Status.SCHEDULED)
    _check_contact(campaign)
    _check_lead_time(by, campaign, scheduled_at, confirm_reason)
    campaign.scheduled_at = scheduled_at
    campaign.save()
    audit_record(
        winddown=campaign.winddown,
        actor=by.user,
        action="notices.campaign_scheduled",
        obj=campaign,
        payload={"scheduled_at": scheduled_at},
    )
    return campaign


def _message_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "windown.localhost"


def _create_deliveries(campaign: Campaign) -> int:
    """Insert one queued delivery per audience member in one statement; return how many.

    The Message-ID is fixed here, from the campaign, the recipient and a per-campaign random
    token, and never changes afterwards.
    """
    audience_sql, params = audience_of(campaign).values("pk").query.sql_with_params()
    token = secrets.token_hex(6)
    table = Delivery._meta.db_table
    sql = (
        f"INSERT INTO {table} (campaign_id, recipient_id, message_id, status, attempts, "  # noqa: S608  # nosec B608 # table names from _meta, values are parameters
        "claimed_by, last_error, provider_message_id, updated_at) "
        "SELECT %s, a.id, '<notice.' || %s || '.' || a.id || '.' || %s || '@' || %s || '>', "
        "%s, 0, '', '', '', %s "
        f"FROM {Recipient._meta.db_table} a WHERE a.id IN ({audience_sql}) ON CONFLICT DO NOTHING"
    )
    args = [
        campaign.pk,
        campaign.pk,
        token,
        _message_domain(),
        Delivery.Status.QUEUED,
        timezone.now(),
        *params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return cursor.rowcount


def _enqueue(campaign: Campaign) -> None:
    from notices.tasks import campaign_send  # the task module imports this one

    def kick():
        for _worker in range(settings.NOTICES_PARALLEL_TASKS):
            campaign_send.delay(campaign.pk)

    transaction.on_commit(kick)


def campaign_begin(*, campaign: Campaign, actor=None) -> Campaign:
    """Create the deliveries and start sending (the service behind start and beat's poll)."""
    _transition(campaign, Campaign.Status.SENDING)
    if not campaign.templates.filter(language=Language.EN).exists():
        raise ValidationError(_("The campaign needs an English notice (the fallback language)."))
    created = _create_deliveries(campaign)
    campaign.started_at = timezone.now()
    campaign.heartbeat_at = None
    campaign.save()
    audit_record(
        winddown=campaign.winddown,
        actor=actor,
        action="notices.campaign_started",
        obj=campaign,
        payload={"deliveries": created, "rate_limit": campaign.rate_limit},
    )
    _enqueue(campaign)
    return campaign


@transaction.atomic
def campaign_start(*, by: Membership, campaign: Campaign, confirm_reason: str = "") -> Campaign:
    """Start sending now."""
    roles.require(by, "notices.manage")
    campaign = _locked(campaign)
    if campaign.status not in (Campaign.Status.DRAFT, Campaign.Status.SCHEDULED):
        raise ValidationError(_("Only a draft or scheduled campaign can be started."))
    _check_contact(campaign)
    _check_lead_time(by, campaign, timezone.now(), confirm_reason)
    return campaign_begin(campaign=campaign, actor=by.user)


def _set_status(by: Membership, campaign: Campaign, status: str, action: str) -> Campaign:
    roles.require(by, "notices.manage")
    campaign = _locked(campaign)
    _transition(campaign, status)
    if status == Campaign.Status.CANCELLED:
        campaign.finished_at = timezone.now()
    campaign.save()
    if status == Campaign.Status.CANCELLED:
        settle_cancelled(campaign.pk)
    audit_record(
        winddown=campaign.winddown,
        actor=by.user,
        action=action,
        obj=campaign,
        payload={"counts": delivery_counts(campaign)},
    )
    if status == Campaign.Status.SENDING:
        _enqueue(campaign)
    return campaign


@transaction.atomic
def campaign_pause(*, by: Membership, campaign: Campaign) -> Campaign:
    """Pause sending; workers stop before their next message."""
    return _set_status(by, campaign, Campaign.Status.PAUSED, "notices.campaign_paused")


@transaction.atomic
def campaign_resume(*, by: Membership, campaign: Campaign) -> Campaign:
    """Resume a paused campaign."""
    campaign = _locked(campaign)
    if campaign.status != Campaign.Status.PAUSED:
        raise ValidationError(_("Only a paused campaign can be resumed."))
    return _set_status(by, campaign, Campaign.Status.SENDING, "notices.campaign_resumed")


@transaction.atomic
def campaign_cancel(*, by: Membership, campaign: Campaign) -> Campaign:
    """Cancel the campaign; its unsent notices are marked suppressed and never sent."""
    return _set_status(by, campaign, Campaign.Status.CANCELLED, "notices.campaign_cancelled")
