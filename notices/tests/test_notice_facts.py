"""The notice email states the same kept-until facts as the customer's personal page, from the
decisions legal approved, in the customer's language (no more "usually 6 to 10 years")."""

import pytest

from compliance.models import Decision
from compliance.services import decision_approve, decisions_evaluate
from compliance.tests.factories import make_holding
from notices.dates import format_date
from notices.facts import batch_facts, kept_facts
from notices.messages import render_for
from notices.services.campaigns import campaign_create
from notices.tests.factories import RecipientFactory
from windown.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_invoice(winddown, member):
    make_holding(winddown, key="commerce.invoice", jurisdiction="DE")
    decisions_evaluate(winddown=winddown)
    decision = Decision.objects.get()
    decision_approve(
        by=member(Role.LEGAL), decision=decision, fingerprint=decision.fingerprint, reason="ok"
    )
    decision.refresh_from_db()
    return decision


def test_the_email_says_until_when_invoices_are_kept_like_the_page(
    winddown, director, approved_invoice
):
    customer = RecipientFactory(winddown=winddown, jurisdiction="DE", language="de")
    notice = render_for(campaign_create(by=director, name="N"), customer)
    until = format_date(approved_invoice.retain_until, "de")
    facts = notice.text.split("Für Ihre Daten heißt das: ")[1]
    assert facts.startswith(f"Rechnungen: aufbewahrt bis {until} (")
    assert "6 bis 10 Jahre" not in notice.text
    assert until in notice.html


def test_without_approved_facts_the_email_keeps_the_general_text_only(winddown, director):
    make_holding(winddown, key="commerce.invoice", jurisdiction="FR")
    decisions_evaluate(winddown=winddown)  # proposed only
    customer = RecipientFactory(winddown=winddown, jurisdiction="FR", language="fr")
    notice = render_for(campaign_create(by=director, name="N"), customer)
    assert "Pour vos données, cela signifie" not in notice.text
    assert kept_facts(winddown.pk, "FR", "fr") == ""


def test_a_batch_reads_its_facts_once_per_jurisdiction_and_language(
    winddown, director, approved_invoice, django_assert_max_num_queries
):
    from notices.models import Delivery
    from notices.tests.helpers import far_deadline, recipients, started_campaign

    far_deadline(winddown)
    recipients(winddown, 12)
    campaign = started_campaign(director)
    rows = list(Delivery.objects.filter(campaign=campaign).select_related("recipient"))
    pairs = {(d.recipient.jurisdiction, d.recipient.language) for d in rows}
    with django_assert_max_num_queries(3 * len(pairs)):
        facts = batch_facts(winddown.pk, rows)
    assert set(facts) == pairs
    assert all(text == kept_facts(winddown.pk, *pair) for pair, text in facts.items())
