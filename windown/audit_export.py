"""Export the audit trail as CSV or JSON lines, streamed: a million events never sit in memory.

Each record carries what its hash was computed from (windown.audit.event_hash): the wind-down's
id, `seq`, `created_at` (UTC, microseconds), actor, action, object, payload, `prev_hash`, and
the `hash` itself, so anyone can recompute every hash and every link from the file alone.
Events come in chain order (`seq` ascending) whatever order the page shows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC
from typing import Any

from django.db.models import QuerySet

from windown import spreadsheets
from windown.downloads import download_record
from windown.models import AuditEvent, Membership

FIELDS = [
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
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/jsonl; charset=utf-8"}
CHUNK = 2000


def audit_export_records(events: QuerySet[AuditEvent]) -> Iterator[dict[str, Any]]:
    """Yield each event as a plain dict (FIELDS), in seq order, read through a server cursor."""
    rows = events.order_by("seq").values_list(
        "winddown_id",
        "seq",
        "created_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "payload",
        "prev_hash",
        "hash",
    )
    for row in rows.iterator(chunk_size=CHUNK):
        record = dict(zip(FIELDS, row, strict=True))
        record["created_at"] = row[2].astimezone(UTC).isoformat(timespec="microseconds")
        yield record


def _jsonl(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    lines: list[str] = []
    for record in records:
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
        if len(lines) == 500:
            yield "\n".join(lines) + "\n"
            lines = []
    if lines:
        yield "\n".join(lines) + "\n"


def _csv(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    cells = (
        [
            *(record[name] for name in FIELDS[:7]),
            json.dumps(record["payload"], ensure_ascii=False, sort_keys=True),
            record["prev_hash"],
            record["hash"],
        ]
        for record in records
    )
    return spreadsheets.csv_chunks(FIELDS, cells)


def audit_export(
    *, by: Membership, events: QuerySet[AuditEvent], fmt: str, filters: dict[str, str]
) -> Iterator[str]:
    """Record the download (with the filters applied), then return the export's text chunks."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown audit export format {fmt!r}")
    download_record(by=by, what="audit.trail_export", payload={"format": fmt, "filters": filters})
    records = audit_export_records(events)
    return _csv(records) if fmt == "csv" else _jsonl(records)
