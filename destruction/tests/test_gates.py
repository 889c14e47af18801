"""Each gate blocks scheduling, names itself and its item, and passes once fixed."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from compliance import services as compliance
from destruction.models import DestructionJob, JobItem
from destruction.services import jobs as job_service
from destruction.services.archives import archive_verify
from destruction.services.gates import gates_evaluate
from destruction.services.vendors import job_vendor_override
from destruction.tests import factories as f
from destruction.tests import factories_archives as fa

pytestmark = pytest.mark.django_db
SOON = timezone.now() + dt.timedelta(days=2)


@pytest.fixture
def scene(winddown, it, legal):
    """An approved `delete` holding of German customers who were notified 40 days ago."""
    holding = f.holding(winddown, jurisdiction="DE")
    decision = f.decision(holding, legal)
    f.notified(winddown, jurisdiction="DE", days_ago=40)
    job = job_service.job_create(by=it, title="Delete order data")
    item = job_service.job_item_add(by=it, job=job, kind=JobItem.Kind.HOLDING, holding=holding)
    return {"holding": holding, "decision": decision, "job": job, "item": item}


def _refusal(it, job, when=SOON) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        job_service.job_schedule(by=it, job=job, scheduled_for=when)
    job.refresh_from_db()
    assert job.status == DestructionJob.Status.PLANNED
    return refused.value.messages


def _schedules(it, job, when=SOON) -> None:
    job_service.job_schedule(by=it, job=job, scheduled_for=when)
    job.refresh_from_db()
    assert job.status == DestructionJob.Status.SCHEDULED
    assert job.gates_at_schedule and all(g["passed"] for g in job.gates_at_schedule)


def _gate(job, number: int, when=SOON):
    report = gates_evaluate(job=job, on=when.date())
    return [r for r in report.results if r.gate == number]


def test_it_schedules_a_job_whose_gates_all_pass(scene, it):
    _schedules(it, scene["job"])
    gates = {g["gate"] for g in scene["job"].gates_at_schedule}
    assert gates == {1, 2, 3, 4, 6}


def test_it_blocks_gate_1_until_legal_approves_the_decision(winddown, it, legal, member):
    holding = f.holding(winddown)
    decision = f.decision(holding, legal, status="proposed")
    f.notified(winddown)
    job = job_service.job_create(by=it, title="Delete")
    job_service.job_item_add(by=it, job=job, kind="holding", holding=holding)
    [message] = _refusal(it, job)
    assert message.startswith("Gate 1 (decision)") and str(holding) in message
    assert "Proposed" in message
    compliance.decision_approve(by=legal, decision=decision)
    _schedules(it, job)


def test_it_blocks_gate_1_while_a_delete_decisions_retain_until_is_after_the_date(scene, it):
    decision = scene["decision"]
    decision.retain_until = (SOON + dt.timedelta(days=10)).date()
    decision.save()
    [message] = _refusal(it, scene["job"])
    assert "Gate 1" in message and "not before" in message and str(scene["holding"]) in message
    _schedules(it, scene["job"], when=SOON + dt.timedelta(days=11))


def test_it_blocks_gate_1_for_a_disposition_that_does_not_allow_deleting(winddown, it, legal):
    holding = f.holding(winddown)
    f.decision(holding, legal, disposition="archive")
    f.notified(winddown)
    job = job_service.job_create(by=it, title="Delete")
    job_service.job_item_add(by=it, job=job, kind="holding", holding=holding)
    [message] = _refusal(it, job)
    assert "Gate 1" in message and "Archive" in message


def test_it_blocks_gate_2_while_a_legal_hold_covers_the_holding(scene, it, legal):
    hold = compliance.hold_place(
        by=legal, reference="LH-1", reason="lawsuit", systems=[scene["holding"].system]
    )
    messages = _refusal(it, scene["job"])
    [message] = [m for m in messages if m.startswith("Gate 2 (legal_hold)")]
    assert "LH-1" in message and str(scene["holding"]) in message
    [result] = _gate(scene["job"], 2)
    assert not result.passed and result.fix_url == hold.get_absolute_url()
    compliance.hold_release(by=legal, hold=hold, reason="settled")
    [result] = _gate(scene["job"], 2)
    assert result.passed and result.item == str(scene["holding"])


def test_it_blocks_gate_3_while_an_open_matter_needs_the_holding(scene, it, legal):
    matter = compliance.matter_create(
        by=legal,
        reference="RMA-7",
        matter_type="return",
        customer_reference="C-1",
        opened_on=dt.date(2026, 11, 1),
        holdings=[scene["holding"]],
    )
    messages = _refusal(it, scene["job"])
    [message] = [m for m in messages if m.startswith("Gate 3 (open_matter)")]
    assert "RMA-7" in message and str(scene["holding"]) in message
    [result] = _gate(scene["job"], 3)
    assert result.fix_url == matter.get_absolute_url()
    compliance.matter_resolve(by=legal, matter=matter, resolved_on=dt.date(2026, 11, 20))
    [result] = _gate(scene["job"], 3)
    assert result.passed


def test_it_blocks_gate_4_while_the_notice_is_too_recent(winddown, it, legal):
    holding = f.holding(winddown, jurisdiction="FR")
    f.decision(holding, legal)
    f.notified(winddown, jurisdiction="FR", days_ago=5)
    job = job_service.job_create(by=it, title="Delete")
    job_service.job_item_add(by=it, job=job, kind="holding", holding=holding)
    [message] = _refusal(it, job)
    assert message.startswith("Gate 4 (notified)") and "too recently" in message and "FR" in message
    # thirty days after the next performance date the notice is old enough
    _schedules(it, job, when=SOON + dt.timedelta(days=30))
    gate4 = [g for g in job.gates_at_schedule if g["gate"] == 4]
    assert "100.0%" in gate4[0]["message"]


def test_it_blocks_gate_4_when_no_campaign_reached_the_jurisdiction(winddown, it, legal):
    holding = f.holding(winddown, jurisdiction="JP")
    f.decision(holding, legal)
    f.notified(winddown, jurisdiction="DE", days_ago=60)  # another jurisdiction's campaign
    job = job_service.job_create(by=it, title="Delete")
    job_service.job_item_add(by=it, job=job, kind="holding", holding=holding)
    [message] = _refusal(it, job)
    assert "Gate 4" in message and "JP" in message
    f.notified(winddown, jurisdiction="JP", days_ago=31)
    _schedules(it, job)


def test_it_exempts_delete_now_items_from_gate_4_and_says_why(winddown, it, legal):
    holding = f.holding(winddown, key="commerce.order", jurisdiction="US-CA")
    f.decision(holding, legal, disposition="delete_now")
    job = job_service.job_create(by=it, title="Secrets")
    job_service.job_item_add(by=it, job=job, kind="holding", holding=holding)
    _schedules(it, job)
    [gate4] = [g for g in job.gates_at_schedule if g["gate"] == 4]
    assert gate4["passed"] and "Exempt" in gate4["message"] and "passwords" in gate4["message"]


def test_it_blocks_gate_5_until_the_archive_of_the_original_is_verified(winddown, it, legal):
    decision = fa.archive_decision(winddown, legal)
    holding = decision.holding
    f.notified(winddown, jurisdiction=holding.jurisdiction)
    job = job_service.job_create(by=it, title="Originals")
    job_service.job_item_add(by=it, job=job, kind="archive_original", holding=holding)
    [message] = _refusal(it, job)
    assert message.startswith("Gate 5 (archive_verified)") and str(holding) in message
    fa.custodian(it)
    archive = fa.make_archive(it, decision)
    _refusal(it, job)  # encrypted, not yet read back by the custodian
    archive_verify(
        by=it,
        archive=archive,
        plaintext_sha256=archive.plaintext_sha256,
        custodian_name="Wang Fang",
    )
    _schedules(it, job)


def test_it_blocks_gate_6_for_media_without_a_certified_vendor(winddown, it, legal, director):
    laptop = f.system(winddown, kind="laptop", name="Sales laptop", serial_number="PF-1")
    f.decision(f.holding(winddown, on=laptop), legal)
    f.notified(winddown)
    job = job_service.job_create(by=it, title="Laptops")
    job_service.job_item_add(by=it, job=job, kind="media", system=laptop, media_type="ssd")
    [message] = _refusal(it, job)
    assert message.startswith("Gate 6 (vendor_certified)")
    expired = f.vendor(winddown, it, expires_on=dt.date(2025, 1, 31))
    with pytest.raises(ValidationError, match="only the director"):
        job_service.job_update(by=it, job=job, vendor=expired)
    job.refresh_from_db()
    assert job.vendor is None
    job_vendor_override(by=director, job=job, vendor=expired, reason="Only shredder in town")
    _schedules(it, job)
    job.refresh_from_db()
    assert job.vendor == expired and job.vendor_override_reason == "Only shredder in town"
    [gate6] = [g for g in job.gates_at_schedule if g["gate"] == 6]
    assert "overrode" in gate6["message"] and "Only shredder in town" in gate6["message"]


def test_it_passes_gate_6_with_a_vendor_certified_on_the_date(winddown, it, legal):
    laptop = f.system(winddown, kind="laptop", name="Sales laptop")
    f.decision(f.holding(winddown, on=laptop), legal)
    f.notified(winddown)
    job = job_service.job_create(by=it, title="Laptops", vendor=f.vendor(winddown, it))
    job_service.job_item_add(
        by=it, job=job, kind="media", system=laptop, media_type="ssd", serial_number="X"
    )
    _schedules(it, job)


def test_the_gates_command_prints_every_gate_per_item_and_exits_1_on_a_failure(scene, it, legal):
    hold = compliance.hold_place(by=legal, reference="LH-9", reason="x", jurisdictions=["DE"])
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("destruction_gates", str(scene["job"].pk), stdout=out)
    assert exited.value.code == 1
    text = out.getvalue()
    assert "[FAIL] gate 2" in text and "LH-9" in text and str(scene["holding"]) in text
    for gate in (3, 4, 6):
        assert f"[PASS] gate {gate}" in text
    # the hold is laid over legal's approval and leaves it as it was: releasing it is enough
    compliance.hold_release(by=legal, hold=hold, reason="done")
    out = io.StringIO()
    call_command("destruction_gates", scene["job"].reference, stdout=out)
    assert "0 failing" in out.getvalue() and "[PASS] gate 2" in out.getvalue()
