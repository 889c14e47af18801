"""Evaluating the data map proposes one decision per holding, incrementally and in bulk."""

import datetime as dt

from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from compliance.models import Decision
from compliance.services import decision_approve, decisions_evaluate
from compliance.tests.factories import DataSystemFactory, make_holding
from inventory.models import Holding
from inventory.signals import holdings_changed
from windown.models import AuditEvent


def test_it_proposes_a_decision_per_holding_and_records_the_ruleset_version(winddown):
    invoices = make_holding(winddown)
    cards = make_holding(winddown, key="user.financial.credit_card", fields=["card_number"])
    result = decisions_evaluate(winddown=winddown)
    assert (result.created, result.ruleset) == (2, "2026.12")
    invoice = Decision.objects.get(holding=invoices)
    assert invoice.disposition == "archive"  # Chinese accounting vouchers: 30 years
    assert invoice.ruleset.version == "2026.12" and invoice.status == "proposed"
    assert invoice.citations and "buyer_name" in invoice.keep_fields  # the record, whole
    assert Decision.objects.get(holding=cards).disposition == "delete_now"
    event = AuditEvent.objects.filter(action="compliance.decisions_evaluated").get()
    assert event.payload["created"] == 2


def test_evaluating_again_changes_nothing_and_writes_no_event(winddown):
    make_holding(winddown)
    decisions_evaluate(winddown=winddown)
    before = AuditEvent.objects.count()
    result = decisions_evaluate(winddown=winddown)
    assert (result.created, result.changed, result.unchanged) == (0, 0, 1)
    assert AuditEvent.objects.count() == before


def test_the_number_of_queries_does_not_grow_with_the_holdings(winddown):
    system = DataSystemFactory(winddown=winddown)

    def queries_to_reevaluate():
        Decision.objects.update(fingerprint="x")  # every row must be written again
        with CaptureQueriesContext(connection) as queries:
            decisions_evaluate(winddown=winddown, reason="again")
        return len(queries)

    for jurisdiction in ("DE", "FR"):
        make_holding(winddown, system=system, jurisdiction=jurisdiction)
    decisions_evaluate(winddown=winddown)
    few = queries_to_reevaluate()
    for jurisdiction in ("IT", "NL", "ES", "PL", "AT", "BE", "SE", "CN", "US", "GB"):
        make_holding(winddown, system=system, jurisdiction=jurisdiction)
    decisions_evaluate(winddown=winddown)
    assert queries_to_reevaluate() == few


def _change_holding(holding, **changes):
    """Change a holding and send the inventory's signal, as inventory's services do."""
    with transaction.atomic():
        Holding.objects.filter(pk=holding.pk).update(**changes)
        transaction.on_commit(
            lambda: holdings_changed.send(
                sender=Holding, winddown=holding.winddown, holding_ids=[holding.pk], deleted=False
            )
        )


def test_a_changed_holding_makes_its_approved_decision_go_back_to_review(
    winddown, legal, eager_celery, django_capture_on_commit_callbacks
):
    holding = make_holding(winddown, newest=dt.date(2024, 5, 1))
    decisions_evaluate(winddown=winddown)
    decision = decision_approve(by=legal, decision=Decision.objects.get())
    with django_capture_on_commit_callbacks(execute=True):
        _change_holding(holding, newest_record=dt.date(2025, 6, 1))
    decision.refresh_from_db()
    assert decision.status == "proposed" and decision.approved_by is None
    assert decision.retain_until == dt.date(2055, 12, 31)
    assert "Back in review" in decision.review_note
    actions = list(AuditEvent.objects.values_list("action", flat=True).order_by("seq"))
    assert actions[-2:] == ["compliance.decisions_marked_stale", "compliance.decisions_evaluated"]


def test_a_change_that_keeps_the_proposal_keeps_the_approval(
    winddown, legal, eager_celery, django_capture_on_commit_callbacks
):
    holding = make_holding(winddown, newest=dt.date(2024, 5, 1))
    decisions_evaluate(winddown=winddown)
    decision_approve(by=legal, decision=Decision.objects.get())
    with django_capture_on_commit_callbacks(execute=True):
        _change_holding(holding, records_total=500, newest_record=dt.date(2024, 6, 1))
    decision = Decision.objects.get()
    assert decision.status == "approved" and decision.approved_by == legal.user


def test_a_changed_holding_is_stale_until_the_worker_proposes_it_again(
    winddown, legal, django_capture_on_commit_callbacks
):
    holding = make_holding(winddown)
    decisions_evaluate(winddown=winddown)
    decision_approve(by=legal, decision=Decision.objects.get())
    with django_capture_on_commit_callbacks(execute=True):
        _change_holding(holding, newest_record=dt.date(2025, 6, 1))
    decision = Decision.objects.get()
    assert (decision.status, decision.status_before_stale) == ("stale", "approved")


def test_the_command_evaluates_a_winddown(winddown, capsys):
    make_holding(winddown)
    call_command("evaluate_retention", "acme")
    assert "1 holdings evaluated with ruleset 2026.12" in capsys.readouterr().out
    assert Decision.objects.count() == 1


def test_the_inventorys_own_services_trigger_re_evaluation(
    winddown, legal, eager_celery, django_capture_on_commit_callbacks
):
    from inventory import services as inventory

    holding = make_holding(winddown, newest=dt.date(2024, 5, 1))
    decisions_evaluate(winddown=winddown)
    decision_approve(by=legal, decision=Decision.objects.get())
    with django_capture_on_commit_callbacks(execute=True):
        inventory.holding_update(by=legal, holding=holding, newest_record=dt.date(2025, 6, 1))
    decision = Decision.objects.get()
    assert (decision.status, decision.retain_until) == ("proposed", dt.date(2055, 12, 31))
    with django_capture_on_commit_callbacks(execute=True):
        added = inventory.holding_create(
            by=legal,
            system=holding.system,
            category=holding.category,
            source="import",
            jurisdiction="CN",
            records_total=5,
        )
    assert Decision.objects.get(holding=added).status == "proposed"  # new holdings are proposed
    with django_capture_on_commit_callbacks(execute=True):
        inventory.holding_delete(by=legal, holding=added)
    assert Decision.objects.count() == 1


def test_a_new_deletion_deadline_re_proposes_deletions_but_keeps_unchanged_approvals(
    winddown, director, legal, eager_celery, django_capture_on_commit_callbacks
):
    from windown.services import winddown_update

    invoices = make_holding(winddown)
    profiles = make_holding(winddown, key="commerce.marketing_profile", fields=["email"])
    decisions_evaluate(winddown=winddown)
    for decision in Decision.objects.all():
        decision_approve(by=legal, decision=decision)
    with django_capture_on_commit_callbacks(execute=True):
        winddown_update(by=director, deletion_deadline=dt.date(2027, 6, 30))
    profile = Decision.objects.get(holding=profiles)
    assert (profile.delete_by, profile.status) == (dt.date(2027, 6, 30), "proposed")
    assert Decision.objects.get(holding=invoices).status == "approved"


def test_the_evaluate_button_runs_the_task(
    winddown, legal, client_for, eager_celery, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    make_holding(winddown)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(legal).post(reverse("compliance:evaluate", kwargs={"slug": "acme"}))
    assert response.status_code == 302
    assert Decision.objects.count() == 1
    event = AuditEvent.objects.get(action="compliance.decisions_evaluated")
    assert event.actor == legal.user and event.payload["reason"] == "evaluation requested in the UI"


def test_the_field_plan_keeps_an_invoice_whole_and_drops_what_is_not_the_record(winddown):
    invoices = make_holding(winddown, fields=["invoice_number", "buyer_name", "marketing_opt_in"])
    decisions_evaluate(winddown=winddown)
    decision = Decision.objects.get(holding=invoices)
    assert decision.keep_fields == ["invoice_number", "buyer_name"]
    assert decision.drop_fields == ["marketing_opt_in"]
    assert "the record is kept whole" in decision.basis and "会计法" in decision.basis


def test_pipl_binds_data_stored_in_china_whoever_the_company_and_customer(winddown):
    type(winddown).objects.filter(pk=winddown.pk).update(
        registration_country="DE", company_form="GmbH", tax_registrations=["DE_VAT"]
    )
    winddown.refresh_from_db()
    in_china = make_holding(
        winddown,
        jurisdiction="DE",
        system=DataSystemFactory(winddown=winddown, storage_country="CN"),
    )
    in_germany = make_holding(
        winddown,
        jurisdiction="DE",
        system=DataSystemFactory(winddown=winddown, storage_country="DE"),
    )
    decisions_evaluate(winddown=winddown)
    cited = {h: Decision.objects.get(holding=h).citations for h in (in_china, in_germany)}
    assert "PIPL, Art. 3(1)" in cited[in_china]
    assert not any("PIPL" in citation for citation in cited[in_germany])
