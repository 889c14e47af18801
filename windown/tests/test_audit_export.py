"""The audit trail's export: CSV and JSON lines, streamed, every event with its hash and the
previous one — enough to recompute the whole chain from the file alone — filtered like the
page, audited, and flat in memory however long the trail."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from datetime import UTC, datetime, timedelta

from django.urls import reverse

from windown.audit import GENESIS_HASH, audit_record, event_hash
from windown.models import AuditEvent, AuditHead
from windown.roles import Role


def export(client, fmt: str, **filters) -> tuple[object, str]:
    response = client.get(
        reverse("windown:audit-export", kwargs={"slug": "acme", "fmt": fmt}), filters
    )
    assert response.status_code == 200 and response.streaming
    return response, b"".join(response.streaming_content).decode()


def test_it_exports_json_lines_from_which_every_hash_recomputes(winddown, member, client_for):
    auditor = member(Role.AUDITOR)
    audit_record(winddown=winddown, actor=None, action="test.thing", payload={"名": "数据"})
    response, body = export(client_for(auditor), "jsonl")

    assert response["Content-Disposition"] == 'attachment; filename="acme-audit-trail.jsonl"'
    records = [json.loads(line) for line in body.splitlines()]
    events = AuditEvent.objects.filter(winddown=winddown).order_by("seq")
    # the export's own download event is written before the stream is read: it is included
    assert [r["seq"] for r in records] == list(events.values_list("seq", flat=True))
    previous = GENESIS_HASH
    for record in records:
        assert record["prev_hash"] == previous
        recomputed = event_hash(
            winddown_id=record["winddown"],
            seq=record["seq"],
            actor_label=record["actor"],
            action=record["action"],
            object_type=record["object_type"],
            object_id=record["object_id"],
            payload=record["payload"],
            created_at=datetime.fromisoformat(record["created_at"]),
            prev_hash=record["prev_hash"],
        )
        assert recomputed == record["hash"]
        previous = record["hash"]
    assert any(r["payload"] == {"名": "数据"} for r in records)


def test_it_exports_csv_with_hashes_and_safe_cells(winddown, member, client_for):
    auditor = member(Role.AUDITOR)
    audit_record(winddown=winddown, actor=None, action="test.thing", actor_label="=HYPERLINK(1)")
    _response, body = export(client_for(auditor), "csv")

    rows = list(csv.DictReader(io.StringIO(body)))
    assert list(rows[0]) == [
        "winddown",
        "seq",
        "created_at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "payload",
        "prev_hash",
        "hash",
    ]
    by_action = {row["action"]: row for row in rows}
    assert by_action["test.thing"]["actor"] == "'=HYPERLINK(1)"  # a formula is text
    event = AuditEvent.objects.get(winddown=winddown, action="test.thing")
    assert (by_action["test.thing"]["hash"], by_action["test.thing"]["prev_hash"]) == (
        event.hash,
        event.prev_hash,
    )


def test_it_exports_only_the_events_the_filters_show(winddown, member, client_for):
    auditor = member(Role.AUDITOR)
    for action in ("destruction.job_created", "destruction.job_verified", "inventory.x"):
        audit_record(winddown=winddown, actor=None, action=action)
    today = datetime.now(UTC).date()
    _response, body = export(
        client_for(auditor), "jsonl", action="destruction.", since=today.isoformat()
    )
    actions = [json.loads(line)["action"] for line in body.splitlines()]
    assert actions == ["destruction.job_created", "destruction.job_verified"]
    tomorrow = (today + timedelta(days=1)).isoformat()
    _response, body = export(client_for(auditor), "jsonl", since=tomorrow)
    assert body == ""
    download = AuditEvent.objects.filter(action="audit.trail_export_downloaded").first()
    assert download.payload["filters"] == {"action": "destruction.", "since": today.isoformat()}
    assert download.actor == auditor.user


def test_the_trail_page_filters_and_its_export_link_keeps_the_filters(winddown, member, client_for):
    auditor = member(Role.AUDITOR)
    audit_record(winddown=winddown, actor=None, action="destruction.job_created")
    audit_record(winddown=winddown, actor=None, action="inventory.test_created")
    page = client_for(auditor).get(
        reverse("windown:audit-trail", kwargs={"slug": "acme"}), {"action": "inventory.test"}
    )
    assert page.status_code == 200
    assert [e.action for e in page.context["events"]] == ["inventory.test_created"]
    assert b"export.csv?action=inventory.test" in page.content


def test_only_readers_of_the_audit_trail_may_export_it(winddown, member, client_for):
    url = reverse("windown:audit-export", kwargs={"slug": "acme", "fmt": "csv"})
    assert client_for(member(Role.IT)).get(url).status_code == 403
    assert client_for(member(Role.AUDITOR)).get(url.replace(".csv", ".xml")).status_code == 404


def _bulk_events(winddown, count: int) -> None:
    """Append `count` events fast (their hashes are not a chain: the export does not check)."""
    start = AuditHead.objects.get(winddown=winddown).seq
    now = datetime.now(UTC)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            winddown=winddown,
            seq=start + i,
            actor_label="bulk",
            action="test.bulk",
            payload={"n": i, "text": "x" * 40},
            created_at=now,
            prev_hash="0" * 64,
            hash=f"{winddown.pk:08x}{start + i:056x}",
        )
        for i in range(1, count + 1)
    )
    last = start + count
    AuditHead.objects.filter(winddown=winddown).update(
        seq=last, hash=f"{winddown.pk:08x}{last:056x}"
    )


def _peak_while_streaming(client) -> tuple[int, int]:
    response = client.get(reverse("windown:audit-export", kwargs={"slug": "acme", "fmt": "jsonl"}))
    lines = 0
    tracemalloc.start()
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return lines, peak


def test_the_export_streams_in_flat_memory(winddown, member, client_for):
    client = client_for(member(Role.AUDITOR))
    _bulk_events(winddown, 1_000)
    small_lines, small_peak = _peak_while_streaming(client)
    _bulk_events(winddown, 9_000)
    large_lines, large_peak = _peak_while_streaming(client)
    assert large_lines > 9 * small_lines
    # ten times the events, not ten times the memory (a list of them would be)
    assert large_peak < 2 * small_peak, (small_peak, large_peak)
