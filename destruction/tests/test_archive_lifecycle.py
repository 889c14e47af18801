"""Verifying an archive, the archives due for shredding, and crypto-shredding one."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from compliance.services import hold_place, hold_release
from destruction.models import Archive, ArchiveKeyEnvelope
from destruction.selectors.archives import (
    archive_verified_for_holding,
    archives_due_for_shredding,
)
from destruction.services.archives import archive_crypto_shred, archive_verify
from destruction.tasks import notice_archives_due
from destruction.tests.factories_archives import (
    archive_decision,
    custodian,
    expected_plaintext,
    make_archive,
)
from windown.models import AuditEvent

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def identity(director):
    return custodian(director)


@pytest.fixture
def key_file(identity, tmp_path):
    path = tmp_path / "custodian.key"
    path.write_text(f"{identity}\n")
    return path


@pytest.fixture
def archive(winddown, legal, it, identity):
    return make_archive(it, archive_decision(winddown, legal), count=20)


def verified(archive, it):
    digest = hashlib.sha256(expected_plaintext(archive.row_count, archive.decision)).hexdigest()
    return archive_verify(by=it, archive=archive, plaintext_sha256=digest, custodian_name="Wang")


def past_retention(archive, days=1):
    Archive.objects.filter(pk=archive.pk).update(retain_until=TODAY - dt.timedelta(days=days))
    archive.refresh_from_db()
    return archive


# ------------------------------------------------------------------------------- verification
def test_it_verifies_when_the_custodian_reports_the_manifest_sha256(archive, it):
    assert archive_verified_for_holding(archive.decision.holding) is None
    verified(archive, it)
    archive.refresh_from_db()
    assert archive.status == Archive.Status.VERIFIED
    assert archive.verified_custodian == "Wang"
    assert archive.verification_method == Archive.Verification.SHA256
    assert archive_verified_for_holding(archive.decision.holding) == archive
    assert AuditEvent.objects.filter(action="destruction.archive_verified").count() == 1


def test_it_refuses_a_wrong_sha256_and_records_nothing(archive, it):
    wrong = hashlib.sha256(b"something else").hexdigest()
    with pytest.raises(ValidationError, match="does not match the manifest"):
        archive_verify(by=it, archive=archive, plaintext_sha256=wrong, custodian_name="Wang")
    archive.refresh_from_db()
    assert archive.status == Archive.Status.ENCRYPTED
    assert archive.verified_at is None
    assert archive_verified_for_holding(archive.decision.holding) is None
    assert not AuditEvent.objects.filter(action="destruction.archive_verified").exists()


def test_it_refuses_something_that_is_not_a_sha256(archive, it):
    with pytest.raises(ValidationError, match="64 hexadecimal"):
        archive_verify(by=it, archive=archive, plaintext_sha256="abc", custodian_name="Wang")


def test_it_records_a_read_back_through_decrypt_archive_as_verification(
    archive, it, key_file, tmp_path
):
    call_command(
        "decrypt_archive",
        archive.pk,
        "-i",
        key_file,
        "-o",
        tmp_path / "back.csv",
        "--record-verification",
        "Wang Fang",
        stdout=io.StringIO(),
    )
    archive.refresh_from_db()
    assert archive.status == Archive.Status.VERIFIED
    assert archive.verification_method == Archive.Verification.READ_BACK
    assert archive.verified_by == it.user
    assert archive.verified_custodian == "Wang Fang"


# ------------------------------------------------------------------------ due for shredding
def test_it_lists_archives_past_retention_that_no_hold_covers(winddown, legal, it, identity):
    due = past_retention(make_archive(it, archive_decision(winddown, legal, system_name="A")))
    held = past_retention(make_archive(it, archive_decision(winddown, legal, system_name="B")))
    kept = make_archive(it, archive_decision(winddown, legal, system_name="C"))  # until 2054
    today_ends = past_retention(
        make_archive(it, archive_decision(winddown, legal, system_name="D")), days=0
    )
    hold = hold_place(
        by=legal, reference="LH-9", reason="tax audit", systems=[held.decision.holding.system]
    )

    assert notice_archives_due.apply().get() == [due.pk]

    assert [a.pk for a in archives_due_for_shredding(winddown)] == [due.pk]
    due.refresh_from_db()
    assert due.due_noticed_at is not None
    for other in (held, kept, today_ends):
        other.refresh_from_db()
        assert other.due_noticed_at is None
    assert AuditEvent.objects.filter(action="destruction.archive_due_for_shredding").count() == 1
    # polling again notices nothing new; releasing the hold makes the held one due
    notice_archives_due.apply().get()
    assert AuditEvent.objects.filter(action="destruction.archive_due_for_shredding").count() == 1
    hold_release(by=legal, hold=hold, reason="audit closed")
    assert sorted(notice_archives_due.apply().get()) == sorted([due.pk, held.pk])
    assert {a.pk for a in archives_due_for_shredding(winddown)} == {due.pk, held.pk}
    assert [a.pk for a in archives_due_for_shredding(winddown, today=TODAY + dt.timedelta(1))] != []


# ------------------------------------------------------------------------------ crypto-shred
def test_it_crypto_shreds_and_the_archive_can_no_longer_be_read(
    archive, it, key_file, tmp_path, settings
):
    settings.WINDOWN_BACKUP_RETENTION_DAYS = 30
    call_command("export_archive", archive.pk, "-o", tmp_path / "copy", stdout=io.StringIO())
    past_retention(verified(archive, it))
    stored = archive.ciphertext_name
    envelope_pk = ArchiveKeyEnvelope.objects.get(archive=archive).pk
    assert default_storage.exists(stored)

    record = archive_crypto_shred(by=it, archive=archive, job=None)

    assert not default_storage.exists(stored)
    assert not ArchiveKeyEnvelope.objects.filter(archive=archive).exists()
    archive.refresh_from_db()
    assert archive.status == Archive.Status.SHREDDED
    assert archive.backups_hold_envelope_until == archive.shredded_at.date() + dt.timedelta(30)
    locations = {(loc["location"], loc["action"]) for loc in record["key_locations"]}
    assert ("database", "deleted") in locations
    assert ("storage", "deleted") in locations
    assert any(loc["location"] == "database files" for loc in record["key_locations"])
    assert any(loc["location"] == "exported copy" for loc in record["key_locations"])
    custodians = [loc for loc in record["key_locations"] if loc["location"] == "custodian"]
    assert custodians[0]["recipient"] == archive.recipients[0]["recipient"]
    backups = [loc for loc in record["key_locations"] if loc["location"] == "database backups"]
    assert backups[0]["until"] == archive.backups_hold_envelope_until.isoformat()
    assert archive.backups_hold_envelope_until.isoformat() in record["statement"]
    assert envelope_pk in [loc.get("row") for loc in record["key_locations"]]
    assert archive.shred_record == record
    event = AuditEvent.objects.get(action="destruction.archive_crypto_shredded")
    assert event.payload["backups_hold_envelope_until"] == record["backups_hold_envelope_until"]
    # the manifest survives as the record; the data does not
    assert archive.manifest["plaintext"]["sha256"] == archive.plaintext_sha256
    with pytest.raises(CommandError, match="crypto-shredded"):
        call_command("decrypt_archive", archive.pk, "-i", key_file, "-o", tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()
    with pytest.raises(CommandError, match="crypto-shredded"):
        call_command("export_archive", archive.pk, "-o", tmp_path / "again")
    assert archive_verified_for_holding(archive.decision.holding) is None


def test_it_refuses_to_shred_before_retention_ends_or_under_a_hold(archive, it, legal):
    with pytest.raises(ValidationError, match="must be kept until 2054-12-31"):
        archive_crypto_shred(by=it, archive=archive, job=None)
    past_retention(archive)
    hold_place(by=legal, reference="LH-1", reason="dispute", jurisdictions=["CN"])
    with pytest.raises(ValidationError, match="legal hold"):
        archive_crypto_shred(by=it, archive=archive, job=None)
    archive.refresh_from_db()
    assert archive.status == Archive.Status.ENCRYPTED
    assert default_storage.exists(archive.ciphertext_name)
    assert ArchiveKeyEnvelope.objects.filter(archive=archive).count() == 1


def test_it_refuses_to_shred_twice(archive, it):
    past_retention(archive)
    archive_crypto_shred(by=it, archive=archive, job=None)
    with pytest.raises(ValidationError, match="cannot be shredded"):
        archive_crypto_shred(by=it, archive=archive, job=None)
    assert AuditEvent.objects.filter(action="destruction.archive_crypto_shredded").count() == 1


def test_the_director_sees_the_due_archives_and_the_held_ones_apart(
    client, winddown, director, legal, it, identity
):
    due = past_retention(make_archive(it, archive_decision(winddown, legal, system_name="A")))
    held = past_retention(make_archive(it, archive_decision(winddown, legal, system_name="B")))
    hold_place(by=legal, reference="LH-2", reason="audit", systems=[held.decision.holding.system])
    client.force_login(director.user)
    body = client.get(f"/w/{winddown.slug}/destruction/archives/").content.decode()
    panel = body.split('id="archives-due"', 1)[1].split("</article>", 1)[0]
    due_part, held_part = panel.split("kept by a legal hold", 1)
    assert due.reference in due_part and held.reference not in due_part
    assert held.reference in held_part


def test_only_effective_archive_decisions_can_be_chosen(winddown, legal, it, identity):
    from compliance.models import Decision
    from destruction.selectors.archives import (
        archivable_decisions,
        is_effective_archive_decision,
    )

    approved = archive_decision(winddown, legal, system_name="A")
    stale = archive_decision(winddown, legal, system_name="B")
    Decision.objects.filter(pk=stale.pk).update(status="stale", status_before_stale="approved")
    assert list(archivable_decisions(winddown)) == [approved]
    assert [d for d in Decision.objects.all() if is_effective_archive_decision(d)] == [approved]


def test_the_archive_pages_query_count_does_not_grow_with_archives(
    client, winddown, director, legal, it, identity
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/w/{winddown.slug}/destruction/archives/").status_code == 200
        return len(captured)

    client.force_login(director.user)
    hold_place(by=legal, reference="LH-3", reason="audit", jurisdictions=["US"])
    past_retention(make_archive(it, archive_decision(winddown, legal, system_name="A")))
    one = queries()
    for name in ("B", "C", "D"):
        past_retention(make_archive(it, archive_decision(winddown, legal, system_name=name)))
    assert queries() == one
