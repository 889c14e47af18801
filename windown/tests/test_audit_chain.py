"""The audit trail is a hash chain: any later edit or deletion is found by verify_audit."""

import itertools
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from windown.audit import GENESIS_HASH, audit_record, audit_verify
from windown.models import AuditEvent


def record(winddown, n, actor=None):
    for i in range(n):
        audit_record(winddown=winddown, actor=actor, action="test.step", payload={"i": i})


def tamper(sql, params):
    """Change the table behind the app's back, as a person with database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a database superuser can switch triggers off
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_each_event_carries_the_hash_of_the_one_before(winddown):
    record(winddown, 3)
    events = list(AuditEvent.objects.filter(winddown=winddown).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert audit_verify(winddown).ok


def test_chains_of_two_winddowns_are_independent(winddown, other_winddown):
    record(winddown, 2)
    record(other_winddown, 1)
    assert audit_verify(winddown).ok and audit_verify(other_winddown).ok
    assert AuditEvent.objects.filter(winddown=other_winddown).order_by("seq").first().prev_hash == (
        GENESIS_HASH
    )


def test_verify_audit_passes_on_an_intact_chain(winddown, capsys):
    record(winddown, 2)
    call_command("verify_audit", winddown="acme")
    assert "acme: OK" in capsys.readouterr().out


def test_an_edited_payload_makes_verify_audit_fail_and_name_the_event(winddown):
    record(winddown, 4)
    victim = AuditEvent.objects.get(winddown=winddown, seq=4)
    tamper("UPDATE windown_auditevent SET payload = %s WHERE id = %s", ['{"i": 99}', victim.pk])
    with pytest.raises(
        CommandError, match=rf"event #4 \(test.step\) was altered.*event id {victim.pk}"
    ):
        call_command("verify_audit", winddown="acme")


def test_an_edited_actor_is_detected(winddown):
    record(winddown, 2)
    victim = AuditEvent.objects.get(winddown=winddown, seq=3)
    tamper("UPDATE windown_auditevent SET actor_label = %s WHERE id = %s", ["someone", victim.pk])
    report = audit_verify(winddown)
    assert not report.ok and report.bad_event.pk == victim.pk


def test_a_deleted_event_in_the_middle_is_detected(winddown):
    record(winddown, 4)
    tamper("DELETE FROM windown_auditevent WHERE winddown_id = %s AND seq = 3", [winddown.pk])
    with pytest.raises(CommandError, match="event #4 follows #2: event #3 is missing"):
        call_command("verify_audit", winddown="acme")


def test_a_deleted_last_event_is_detected(winddown):
    record(winddown, 3)
    last = AuditEvent.objects.filter(winddown=winddown).order_by("-seq").first()
    tamper("DELETE FROM windown_auditevent WHERE id = %s", [last.pk])
    with pytest.raises(CommandError, match="events were removed"):
        call_command("verify_audit", winddown="acme")


def test_a_rehashed_forgery_breaks_the_link_to_the_next_event(winddown):
    """Someone who edits an event and recomputes its hash still breaks the next link."""
    from windown.audit import _hash_of

    record(winddown, 3)
    victim = AuditEvent.objects.get(winddown=winddown, seq=2)
    victim.payload = {"i": 42}
    forged = _hash_of(victim)
    tamper(
        "UPDATE windown_auditevent SET payload = %s, hash = %s WHERE id = %s",
        ['{"i": 42}', forged, victim.pk],
    )
    report = audit_verify(winddown)
    assert not report.ok
    assert report.bad_event.seq == 3
    assert "does not link" in report.problem


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the trigger exists on PostgreSQL")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE windown_auditevent SET action = 'x' WHERE winddown_id = %s",
        "DELETE FROM windown_auditevent WHERE winddown_id = %s",
    ],
)
def test_on_postgres_the_database_refuses_updates_and_deletes(winddown, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [winddown.pk])
    assert audit_verify(winddown).ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    from windown.tests.factories import make_winddown

    winddown = make_winddown(slug="busy")
    writers, per_writer, errors = 6, 15, []

    def write():
        try:
            for i in range(per_writer):
                with transaction.atomic():
                    audit_record(
                        winddown=winddown, actor=None, action="test.concurrent", payload={"i": i}
                    )
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    events = AuditEvent.objects.filter(winddown=winddown, action="test.concurrent")
    assert events.count() == writers * per_writer
    report = audit_verify(winddown)
    assert report.ok, report.problem
    assert len(
        set(AuditEvent.objects.filter(winddown=winddown).values_list("prev_hash", flat=True))
    ) == (report.checked)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the trigger exists on PostgreSQL")
def test_on_postgres_truncate_is_refused_unless_the_database_allows_it(winddown):
    with (
        pytest.raises(DatabaseError, match="append-only: TRUNCATE"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL windown.allow_truncate = off")
        cursor.execute("TRUNCATE windown_auditevent CASCADE")


def test_the_nightly_verification_records_a_broken_chain_in_the_trail(winddown):
    from windown.tasks import verify_audit_chains

    record(winddown, 2)
    victim = AuditEvent.objects.get(winddown=winddown, seq=3)
    tamper("UPDATE windown_auditevent SET action = %s WHERE id = %s", ["forged", victim.pk])
    verify_audit_chains()  # the task body, called directly
    last = AuditEvent.objects.filter(winddown=winddown).order_by("-seq").first()
    assert last.action == "audit.chain_broken"
    assert "event #3" in last.payload["problem"]
