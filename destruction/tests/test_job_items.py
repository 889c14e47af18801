"""The parts of destruction working together: a job's processor request, archive shred and
archive original items, and the destruction page with the director's panels."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from destruction.models import Archive, ArchiveKeyEnvelope, DestructionJob, JobItem
from destruction.selectors.archives import archive_verified_for_holding
from destruction.services import jobs as service
from destruction.services.archives import archive_verify
from destruction.services.processor_answers import processor_request_answer
from destruction.tests import factories as f
from destruction.tests import factories_archives as fa
from destruction.tests.factories_processors import processor_system, sent_request
from destruction.tests.test_status_machine import METHOD

pytestmark = pytest.mark.django_db
S = DestructionJob.Status
NOW = timezone.now()
TODAY = timezone.localdate()
VERIFY = {
    "validator_name": "Anna Weber",
    "verification_method": "full",
    "verification_result": "read back: nothing left",
}


def _answer(request, answers: dict[str, dict[str, str]]):
    """Answer each category of the request by its key (`deleted` unless named)."""
    return processor_request_answer(
        request=request,
        answers={
            item.pk: answers.get(item.category.key, {"answer": "deleted"})
            for item in request.items.select_related("category")
        },
        attester_name="Ulla Berg",
        attester_role="DPO",
        attester_email="ulla@mailer.example",
        attested=True,
    )


@pytest.fixture
def processor_job(winddown, it, legal):
    system = processor_system(winddown)
    for holding in system.holdings.all():
        f.decision(holding, legal)
    for jurisdiction in ("DE", "FR", "CN", "US-CA"):
        f.notified(winddown, jurisdiction=jurisdiction)
    request = sent_request(it, system)
    job = service.job_create(by=it, title="Mailer deletion")
    item = service.job_item_add(
        by=it, job=job, kind=JobItem.Kind.PROCESSOR_REQUEST, processor_request=request
    )
    service.job_schedule(by=it, job=job, scheduled_for=NOW + dt.timedelta(hours=1))
    return job, item, request


def _perform(it, job, item, **given):
    service.job_perform(by=it, job=job, outcomes={item.pk: given}, **METHOD)
    job.refresh_from_db()
    item.refresh_from_db()


def test_an_unanswered_processor_request_can_only_be_performed_as_failed(processor_job, it):
    job, item, request = processor_job
    with pytest.raises(ValidationError, match="has not answered"):
        _perform(it, job, item, outcome="destroyed")
    job.refresh_from_db()
    assert job.status == S.SCHEDULED
    _perform(it, job, item, outcome="failed")
    assert job.status == S.FAILED and item.outcome == JobItem.Outcome.FAILED
    request.system.refresh_from_db()
    assert request.system.status != "cleaned"


def test_a_processor_items_outcome_follows_the_answer_not_what_it_types(processor_job, it):
    job, item, request = processor_job
    _answer(request, {"user.name": {"answer": "retained", "retention_basis": "HGB §257"}})
    _perform(it, job, item, outcome="destroyed")
    assert job.status == S.PERFORMED
    assert item.outcome == JobItem.Outcome.DESTROYED_WITH_EXCEPTIONS
    assert item.exception_text == "user.name: HGB §257"
    request.system.refresh_from_db()
    assert request.system.status == "cleaned"


def test_a_refused_processor_request_fails_its_item(processor_job, it):
    job, item, request = processor_job
    _answer(request, {"user.name": {"answer": "refused", "refusal_reason": "Contract dispute"}})
    _perform(it, job, item, outcome="destroyed")
    assert item.outcome == JobItem.Outcome.FAILED and job.status == S.FAILED
    assert "Contract dispute" in item.exception_text


def test_a_fully_deleted_answer_destroys_the_item(processor_job, it):
    job, item, request = processor_job
    _answer(request, {})
    _perform(it, job, item)
    assert item.outcome == JobItem.Outcome.DESTROYED and item.exception_text == ""


@pytest.fixture
def verified_archive(winddown, legal, it):
    decision = fa.archive_decision(winddown, legal)
    f.notified(winddown, jurisdiction=decision.holding.jurisdiction)
    fa.custodian(it)
    archive = fa.make_archive(it, decision, count=5)
    digest = hashlib.sha256(fa.expected_plaintext(5, decision)).hexdigest()
    return archive_verify(by=it, archive=archive, plaintext_sha256=digest, custodian_name="Wang")


def test_a_crypto_erase_job_shreds_a_due_archive_end_to_end(
    verified_archive, it, director, settings
):
    settings.WINDOWN_BACKUP_RETENTION_DAYS = 30
    archive = verified_archive
    Archive.objects.filter(pk=archive.pk).update(retain_until=TODAY - dt.timedelta(days=1))
    stored = archive.ciphertext_name
    assert default_storage.exists(stored)
    job = service.job_create(by=it, title="Shred the invoice archive")
    item = service.job_item_add(by=it, job=job, kind=JobItem.Kind.ARCHIVE_SHRED, archive=archive)
    service.job_schedule(by=it, job=job, scheduled_for=NOW + dt.timedelta(hours=1))
    method = {
        **METHOD,
        "technique": "crypto_erase",
        "sanitization_level": "purge",
        "crypto_key_id": archive.reference,
    }
    service.job_perform(by=it, job=job, outcomes={item.pk: {"outcome": "destroyed"}}, **method)
    service.job_verify(by=it, job=job, **VERIFY)

    job.refresh_from_db()
    item.refresh_from_db()
    archive.refresh_from_db()
    assert job.status == S.VERIFIED
    assert archive.status == Archive.Status.SHREDDED
    assert not default_storage.exists(stored)
    assert not ArchiveKeyEnvelope.objects.filter(archive=archive).exists()
    assert item.result["job"] == job.reference and item.result == archive.shred_record
    locations = {loc["location"] for loc in item.result["key_locations"]}
    assert {"database", "storage", "custodian", "database backups"} <= locations
    assert (
        item.result["backups_hold_envelope_until"]
        == (archive.shredded_at.date() + dt.timedelta(days=30)).isoformat()
    )
    with pytest.raises(ValidationError, match="cannot be shredded"):
        from destruction.services.archives import archive_crypto_shred

        archive_crypto_shred(by=it, archive=archive, job=None)


def test_a_verified_archive_lets_a_job_destroy_the_original_holding(verified_archive, it):
    holding = verified_archive.decision.holding
    assert archive_verified_for_holding(holding) == verified_archive
    job = service.job_create(by=it, title="Originals of the archived invoices")
    item = service.job_item_add(by=it, job=job, kind="archive_original", holding=holding)
    service.job_schedule(by=it, job=job, scheduled_for=NOW + dt.timedelta(hours=1))
    service.job_perform(by=it, job=job, outcomes={item.pk: {"outcome": "destroyed"}}, **METHOD)

    job.refresh_from_db()
    holding.refresh_from_db()
    assert job.status == S.PERFORMED
    assert holding.destroyed_by_job == job.reference and holding.destroyed_at
    assert {g["gate"] for g in job.gates_at_performance if g["passed"]} >= {5}
    verified_archive.refresh_from_db()
    assert verified_archive.status == Archive.Status.VERIFIED  # the archive itself is kept


def test_the_destruction_page_shows_the_directors_panels_and_links(
    client_for, winddown, director, legal, it
):
    decision = fa.archive_decision(winddown, legal)
    fa.custodian(it)
    archive = fa.make_archive(it, decision)
    Archive.objects.filter(pk=archive.pk).update(retain_until=TODAY - dt.timedelta(days=1))
    request = sent_request(it)
    request.__class__.objects.filter(pk=request.pk).update(status="overdue")

    response = client_for(director).get(f"/w/{winddown.slug}/destruction/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="archives-due"' in page and archive.reference in page
    assert 'id="processor-requests-panel"' in page and request.reference in page
    for path in ("archives/", "archives/#custodian-keys", "processor-requests/", "#vendors"):
        assert path in page, path


def test_the_destruction_pages_query_count_does_not_grow_with_the_data(
    client_for, winddown, director, legal, it
):
    client = client_for(director)
    fa.custodian(it)

    def grow(name: str) -> None:
        archive = fa.make_archive(it, fa.archive_decision(winddown, legal, system_name=name))
        Archive.objects.filter(pk=archive.pk).update(retain_until=TODAY - dt.timedelta(days=1))
        request = sent_request(it, processor_system(winddown, name=f"SaaS {name}"))
        request.__class__.objects.filter(pk=request.pk).update(status="overdue")
        job = service.job_create(by=it, title=f"Job {name}")
        service.job_item_add(by=it, job=job, kind="processor_request", processor_request=request)
        f.vendor(winddown, it, name=f"Vendor {name}")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/w/{winddown.slug}/destruction/").status_code == 200
        return len(captured)

    grow("A")
    one = queries()
    for name in ("B", "C", "D"):
        grow(name)
    assert queries() == one
