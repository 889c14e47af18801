"""Read queries of the notices phase."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from compliance.models import Decision, Disposition
from compliance.selectors import CategoryOutcome, categories_under_review, effective_outcomes
from notices.dates import format_date
from notices.defaults import category_labels
from notices.models import (
    Campaign,
    Delivery,
    DeliveryTally,
    Language,
    Recipient,
    SubjectRequest,
)
from windown.models import WindDown

REMAINING = (Delivery.Status.QUEUED, Delivery.Status.SENDING)
DELIVERED = (Delivery.Status.SENT, Delivery.Status.DELIVERED, Delivery.Status.COMPLAINED)


def audience_of(campaign: Campaign) -> QuerySet[Recipient]:
    """Return the recipients a campaign is addressed to (the unsubscribed are left out).

    A receipt goes to the customers of its jurisdiction who were notified: a notice of the
    wind-down was delivered to them.
    """
    qs = Recipient.objects.filter(winddown_id=campaign.winddown_id, unsubscribed_at=None)
    if campaign.kind == Campaign.Kind.RECEIPT:
        notified = Delivery.objects.filter(
            campaign__winddown_id=campaign.winddown_id,
            campaign__kind=Campaign.Kind.NOTICE,
            status__in=DELIVERED,
        ).values("recipient_id")
        return qs.filter(jurisdiction=campaign.receipt_jurisdiction, pk__in=notified)
    if campaign.audience_jurisdictions:
        qs = qs.filter(jurisdiction__in=campaign.audience_jurisdictions)
    if campaign.audience_languages:
        qs = qs.filter(language__in=campaign.audience_languages)
    if campaign.audience_open_order != Campaign.OpenOrderFilter.ANY:
        qs = qs.filter(has_open_order=campaign.audience_open_order == "yes")
    return qs


def audience_overview(campaign: Campaign) -> dict:
    """What the person starting a campaign confirms: how many customers, in which languages and
    jurisdictions, and how many of the decisions about those jurisdictions legal has not yet
    approved (the notice and the personal pages state only approved facts)."""
    audience = audience_of(campaign)
    by_language = dict(audience.order_by().values_list("language").annotate(n=Count("pk")))
    jurisdictions = sorted(set(audience.order_by().values_list("jurisdiction", flat=True)))
    unapproved = (
        Decision.objects.filter(
            winddown_id=campaign.winddown_id, holding__jurisdiction__in=jurisdictions
        )
        .exclude(status__in=Decision.EFFECTIVE)
        .order_by()
        .values_list("holding__jurisdiction")
        .annotate(n=Count("pk"))
    )
    return {
        "size": sum(by_language.values()),
        "languages": [  # the largest groups first
            (Language(code).label, n)
            for code, n in sorted(by_language.items(), key=lambda item: (-item[1], item[0]))
        ],
        "jurisdictions": jurisdictions,
        "unapproved": dict(unapproved),
    }


def delivery_counts(campaign: Campaign) -> dict[str, int]:
    """Count the campaign's deliveries per status (every status present, zero if none)."""
    rows = campaign.deliveries.values("status").annotate(n=Count("pk")).order_by()
    counts = dict.fromkeys(Delivery.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


@dataclass(frozen=True)
class Progress:
    counts: dict[str, int]
    total: int
    done: int
    remaining: int
    percent: int
    rate: float  # messages per second since the start
    eta_seconds: int | None
    complaint_rate: float | None  # complaints / delivered

    @property
    def complaint_percent(self) -> str:
        return "" if self.complaint_rate is None else f"{100 * self.complaint_rate:.2f}"


def campaign_progress(campaign: Campaign) -> Progress:
    counts = delivery_counts(campaign)
    total = sum(counts.values())
    remaining = sum(counts[s] for s in REMAINING)
    done = total - remaining
    rate, eta = 0.0, None
    if campaign.started_at and done:
        end = campaign.finished_at or timezone.now()
        elapsed = max((end - campaign.started_at).total_seconds(), 1.0)
        rate = done / elapsed
        eta = int(remaining / rate) if remaining and rate else 0
    delivered = sum(counts[s] for s in DELIVERED)
    complaint_rate = counts[Delivery.Status.COMPLAINED] / delivered if delivered else None
    percent = int(100 * done / total) if total else 0
    return Progress(counts, total, done, remaining, percent, rate, eta, complaint_rate)


def appeal_window_end(recipient: Recipient) -> dt.date | None:
    """The last day the customer may appeal: the latest window of a receipt delivered to them."""
    return Campaign.objects.filter(
        kind=Campaign.Kind.RECEIPT,
        deliveries__recipient=recipient,
        deliveries__status__in=DELIVERED,
    ).aggregate(until=Max("appeal_until"))["until"]


def receipts_sent(winddown: WindDown) -> list[dict]:
    """Per certified jurisdiction: receipts delivered, failed and addressed (one query)."""
    rows = (
        Campaign.objects.filter(winddown=winddown, kind=Campaign.Kind.RECEIPT)
        .values("receipt_jurisdiction", "appeal_until", "status")
        .annotate(
            sent=Count("deliveries", filter=Q(deliveries__status__in=DELIVERED)),
            failed=Count(
                "deliveries",
                filter=Q(deliveries__status__in=[Delivery.Status.FAILED, Delivery.Status.BOUNCED]),
            ),
            total=Count("deliveries"),
        )
        .order_by("receipt_jurisdiction")
    )
    return [
        {
            "jurisdiction": row["receipt_jurisdiction"],
            "appeal_until": row["appeal_until"],
            "status": row["status"],
            "sent": row["sent"],
            "failed": row["failed"],
            "total": row["total"],
        }
        for row in rows
    ]


def campaigns_of(winddown: WindDown) -> QuerySet[Campaign]:
    return Campaign.objects.filter(winddown=winddown).order_by("-created_at")


def recipients_of(winddown: WindDown, *, query: str = "") -> QuerySet[Recipient]:
    qs = Recipient.objects.filter(winddown=winddown).order_by("email")
    if query:
        qs = qs.filter(Q(email__icontains=query) | Q(name__icontains=query))
    return qs


def deliveries_of(campaign: Campaign, *, query: str = "", status: str = "") -> QuerySet[Delivery]:
    qs = campaign.deliveries.select_related("recipient").order_by("pk")
    if query:
        qs = qs.filter(
            Q(recipient__email__icontains=query.lower())
            | Q(recipient__customer_ref=query)
            | Q(message_id=query)
        )
    if status:
        qs = qs.filter(status=status)
    return qs


def requests_queue(winddown: WindDown, *, status: str = "", overdue: bool = False):
    qs = SubjectRequest.objects.filter(winddown=winddown).select_related(
        "recipient", "assignee__user"
    )
    qs = qs.filter(status=status) if status else qs.exclude(status=SubjectRequest.Status.RESOLVED)
    if overdue:
        qs = qs.filter(due_date__lt=timezone.localdate())
    return qs.order_by("due_date", "pk")


def days_left(due: dt.date) -> int:
    return (due - timezone.localdate()).days


def notices_summary(winddown: WindDown) -> dict:
    """Figures for the director's dashboard panel (a fixed number of queries at any size)."""
    requests = SubjectRequest.objects.filter(winddown=winddown).aggregate(
        requests=Count("pk"),
        open_requests=Count("pk", filter=~Q(status=SubjectRequest.Status.RESOLVED)),
        overdue_requests=Count(
            "pk",
            filter=~Q(status=SubjectRequest.Status.RESOLVED) & Q(due_date__lt=timezone.localdate()),
        ),
    )
    deliveries = _delivery_figures(winddown)
    notices = Campaign.objects.filter(winddown=winddown, kind=Campaign.Kind.NOTICE)
    campaigns = notices.aggregate(
        campaigns=Count("pk"),
        campaigns_started=Count(
            "pk",
            filter=Q(
                status__in=[
                    Campaign.Status.SENDING,
                    Campaign.Status.PAUSED,
                    Campaign.Status.DONE,
                ]
            ),
        ),
        campaigns_scheduled=Count("pk", filter=Q(status=Campaign.Status.SCHEDULED)),
        campaigns_sending=Count("pk", filter=Q(status=Campaign.Status.SENDING)),
        # drafts and scheduled campaigns that could not be sent: no support email, their own
        # or the wind-down's (notices.services.campaigns refuses them)
        campaigns_without_contact=Count(
            "pk",
            filter=Q(
                status__in=[Campaign.Status.DRAFT, Campaign.Status.SCHEDULED],
                support_email="",
            )
            & Q(winddown__support_email=""),
        ),
    )
    return {
        "recipients": Recipient.objects.filter(winddown=winddown).count(),
        **campaigns,
        **deliveries,
        **requests,
        "receipts": receipts_sent(winddown),
    }


def _delivery_counts(winddown: WindDown) -> QuerySet:
    """(status, day sent, deliveries) of the notices (receipts are counted apart): from the
    tally on PostgreSQL (its triggers keep it exact), else from the deliveries themselves."""
    if connection.vendor == "postgresql":
        return (
            DeliveryTally.objects.filter(
                campaign__winddown=winddown, campaign__kind=Campaign.Kind.NOTICE
            )
            .annotate(day=TruncDate("sent_period"))
            .values_list("status", "day")
            .annotate(n=Sum("deliveries"))
            .exclude(n=0)  # a deleted campaign's rows cancel out until compacted
            .order_by()
        )
    return (
        Delivery.objects.filter(campaign__winddown=winddown, campaign__kind=Campaign.Kind.NOTICE)
        .annotate(day=TruncDate("sent_at"))
        .values_list("status", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _delivery_figures(winddown: WindDown) -> dict:
    """Deliveries by status, and notices sent by the end of each day (cumulative) for the
    dashboard's chart, from one query."""
    rows = _delivery_counts(winddown)
    figures = {"deliveries": 0, "sent": 0, "failed": 0}
    sent_on: dict[dt.date, int] = {}
    for status, day, n in rows:
        if status != Delivery.Status.SUPPRESSED:
            figures["deliveries"] += n
        if status in DELIVERED:
            figures["sent"] += n
        if status in (Delivery.Status.FAILED, Delivery.Status.BOUNCED):
            figures["failed"] += n
        if day is not None:
            sent_on[day] = sent_on.get(day, 0) + n
    total, by_day = 0, []
    for day in sorted(sent_on):
        total += sent_on[day]
        by_day.append((day.isoformat(), total))
    return {**figures, "sent_by_day": by_day}


@dataclass(frozen=True)
class SummaryGroup:
    """Data categories that share an outcome on the personal page, in general terms."""

    kind: str  # deleted: delete_now, delete; kept: archive, retain_until_resolved, hold
    until: str  # the date in the customer's language, where one applies
    labels: list[str]


@dataclass(frozen=True)
class Summary:
    deleted: list[SummaryGroup]
    kept: list[SummaryGroup]
    under_review: list[str] = field(default_factory=list)  # categories legal has not decided


# Per category the outcome that keeps the data longest is shown: a hold or an open matter has
# no end date yet, so it outranks a dated archive; among archives the latest date wins.
_PRECEDENCE = [
    Disposition.HOLD,
    Disposition.RETAIN_UNTIL_RESOLVED,
    Disposition.ARCHIVE,
    Disposition.DELETE,
    Disposition.DELETE_NOW,
]
_KEPT = {Disposition.HOLD, Disposition.RETAIN_UNTIL_RESOLVED, Disposition.ARCHIVE}
# Groups read in time order: what goes first, what stays longest last.
_ORDER = [
    Disposition.DELETE_NOW,
    Disposition.DELETE,
    Disposition.ARCHIVE,
    Disposition.RETAIN_UNTIL_RESOLVED,
    Disposition.HOLD,
]


def _day(outcome: CategoryOutcome) -> dt.date | None:
    if outcome.disposition == Disposition.ARCHIVE:
        return outcome.retain_until or outcome.delete_by
    if outcome.disposition == Disposition.DELETE:
        return outcome.delete_by
    return None


def jurisdiction_summary(recipient: Recipient) -> Summary:
    """The personal page's summary for this customer (see summary_for)."""
    return summary_for(recipient.winddown_id, recipient.jurisdiction, recipient.language)


def summary_for(winddown_id: int, jurisdiction: str, language: str) -> Summary:
    """What will be deleted when and kept until when for the recipient's jurisdiction.

    Only decisions legal made effective are shown, per data category, in general terms: no
    systems, counts or rule names. Category names are the taxonomy's (English, Chinese) or,
    for the other languages, the shipped ones (notice_texts); a category of the wind-down's
    own has its English name there. Categories legal has not decided yet are listed as under
    review, so the page never leaves them out silently. Two queries.
    """
    if not jurisdiction:
        return Summary(deleted=[], kept=[])
    return summary_worded(
        chosen_outcomes(winddown_id, jurisdiction),
        categories_under_review(winddown_id, jurisdiction),
        language,
    )


def chosen_outcomes(winddown_id: int, jurisdiction: str) -> tuple[CategoryOutcome, ...]:
    """The outcome shown per category (summary_for), in no language yet. One query."""
    chosen: dict[str, CategoryOutcome] = {}
    for outcome in effective_outcomes(winddown_id, jurisdiction):
        current = chosen.get(outcome.category_key)
        if current is None or _PRECEDENCE.index(outcome.disposition) < _PRECEDENCE.index(
            current.disposition
        ):
            chosen[outcome.category_key] = outcome
    return tuple(chosen.values())


def summary_worded(
    chosen: tuple[CategoryOutcome, ...], pending: list[CategoryOutcome], language: str
) -> Summary:
    """summary_for's words in one language for the outcomes chosen_outcomes read. No query."""
    summary = Summary(deleted=[], kept=[])
    chinese = language == Language.ZH_HANS
    shipped = category_labels(language)
    groups: dict[tuple[str, dt.date | None], list[str]] = {}
    for outcome in chosen:
        label = (
            (chinese and outcome.label_zh) or shipped.get(outcome.category_key) or outcome.label_en
        )
        groups.setdefault((outcome.disposition, _day(outcome)), []).append(label)
    for disposition, day in sorted(groups, key=lambda k: (_ORDER.index(k[0]), k[1] or dt.date.max)):
        group = SummaryGroup(
            kind=disposition,
            until=format_date(day, language) if day else "",
            labels=sorted(groups[disposition, day]),
        )
        (summary.kept if disposition in _KEPT else summary.deleted).append(group)
    summary.under_review.extend(
        (chinese and item.label_zh) or shipped.get(item.category_key) or item.label_en
        for item in pending
    )
    return summary


@dataclass(frozen=True)
class NotifiedShare:
    """How many customers of a jurisdiction were notified at least `lead_days` before a date."""

    jurisdiction: str
    cutoff: dt.date  # a notice counts if it was sent on or before this day
    recipients: int  # customers of the jurisdiction (unsubscribed ones included: they exist)
    notified: int  # of them, those with a delivered notice of a covering campaign by the cutoff
    later: int  # of them, notified only after the cutoff (too recent)
    campaigns: tuple[int, ...]  # the covering campaigns that delivered by the cutoff

    @property
    def percent(self) -> float:
        return 100.0 * self.notified / self.recipients if self.recipients else 0.0


def notified_share(winddown: WindDown, jurisdiction: str, *, cutoff: dt.date) -> NotifiedShare:
    """Count the jurisdiction's customers with a delivered notice (sent, delivered; not failed or
    bounced) from a campaign whose audience covers the jurisdiction, sent by `cutoff`."""
    covering = [
        campaign.pk
        for campaign in Campaign.objects.filter(winddown=winddown, kind=Campaign.Kind.NOTICE).only(
            "audience_jurisdictions"
        )
        if not campaign.audience_jurisdictions or jurisdiction in campaign.audience_jurisdictions
    ]
    recipients = Recipient.objects.filter(winddown=winddown, jurisdiction=jurisdiction)
    end = dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    delivered = Delivery.objects.filter(
        campaign_id__in=covering,
        recipient__winddown=winddown,
        recipient__jurisdiction=jurisdiction,
        status__in=DELIVERED,
        sent_at__isnull=False,
    )
    in_time = delivered.filter(sent_at__lt=end)
    notified = in_time.values("recipient_id").distinct().count()
    later = (
        delivered.filter(sent_at__gte=end)
        .exclude(recipient_id__in=in_time.values("recipient_id"))
        .values("recipient_id")
        .distinct()
        .count()
    )
    return NotifiedShare(
        jurisdiction=jurisdiction,
        cutoff=cutoff,
        recipients=recipients.count(),
        notified=notified,
        later=later,
        campaigns=tuple(sorted(set(in_time.values_list("campaign_id", flat=True)))),
    )
