"""Sending keeps each jurisdiction's kept-until facts between batches (notices.facts.batch_facts)
and reads them again when the wind-down's audit chain moved: a batch says exactly what the
personal page says (summary_for) after every change legal makes, and a batch after no change
costs one query."""

import datetime as dt

import pytest

from compliance.models import Decision
from compliance.services import (
    decision_approve,
    decision_override,
    decision_second_approve,
    decisions_evaluate,
    hold_place,
    hold_release,
    matter_create,
    matter_resolve,
)
from compliance.tests.factories import make_holding
from notices.defaults import page_texts
from notices.facts import batch_facts
from notices.models import Delivery
from notices.selectors import summary_for
from notices.tests.factories import RecipientFactory
from notices.tests.helpers import far_deadline, started_campaign
from windown.roles import Role

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "de", "fr", "zh-hans"]


def page_facts(winddown_id: int, jurisdiction: str, language: str) -> str:
    """The kept facts worded from the personal page's own summary_for, read afresh."""
    if not jurisdiction:
        return ""
    t = page_texts(language, {})
    parts = []
    for group in summary_for(winddown_id, jurisdiction, language).kept:
        if group.kind == "archive":
            head = f"{t['kept_until']} {group.until} ({t['kept_reason']})"
        elif group.kind == "retain_until_resolved":
            head = t["kept_matter"]
        else:
            head = t["kept_hold"]
        parts.append(f"{' · '.join(group.labels)}: {head}")
    return "; ".join(parts)


def test_each_batch_says_what_the_page_says_after_every_change(
    winddown, director, member, django_assert_num_queries
):
    legal, legal2 = member(Role.LEGAL), member(Role.LEGAL)
    invoices = make_holding(winddown, key="commerce.invoice", jurisdiction="DE")
    orders = make_holding(winddown, key="commerce.order", jurisdiction="DE")
    make_holding(winddown, key="commerce.invoice", jurisdiction="FR")
    decisions_evaluate(winddown=winddown)
    far_deadline(winddown)
    for jurisdiction in ("DE", "FR"):
        for language in LANGUAGES:
            RecipientFactory(winddown=winddown, jurisdiction=jurisdiction, language=language)
    RecipientFactory(winddown=winddown, jurisdiction="", language="en")
    campaign = started_campaign(director)
    rows = list(Delivery.objects.filter(campaign=campaign).select_related("recipient"))
    pairs = {(d.recipient.jurisdiction, d.recipient.language) for d in rows}
    seen = []

    def next_batch():
        facts = batch_facts(winddown.pk, rows)
        assert facts == {pair: page_facts(winddown.pk, *pair) for pair in pairs}
        seen.append(facts)
        return facts

    def approve(holding):
        decision = Decision.objects.get(holding=holding)
        decision_approve(by=legal, decision=decision, fingerprint=decision.fingerprint, reason="ok")

    assert set(next_batch().values()) == {""}  # proposals only: nothing stated yet
    with django_assert_num_queries(1):  # nothing changed: the audit chain's head only
        assert batch_facts(winddown.pk, rows) == seen[-1]

    approve(invoices)
    assert next_batch()["DE", "de"].startswith("Rechnungen: ")
    assert next_batch()["FR", "fr"] == ""

    decision_override(
        by=legal, decision=Decision.objects.get(holding=orders), disposition="archive",
        delete_by=dt.date(2041, 1, 31), retain_until=dt.date(2040, 12, 31),
        reason="Kept for the tax audit.",
    )  # fmt: skip
    assert next_batch() == seen[-2]  # an override alone is not in force
    decision_second_approve(by=legal2, decision=Decision.objects.get(holding=orders))
    assert "2040" in next_batch()["DE", "en"]

    hold = hold_place(by=legal, reference="LH-1", reason="Litigation", jurisdictions=["DE"])
    held = next_batch()
    assert held["DE", "en"] != seen[-2]["DE", "en"]
    assert "2040" not in held["DE", "en"]
    hold_release(by=legal, hold=hold, reason="Settled.")
    assert next_batch() == seen[-3]  # as before the hold

    matter = matter_create(
        by=legal, reference="ORD-1", matter_type="order", customer_reference="C-1",
        opened_on=dt.date(2026, 11, 1), holdings=[invoices],
    )  # fmt: skip
    next_batch()
    approve(invoices)  # the matter's proposal, approved: kept until it is resolved
    assert next_batch()["DE", "en"] != seen[-3]["DE", "en"]
    matter_resolve(by=legal, matter=matter, resolved_on=dt.date(2026, 11, 20))
    next_batch()
    approve(invoices)
    next_batch()
    assert len({tuple(sorted(f.items())) for f in seen}) >= 4
