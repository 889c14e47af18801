"""Rulesets are versioned data: imported from the shipped file, edited into drafts, published."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from compliance.models import Decision, Rule, Ruleset
from compliance.services import (
    decision_approve,
    decisions_evaluate,
    rule_update,
    ruleset_publish,
)
from compliance.tests.factories import make_holding
from windown.models import AuditEvent


def test_load_ruleset_imports_the_shipped_file_once(winddown, capsys):
    call_command("load_ruleset", "acme")
    call_command("load_ruleset", "acme")
    out = capsys.readouterr().out
    assert "ruleset 2026.12 imported" in out and "ruleset 2026.12 already there" in out
    ruleset = Ruleset.objects.get()
    assert ruleset.published and ruleset.rules.count() > 50
    assert ruleset.rules.get(key="CN-KJDA-vouchers").period_months == 360
    assert AuditEvent.objects.filter(action="compliance.ruleset_imported").count() == 1


def _vouchers(winddown):
    call_command("load_ruleset", "acme")
    return Rule.objects.get(ruleset__winddown=winddown, key="CN-KJDA-vouchers")


def test_editing_a_published_rule_starts_a_draft_and_leaves_the_version_alone(winddown, legal):
    rule = _vouchers(winddown)
    edited = rule_update(by=legal, rule=rule, period_months=120)
    assert edited.ruleset.version == "2026.12-r1" and not edited.ruleset.published
    assert Rule.objects.get(pk=rule.pk).period_months == 360  # the published row is untouched
    event = AuditEvent.objects.get(action="compliance.rule_updated")
    assert event.payload["changes"] == {"period_months": [360, 120]}
    again = rule_update(by=legal, rule=rule, note="Checked with counsel.")
    assert again.ruleset == edited.ruleset  # one draft at a time


def test_an_invalid_edit_is_refused_with_the_engines_message(winddown, legal):
    rule = _vouchers(winddown)
    with pytest.raises(ValidationError, match="retention_minimum needs a period and a start"):
        rule_update(by=legal, rule=rule, start="")


def test_publishing_a_version_re_proposes_and_sends_changed_approvals_back_to_review(
    winddown, legal, eager_celery, django_capture_on_commit_callbacks
):
    holding = make_holding(winddown)  # CN invoices: archived 30 years under CN-KJDA-vouchers
    decisions_evaluate(winddown=winddown)
    decision_approve(by=legal, decision=Decision.objects.get())
    draft = rule_update(by=legal, rule=_vouchers(winddown), period_months=120).ruleset
    with django_capture_on_commit_callbacks(execute=True):
        ruleset_publish(by=legal, ruleset=draft)
    decision = Decision.objects.get(holding=holding)
    assert decision.ruleset == draft  # every decision records the version it used
    assert decision.status == "proposed" and decision.retain_until.year == 2034
    assert "ruleset 2026.12-r1 published" in decision.review_note
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-3:] == [
        "compliance.ruleset_published",
        "compliance.decisions_marked_stale",
        "compliance.decisions_evaluated",
    ]


def test_a_published_version_whose_outcome_is_unchanged_keeps_approvals(
    winddown, legal, eager_celery, django_capture_on_commit_callbacks
):
    make_holding(winddown)
    decisions_evaluate(winddown=winddown)
    decision_approve(by=legal, decision=Decision.objects.get())
    draft = rule_update(by=legal, rule=_vouchers(winddown), note="Reviewed 2026-11.").ruleset
    with django_capture_on_commit_callbacks(execute=True):
        ruleset_publish(by=legal, ruleset=draft)
    decision = Decision.objects.get()
    assert decision.status == "approved" and decision.ruleset == draft


def test_the_shipped_ruleset_survives_the_round_trip_through_the_database(winddown):
    from compliance.engine import load_ruleset
    from compliance.services import engine_ruleset

    call_command("load_ruleset", "acme")
    shipped, stored = load_ruleset(), engine_ruleset(Ruleset.objects.get())
    assert [r.key for r in stored.rules] == [r.key for r in shipped.rules]
    for ours, theirs in zip(stored.rules, shipped.rules, strict=True):
        assert (ours.period_months, ours.start, ours.condition, ours.keep_fields) == (
            theirs.period_months,
            theirs.start,
            theirs.condition,
            theirs.keep_fields,
        )
        assert (ours.whole_record, ours.drop_fields, ours.cross_border_only, ours.binds) == (
            theirs.whole_record,
            theirs.drop_fields,
            theirs.cross_border_only,
            theirs.binds,
        )
    assert stored.subject_law == shipped.subject_law


def test_legal_edits_a_rule_in_the_browser_and_publishes_the_draft(
    winddown, legal, client_for, eager_celery, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from compliance.forms import RuleForm

    rule = _vouchers(winddown)
    data = {k: v for k, v in RuleForm(instance=rule).initial.items() if v is not None}
    data.update(
        record_types=", ".join(rule.record_types),
        keep_fields=", ".join(rule.keep_fields),
        drop_fields=", ".join(rule.drop_fields),
        subject_scope="",
        condition='[["registration_country", ["CN"]]]',
        period_months=300,
    )
    client = client_for(legal)
    edit = reverse("compliance:rule-edit", kwargs={"slug": "acme", "pk": rule.pk})
    response = client.post(edit, data)
    assert response.status_code == 302, response.content[:2000]
    draft = Ruleset.objects.get(published=False)
    assert draft.rules.get(key="CN-KJDA-vouchers").period_months == 300
    publish = reverse("compliance:ruleset-publish", kwargs={"slug": "acme", "pk": draft.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(publish).status_code == 302
    draft.refresh_from_db()
    assert draft.published and draft.published_by == legal.user


def test_an_unknown_field_is_refused_before_a_draft_is_started(winddown, legal):
    rule = _vouchers(winddown)
    with pytest.raises(ValidationError) as refused:
        rule_update(by=legal, rule=rule, key="CN-renamed", period_months=120)
    assert refused.value.message_dict == {"key": ["This field cannot be changed here."]}
    assert Ruleset.objects.count() == 1
    assert not AuditEvent.objects.filter(action="compliance.rule_updated").exists()


def test_an_api_patch_of_a_read_only_rule_field_is_refused_with_400(winddown, legal, api_for):
    rule = _vouchers(winddown)
    response = api_for(legal).patch(
        f"/api/v1/winddowns/acme/rules/{rule.pk}/", {"key": "X", "note": "n"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"key": ["This field cannot be changed here."]}
    assert Ruleset.objects.count() == 1 and Rule.objects.get(pk=rule.pk).key == "CN-KJDA-vouchers"


def test_legal_can_still_edit_the_field_sets_in_the_browser(winddown, legal, client_for):
    from django.urls import reverse

    from compliance.forms import RuleForm

    rule = _vouchers(winddown)
    assert rule.whole_record and "marketing_opt_in" in rule.drop_fields
    data = {k: v for k, v in RuleForm(instance=rule).initial.items() if v is not None}
    data.pop("whole_record")  # unticked: de-identify to the fields below instead
    data.update(
        record_types=", ".join(rule.record_types),
        keep_fields="invoice_number, amount",
        drop_fields="",
        subject_scope="",
        condition='[["registration_country", ["CN"]]]',
    )
    edit = reverse("compliance:rule-edit", kwargs={"slug": "acme", "pk": rule.pk})
    response = client_for(legal).post(edit, data)
    assert response.status_code == 302, response.content[:2000]
    edited = Ruleset.objects.get(published=False).rules.get(key="CN-KJDA-vouchers")
    assert (edited.whole_record, edited.keep_fields, edited.drop_fields) == (
        False,
        ["invoice_number", "amount"],
        [],
    )
