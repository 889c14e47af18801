"""The status machine: one table, every illegal transition refused, every transition audited;
performing updates inventory and compliance; verifying needs a validator (not the performer)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from destruction.models import DestructionJob, JobItem
from destruction.services import jobs as service
from destruction.tests import factories as f
from windown.models import AuditEvent

pytestmark = pytest.mark.django_db
S = DestructionJob.Status
NOW = timezone.now()
METHOD = {
    "sanitization_level": "clear",
    "technique": "logical_deletion",
    "deletion_statement": "DELETE FROM orders WHERE country = 'DE'",
    "verification_query": "SELECT count(*) FROM orders WHERE country = 'DE'",
    "verification_query_result": "0",
    "tool": "psql",
    "tool_version": "15.8",
    "location": "Frankfurt data centre",
    "started_at": NOW - dt.timedelta(hours=2),
    "finished_at": NOW - dt.timedelta(hours=1),
    "performer_name": "Li Wei",
    "performer_title": "IT lead, Lumen",
    "performer_contact": "it@example.com",
}
LEGAL = {
    S.PLANNED: {S.SCHEDULED, S.CANCELLED},
    S.SCHEDULED: {S.PLANNED, S.PERFORMED, S.FAILED, S.CANCELLED},
    S.PERFORMED: {S.VERIFIED, S.FAILED},
    S.VERIFIED: {S.CERTIFIED},
    S.CERTIFIED: set(),
    S.FAILED: set(),
    S.CANCELLED: set(),
}


@pytest.fixture
def job(winddown, it, legal):
    holding = f.holding(winddown)
    f.decision(holding, legal)
    f.notified(winddown)
    job = service.job_create(by=it, title="Delete order data")
    service.job_item_add(by=it, job=job, kind=JobItem.Kind.HOLDING, holding=holding)
    return job


def _perform(it, job, outcome="destroyed", **extra):
    item = job.items.get()
    service.job_perform(by=it, job=job, outcomes={item.pk: {"outcome": outcome, **extra}}, **METHOD)
    job.refresh_from_db()


def _to(job, it, director, status):
    """Bring a fresh job to `status` along the legal path."""
    if status == S.PLANNED:
        return
    if status == S.CANCELLED:
        service.job_cancel(by=it, job=job, reason="not needed")
        return
    service.job_schedule(by=it, job=job, scheduled_for=NOW + dt.timedelta(hours=1))
    if status == S.SCHEDULED:
        return
    if status == S.FAILED:
        service.job_fail(by=it, job=job, reason="shredder broke")
        return
    _perform(it, job)
    if status == S.PERFORMED:
        return
    service.job_verify(
        by=it,
        job=job,
        validator_name="Anna Weber",
        verification_method="full",
        verification_result="query returned 0 rows",
    )
    if status == S.VERIFIED:
        return
    service.job_certify(by=director, job=job)


def _attempt(job, it, director, to):
    calls = {
        S.PLANNED: lambda: service.job_unschedule(by=it, job=job, reason="x"),
        S.SCHEDULED: lambda: service.job_schedule(
            by=it, job=job, scheduled_for=NOW + dt.timedelta(hours=1)
        ),
        S.PERFORMED: lambda: _perform(it, job),
        S.VERIFIED: lambda: service.job_verify(
            by=it,
            job=job,
            validator_name="Anna Weber",
            verification_method="full",
            verification_result="ok",
        ),
        S.CERTIFIED: lambda: service.job_certify(by=director, job=job),
        S.FAILED: lambda: service.job_fail(by=it, job=job, reason="x"),
        S.CANCELLED: lambda: service.job_cancel(by=it, job=job, reason="x"),
    }
    calls[to]()


ILLEGAL = [(a, b) for a in S.values for b in S.values if b not in LEGAL[a] and a != b]


@pytest.mark.parametrize(("start", "target"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_it_refuses_every_illegal_transition(job, it, director, start, target):
    _to(job, it, director, start)
    job.refresh_from_db()
    assert job.status == start
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        _attempt(job, it, director, target)
    job.refresh_from_db()
    assert job.status == start
    assert AuditEvent.objects.count() == events


def test_the_transition_table_is_the_one_the_tests_expect():
    assert {k: set(v) for k, v in service.TRANSITIONS.items()} == LEGAL


def test_it_audits_every_transition_of_the_happy_path(job, it, director):
    _to(job, it, director, S.CERTIFIED)
    actions = list(
        AuditEvent.objects.filter(object_type="destruction.destructionjob", object_id=str(job.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "destruction.job_created",
        "destruction.job_scheduled",
        "destruction.job_performed",
        "destruction.job_verified",
        "destruction.job_certified",
    ]


def test_performing_marks_the_holding_destroyed_and_the_decision_executed_by_the_job(
    job, it, director
):
    _to(job, it, director, S.PERFORMED)
    holding = job.items.get().holding
    holding.refresh_from_db()
    holding.decision.refresh_from_db()
    assert (
        holding.destroyed_by_job == job.reference and holding.destroyed_at == METHOD["finished_at"]
    )
    assert holding.decision.executed_by_job == job.reference
    holding.system.refresh_from_db()
    assert holding.system.status == "cleaned"  # its only holding is gone
    assert [g["gate"] for g in job.gates_at_performance if g["passed"]] == [1, 2, 3, 4, 6]


def test_a_job_whose_every_item_failed_fails(job, it, director):
    _to(job, it, director, S.SCHEDULED)
    _perform(it, job, outcome="failed")
    assert job.status == S.FAILED
    assert job.items.get().holding.destroyed_at is None


def test_an_exception_must_be_stated(job, it, director):
    _to(job, it, director, S.SCHEDULED)
    with pytest.raises(ValidationError, match="what was not destroyed"):
        _perform(it, job, outcome="destroyed_with_exceptions")
    _perform(
        it, job, outcome="destroyed_with_exceptions", exception_text="hidden sectors not erased"
    )
    assert job.items.get().exception_text == "hidden sectors not erased"


def test_performing_refuses_a_technique_without_its_parameters(job, it, director):
    _to(job, it, director, S.SCHEDULED)
    item = job.items.get()
    method = {**METHOD, "technique": "shred", "sanitization_level": "destroy"}
    with pytest.raises(ValidationError) as refused:
        service.job_perform(by=it, job=job, outcomes={item.pk: {"outcome": "destroyed"}}, **method)
    assert "particle_size" in refused.value.message_dict
    job.refresh_from_db()
    assert job.status == S.SCHEDULED


def test_verifying_requires_the_validator(job, it, director):
    _to(job, it, director, S.PERFORMED)
    with pytest.raises(ValidationError) as refused:
        service.job_verify(by=it, job=job, verification_method="full", verification_result="ok")
    assert "validator_name" in refused.value.message_dict
    with pytest.raises(ValidationError, match="must not be the performer"):
        service.job_verify(
            by=it,
            job=job,
            validator_name="li wei",
            verification_method="full",
            verification_result="ok",
        )
    job.refresh_from_db()
    assert job.status == S.PERFORMED


def test_the_validator_cannot_be_the_performer_in_the_database(job):
    DestructionJob.objects.filter(pk=job.pk).update(performer_name="Li Wei", validator_name="Anna")
    with pytest.raises(IntegrityError), transaction.atomic():
        DestructionJob.objects.filter(pk=job.pk).update(validator_name="Li Wei")
    if connection.vendor == "postgresql":  # iexact: case does not make two people
        with pytest.raises(IntegrityError), transaction.atomic():
            DestructionJob.objects.filter(pk=job.pk).update(validator_name="LI WEI")
    job.refresh_from_db()
    assert job.validator_name == "Anna"


def test_an_overdue_processor_request_blocks_certifying_until_the_processor_answers(
    winddown, it, legal, director
):
    """The real story: the processor misses its deadline (beat escalates the request), the job
    is performed with that item failed, and certifying waits for the processor's answer."""
    from destruction.models import ProcessorRequest
    from destruction.services.processor_answers import processor_request_answer
    from destruction.services.processor_emails import processor_request_escalate
    from destruction.tests.factories_processors import processor_system, sent_request

    saas = processor_system(winddown, name="Mailchimp")
    for holding in saas.holdings.all():
        f.decision(holding, legal)
        f.notified(winddown, jurisdiction=holding.jurisdiction)
    own = f.holding(winddown)
    f.decision(own, legal)
    request = sent_request(it, saas)
    ProcessorRequest.objects.filter(pk=request.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    assert processor_request_escalate(request_id=request.pk)
    job = service.job_create(by=it, title="Processor")
    own_item = service.job_item_add(by=it, job=job, kind="holding", holding=own)
    item = service.job_item_add(by=it, job=job, kind="processor_request", processor_request=request)
    service.job_schedule(by=it, job=job, scheduled_for=NOW + dt.timedelta(hours=1))
    outcomes = {own_item.pk: {"outcome": "destroyed"}, item.pk: {"outcome": "failed"}}
    service.job_perform(by=it, job=job, outcomes=outcomes, **METHOD)
    service.job_verify(
        by=it,
        job=job,
        validator_name="Anna",
        verification_method="sampling",
        verification_sample_percent=10,
        verification_result="ok",
    )
    with pytest.raises(ValidationError, match="Overdue processor requests"):
        service.job_certify(by=director, job=job)
    job.refresh_from_db()
    assert job.status == S.VERIFIED
    processor_request_answer(
        request=request,
        answers={answer.pk: {"answer": "deleted"} for answer in request.items.all()},
        attester_name="Ulla Berg",
        attester_role="DPO",
        attester_email="ulla@mailer.example",
        attested=True,
    )
    service.job_certify(by=director, job=job)
    job.refresh_from_db()
    assert job.status == S.CERTIFIED


def test_only_it_may_move_a_job(job, member):
    from django.core.exceptions import PermissionDenied

    for role in ("director", "legal", "auditor", "support"):
        with pytest.raises(PermissionDenied):
            service.job_schedule(by=member(role), job=job, scheduled_for=NOW)
    job.refresh_from_db()
    assert job.status == S.PLANNED
