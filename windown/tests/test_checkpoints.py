"""Signed checkpoints of the audit log: signing, refusal, inclusion proofs, verify_audit."""

import base64
import json
import logging

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from windown import merkle
from windown.audit import _hash_of, audit_record
from windown.checkpoints import (
    CheckpointRefused,
    LogMismatch,
    checkpoint_sign,
    inclusion_proof_for,
    inclusion_proofs_for,
    note_parse,
    note_verify,
)
from windown.models import AuditEvent, Checkpoint
from windown.roles import Role
from windown.tests.test_audit_chain import record, tamper

pytestmark = pytest.mark.usefixtures("signing_ca")


def leaves_of(winddown):
    hashes = AuditEvent.objects.filter(winddown=winddown).order_by("seq").values_list("hash")
    return [merkle.leaf_hash(bytes.fromhex(h)) for (h,) in hashes]


def rewrite_from(winddown, seq, payload):
    """Edit event #seq and recompute every later hash and link, as a careful forger would."""
    prev_hash = None
    for event in AuditEvent.objects.filter(winddown=winddown, seq__gte=seq).order_by("seq"):
        if event.seq == seq:
            event.payload = payload
        if prev_hash is not None:
            event.prev_hash = prev_hash
        event.hash = _hash_of(event)
        tamper(
            "UPDATE windown_auditevent SET payload = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [json.dumps(event.payload), event.prev_hash, event.hash, event.pk],
        )
        prev_hash = event.hash
    tamper(
        "UPDATE windown_audithead SET hash = %s WHERE winddown_id = %s", [prev_hash, winddown.pk]
    )


def size_of(winddown):
    return AuditEvent.objects.filter(winddown=winddown).count()


def keep(tmp_path, checkpoint, name="kept.txt"):
    path = tmp_path / name
    path.write_text(checkpoint.signed_text, encoding="utf-8")
    return path


def test_it_signs_every_committed_event_and_records_the_signing_as_the_next_event(winddown):
    record(winddown, 4)
    size = AuditEvent.objects.filter(winddown=winddown).count()

    checkpoint = checkpoint_sign(winddown=winddown)

    assert checkpoint.tree_size == size
    expected_root = merkle.root(iter(leaves_of(winddown)), size)
    assert checkpoint.root_hash == expected_root.hex()
    lines = checkpoint.signed_text.split("\n")
    assert lines[:3] == [
        "windown.localhost/acme",
        str(size),
        base64.b64encode(expected_root).decode(),
    ]
    assert lines[3].startswith("time ") and lines[4] == ""
    assert lines[5].startswith("\u2014 windown.localhost ")
    assert note_verify(note_parse(checkpoint.signed_text))
    last = AuditEvent.objects.filter(winddown=winddown).order_by("-seq").first()
    assert (last.seq, last.action) == (size + 1, "audit.checkpoint_signed")
    assert last.payload == {"tree_size": size, "root_hash": checkpoint.root_hash}


def test_the_next_checkpoint_extends_the_previous_one(winddown):
    first = checkpoint_sign(winddown=winddown)
    record(winddown, 3)
    second = checkpoint_sign(winddown=winddown)

    assert second.tree_size == first.tree_size + 1 + 3
    hashes = leaves_of(winddown)
    ranges = merkle.consistency_ranges(first.tree_size, second.tree_size)
    roots = merkle.range_roots(iter(hashes), ranges)
    assert merkle.verify_consistency(
        old_size=first.tree_size,
        new_size=second.tree_size,
        old_root=bytes.fromhex(first.root_hash),
        new_root=bytes.fromhex(second.root_hash),
        path=[roots[r] for r in ranges],
    )


def test_it_refuses_to_sign_a_log_that_does_not_extend_the_last_checkpoint(
    winddown, member, caplog, mailoutbox
):
    auditor, it = member(Role.AUDITOR), member(Role.IT)
    record(winddown, 3)
    checkpoint_sign(winddown=winddown)
    rewrite_from(winddown, 2, {"i": "forged"})

    with caplog.at_level(logging.ERROR), pytest.raises(CheckpointRefused, match="no longer hash"):
        checkpoint_sign(winddown=winddown)

    assert Checkpoint.objects.filter(winddown=winddown).count() == 1
    last = AuditEvent.objects.filter(winddown=winddown).order_by("-seq").first()
    assert last.action == "audit.checkpoint_refused"
    assert "no longer hash to checkpoint" in last.payload["problem"]
    assert "Refused to sign a checkpoint of acme" in caplog.text
    (alert,) = mailoutbox  # to those who watch the audit trail: director and auditor, not IT
    director = winddown.memberships.get(role=Role.DIRECTOR).user
    assert sorted(alert.to) == sorted([director.email, auditor.user.email])
    assert it.user.email not in alert.to
    assert "was rewritten" in alert.subject
    assert (
        "no longer hash to checkpoint" in alert.body and "/w/acme/audit/checkpoints/" in alert.body
    )


def test_it_refuses_when_the_stored_checkpoint_was_forged_in_the_database(winddown):
    record(winddown, 2)
    checkpoint = checkpoint_sign(winddown=winddown)
    tamper("UPDATE windown_checkpoint SET root_hash = %s WHERE id = %s", ["00" * 32, checkpoint.pk])
    with pytest.raises(CheckpointRefused, match=f"checkpoint {checkpoint.tree_size} is not valid"):
        checkpoint_sign(winddown=winddown)
    assert Checkpoint.objects.filter(winddown=winddown).count() == 1


def test_the_nightly_task_signs_one_checkpoint_per_winddown(winddown, other_winddown, settings):
    from windown.celery import app
    from windown.tasks import sign_audit_checkpoints

    entry = settings.CELERY_BEAT_SCHEDULE["sign-audit-checkpoints"]
    assert entry["task"] in app.tasks

    sign_audit_checkpoints()  # the task body, called directly
    sign_audit_checkpoints()

    for item in (winddown, other_winddown):
        sizes = list(Checkpoint.objects.filter(winddown=item).values_list("tree_size", flat=True))
        assert len(sizes) == 2 and sizes[0] == sizes[1] + 1  # the second covers the first's record


# --- inclusion proofs ------------------------------------------------------------------------
def test_an_inclusion_proof_proves_an_event_against_its_checkpoint(winddown):
    record(winddown, 6)
    checkpoint = checkpoint_sign(winddown=winddown)
    event = AuditEvent.objects.get(winddown=winddown, seq=3)

    proof = inclusion_proof_for(event=event, checkpoint=checkpoint)

    assert (proof.leaf_index, proof.tree_size) == (2, checkpoint.tree_size)
    assert merkle.verify_inclusion(
        index=proof.leaf_index,
        size=proof.tree_size,
        leaf=merkle.leaf_hash(bytes.fromhex(event.hash)),
        path=[bytes.fromhex(h) for h in proof.path],
        root_hash=bytes.fromhex(note_parse(proof.checkpoint).root_hash.hex()),
    )


def test_proofs_for_many_events_come_from_one_pass_and_equal_the_single_ones(winddown):
    record(winddown, 9)
    checkpoint = checkpoint_sign(winddown=winddown)
    events = list(AuditEvent.objects.filter(winddown=winddown, seq__lte=checkpoint.tree_size))

    batch = inclusion_proofs_for(events=events, checkpoint=checkpoint)

    assert batch == [inclusion_proof_for(event=e, checkpoint=checkpoint) for e in events]


def test_no_inclusion_proof_is_given_once_the_log_was_rewritten(winddown):
    record(winddown, 4)
    checkpoint = checkpoint_sign(winddown=winddown)
    rewrite_from(winddown, 4, {"i": "forged"})
    with pytest.raises(LogMismatch, match="no longer match checkpoint"):
        inclusion_proof_for(
            event=AuditEvent.objects.get(winddown=winddown, seq=2), checkpoint=checkpoint
        )


def test_an_event_after_the_checkpoint_has_no_proof_in_it(winddown):
    checkpoint = checkpoint_sign(winddown=winddown)
    later = audit_record(winddown=winddown, actor=None, action="test.later")
    with pytest.raises(ValueError, match="not in checkpoint"):
        inclusion_proof_for(event=later, checkpoint=checkpoint)


# --- verify_audit --checkpoint ---------------------------------------------------------------
def test_a_log_that_grew_since_a_kept_checkpoint_passes(winddown, tmp_path, capsys):
    record(winddown, 3)
    old = size_of(winddown)
    kept = keep(tmp_path, checkpoint_sign(winddown=winddown))
    record(winddown, 5)

    call_command("verify_audit", checkpoint=kept)

    out = capsys.readouterr().out
    new = old + 1 + 5
    assert f"acme: OK, the log of {new} events extends the signed checkpoint of {old} events" in out


def test_an_edited_row_fails_and_the_event_is_named(winddown, tmp_path):
    record(winddown, 5)
    kept = keep(tmp_path, checkpoint_sign(winddown=winddown))
    victim = AuditEvent.objects.filter(winddown=winddown, action="test.step")[2]
    tamper("UPDATE windown_auditevent SET payload = %s WHERE id = %s", ['{"i": 99}', victim.pk])

    expected = rf"event #{victim.seq} \(test.step\) was altered.*id {victim.pk}"
    with pytest.raises(CommandError, match=expected):
        call_command("verify_audit", checkpoint=kept)


def test_a_rehashed_rewrite_fails_and_names_the_events_between_checkpoints(winddown, tmp_path):
    """A forger who recomputes the whole chain passes the chain walk but not the checkpoints."""
    record(winddown, 3)
    first = checkpoint_sign(winddown=winddown).tree_size
    record(winddown, 3)
    kept_checkpoint = checkpoint_sign(winddown=winddown)
    kept, last = keep(tmp_path, kept_checkpoint), kept_checkpoint.tree_size
    rewrite_from(winddown, last - 1, {"i": "forged"})

    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", checkpoint=kept)

    message = str(failure.value)
    assert f"does NOT extend checkpoint {last}" in message
    assert f"rewritten between event #{first + 1} and event #{last}" in message
    assert "hash chain broken" not in message


def test_a_truncated_log_fails(winddown, tmp_path):
    record(winddown, 3)
    kept = keep(tmp_path, checkpoint_sign(winddown=winddown))
    tamper("DELETE FROM windown_auditevent WHERE winddown_id = %s AND seq > 2", [winddown.pk])
    last = AuditEvent.objects.get(winddown=winddown, seq=2).hash
    tamper(
        "UPDATE windown_audithead SET seq = 2, hash = %s WHERE winddown_id = %s",
        [last, winddown.pk],
    )
    with pytest.raises(CommandError, match="events after #2 were removed"):
        call_command("verify_audit", checkpoint=kept)


def test_a_checkpoint_whose_text_was_changed_is_refused(winddown, tmp_path):
    record(winddown, 3)
    checkpoint = checkpoint_sign(winddown=winddown)
    forged = tmp_path / "forged.txt"
    size = checkpoint.tree_size
    forged.write_text(
        checkpoint.signed_text.replace(f"\n{size}\n", f"\n{size - 1}\n", 1), encoding="utf-8"
    )
    with pytest.raises(CommandError, match="signature is not this installation's"):
        call_command("verify_audit", checkpoint=forged)
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("hello\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not a checkpoint"):
        call_command("verify_audit", checkpoint=garbage)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the trigger exists on PostgreSQL")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE windown_checkpoint SET root_hash = 'x' WHERE winddown_id = %s",
        "DELETE FROM windown_checkpoint WHERE winddown_id = %s",
    ],
)
def test_on_postgres_the_database_refuses_to_change_or_delete_checkpoints(winddown, sql):
    checkpoint = checkpoint_sign(winddown=winddown)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [winddown.pk])
    assert Checkpoint.objects.get(pk=checkpoint.pk).root_hash == checkpoint.root_hash
