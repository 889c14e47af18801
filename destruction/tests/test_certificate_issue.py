"""Issuing: only verified jobs, serials from a sequence, the job becomes certified, all audited."""

import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from destruction.models import Certificate, DestructionJob
from destruction.services.certificates import (
    certificate_delete,
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
    record_json,
)
from destruction.tests.factories_certificates import verified_job
from windown.models import AuditEvent
from windown.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_ca")]


@pytest.fixture
def job(winddown, it, legal):
    return verified_job(winddown, it=it, legal=legal)


def test_it_issues_a_signed_certificate_and_certifies_the_job(job, director):
    certificate = certificate_issue(job=job, actor=director)

    job.refresh_from_db()
    assert job.status == DestructionJob.Status.CERTIFIED
    assert certificate.serial.startswith("WD-20") and len(certificate.serial) == 14
    pdf = certificate.pdf.read()
    assert pdf.startswith(b"%PDF-1.7") and hashlib.sha256(pdf).hexdigest() == certificate.sha256
    record = json.loads(record_json(certificate))
    assert record["serial"] == certificate.serial and record["job"]["reference"] == job.reference
    assert record["inclusion_proof"]["tree_size"] >= record["inclusion_proof"]["event_seq"]
    assert record["checkpoint"].splitlines()[1] == str(record["inclusion_proof"]["tree_size"])
    issued = AuditEvent.objects.get(action="destruction.certificate_issued")
    assert issued.seq == record["inclusion_proof"]["event_seq"]
    assert issued.payload["serial"] == certificate.serial
    assert AuditEvent.objects.filter(
        action="destruction.certificate_signed", object_id=str(certificate.pk)
    ).exists()
    assert certificate.retain_until.year == certificate.issued_at.year + 5


def test_it_refuses_a_job_that_is_not_verified(winddown, it, legal, director, job):
    certificate_issue(job=job, actor=director)
    with pytest.raises(ValidationError, match="Only a verified job"):
        certificate_issue(job=job, actor=director)


def test_a_failed_item_blocks_issuing(winddown, it, legal, director):
    job = verified_job(
        winddown, it=it, legal=legal, items=2, outcomes=[("destroyed", ""), ("failed", "")]
    )
    with pytest.raises(ValidationError, match="failed"):
        certificate_issue(job=job, actor=director)
    assert not Certificate.objects.exists()


def test_an_exception_is_printed(winddown, it, legal, director):
    job = verified_job(
        winddown,
        it=it,
        legal=legal,
        items=1,
        outcomes=[("destroyed_with_exceptions", "Backup tape 7 not reachable")],
    )
    certificate = certificate_issue(job=job, actor=director)
    assert certificate.record["items"][0]["exception"] == "Backup tape 7 not reachable"


@pytest.mark.parametrize("role", [Role.LEGAL, Role.AUDITOR, Role.SUPPORT])
def test_only_the_director_or_it_issue(job, member, role):
    with pytest.raises(PermissionDenied):
        certificate_issue(job=job, actor=member(role))


def test_it_issues_as_it(job, it):
    assert certificate_issue(job=job, actor=it).issued_by == it


def test_the_director_revokes_with_a_reason_and_a_reissue_names_the_old_serial(job, director, it):
    old = certificate_issue(job=job, actor=director)
    with pytest.raises(PermissionDenied):
        certificate_revoke(certificate=old, actor=it, reason="typo")
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=old, actor=director, reason=" ")
    certificate_revoke(certificate=old, actor=director, reason="Wrong witness named")
    old.refresh_from_db()
    assert old.status == "revoked" and old.revocation_reason == "Wrong witness named"
    assert AuditEvent.objects.filter(action="destruction.certificate_revoked").count() == 1

    new = certificate_reissue(certificate=old, actor=it)
    assert new.serial != old.serial and new.replaces == old
    assert new.record["replaces"] == old.serial
    with pytest.raises(ValidationError, match="already replaced"):
        certificate_reissue(certificate=old, actor=director)


def test_nothing_deletes_a_certificate_before_its_retention_ends(job, director):
    certificate = certificate_issue(job=job, actor=director)
    with pytest.raises(ValidationError, match="kept until"):
        certificate_delete(certificate=certificate, actor=director)
    assert Certificate.objects.filter(pk=certificate.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_postgresql_refuses_deleting_or_rewriting_a_kept_certificate(job, director):
    certificate = certificate_issue(job=job, actor=director)
    with pytest.raises(DatabaseError, match="kept until"), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).delete()
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(sha256="0" * 64)
    assert Certificate.objects.get(pk=certificate.pk).sha256 == certificate.sha256
