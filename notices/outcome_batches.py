"""Record a chunk of outcomes with one UPDATE: one commit (and one WAL flush) per chunk.

`BatchedOutcomeWriter` keeps each outcome in memory once the SMTP server has accepted (or
refused) the message, and writes up to NOTICES_OUTCOME_CHUNK of them in one statement,
still conditional on each row's lease. The statement is sent overlapped exactly as
notices/outcomes.py sends a single outcome (same timeout, cancel and close), and it is sent
before any other query on the connection (the status check every 0.2 s, lease renewal,
release) and when the batch ends. So a message is marked sent only after the server
accepted it; a worker that dies with outcomes still in memory leaves those rows "sending",
the sweeper re-queues them and they are sent again: duplicates after a crash are bounded by
the chunk (and by 0.2 s of sending), nothing is lost. With synchronous commit this turns a
WAL flush per message into one per chunk.

A chunk is also written once its oldest outcome is NOTICES_OUTCOME_MAX_AGE_MS old, counted
from when that message was handed to the SMTP server: checked when an outcome is kept and
before the next message is sent (`before_send`). A slow server (a message taking longer than
that) so gets one UPDATE per message, and at any rate an outcome waits in memory at most that
long plus one message's send. What a crash can resend, per sending task: the chunk whose
UPDATE is on its way, the outcomes kept since (chunk - 1) and the message on the wire, i.e.
`in_flight_per_task()` = 2 x chunk (2 for a chunk of 1, as notices/outcomes.py has it).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from notices.models import Delivery
from notices.outcomes import OutcomeWriter

log = logging.getLogger(__name__)
S = Delivery.Status

# The outcome's columns and their array types; a column an outcome does not set (NULL in the
# chunk) keeps the row's own value, as one UPDATE of only the outcome's columns would.
_COLUMNS = {
    "status": "text",
    "attempts": "int",
    "last_error": "text",
    "next_attempt_at": "timestamptz",
    "sent_at": "timestamptz",
    "provider_message_id": "text",
    "updated_at": "timestamptz",
}
# Every outcome sets these to the same value (`sending._finish`): constants in the statement.
_RELEASED = {"claimed_by": "", "lease_expires_at": None}


def _batch_sql() -> str:
    table = connection.ops.quote_name(Delivery._meta.db_table)
    keep = ", ".join(f"{c} = COALESCE(v.{c}, d.{c})" for c in _COLUMNS)
    arrays = ", ".join(
        f"${i}::{kind}[]" for i, kind in enumerate(["bigint", *_COLUMNS.values()], 1)
    )
    n = len(_COLUMNS) + 1
    # Table and column names are code; every value is a parameter.
    return (
        f"UPDATE {table} AS d SET {keep}, claimed_by = '', lease_expires_at = NULL "  # noqa: S608  # nosec B608 # names from code, values are parameters
        f"FROM unnest({arrays}) AS v(id, {', '.join(_COLUMNS)}) "
        f"WHERE d.id = v.id AND d.status = ${n + 1} AND d.claimed_by = ${n + 2}"
    )


def _element(value) -> str:
    """One element of a PostgreSQL array literal (text format)."""
    if value is None:
        return "NULL"
    text = value.isoformat() if isinstance(value, dt.datetime) else str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def array_literal(values: list) -> bytes:
    """Return `values` as a PostgreSQL array literal, e.g. {"a","b",NULL}."""
    return ("{" + ",".join(_element(v) for v in values) + "}").encode()


@dataclass(frozen=True)
class Chunk:
    """A flushed chunk, named in messages by its first delivery (as outcomes.py names one)."""

    first: int
    size: int

    def __str__(self) -> str:
        more = f" (and {self.size - 1} more in the same UPDATE)" if self.size > 1 else ""
        return f"{self.first}{more}"


def in_flight_per_task(chunk: int | None = None) -> int:
    """Messages per sending task whose outcome may not be committed when the task dies."""
    return 2 * (chunk or settings.NOTICES_OUTCOME_CHUNK)


class BatchedOutcomeWriter(OutcomeWriter):
    """OutcomeWriter that writes outcomes a chunk at a time (see the module docstring)."""

    def __init__(self, chunk: int | None = None, max_age_ms: int | None = None):
        super().__init__()
        self.chunk = chunk or settings.NOTICES_OUTCOME_CHUNK
        if max_age_ms is None:
            max_age_ms = settings.NOTICES_OUTCOME_MAX_AGE_MS
        self.max_age = max_age_ms / 1000
        self.worker = ""
        self.buffered: list[tuple[int, dict]] = []
        self.oldest = 0.0  # when the oldest kept outcome's message was handed to the server
        self.handed_at = time.monotonic()  # when the current message was

    def before_send(self) -> None:
        """Call before a message is handed to the server: write outcomes old enough."""
        self.handed_at = time.monotonic()
        if self.buffered and self.handed_at - self.oldest >= self.max_age:
            self.flush()

    def write(self, pk: int, worker: str, fields: dict) -> int | None:
        """Keep the outcome for the next flush (None: not recorded yet)."""
        batchable = (
            self.asynchronous
            and fields.keys() <= _COLUMNS.keys() | _RELEASED.keys()
            and all(fields.get(k, v) == v for k, v in _RELEASED.items())
            and all(fields[name] is not None for name in fields.keys() & _COLUMNS.keys())
            and {"status", "updated_at"} <= fields.keys()
            and worker == (self.worker or worker)
        )
        if not batchable:  # what one chunk statement cannot say: write it on its own
            return super().write(pk, worker, fields)
        self.worker = worker
        if not self.buffered:
            self.oldest = self.handed_at
        self.buffered.append((pk, fields))
        if len(self.buffered) >= self.chunk or time.monotonic() - self.oldest >= self.max_age:
            self.flush()
        return None

    def flush(self) -> None:
        """Send the buffered outcomes as one UPDATE; its result is collected later."""
        OutcomeWriter.collect(self)  # the previous statement's result first
        if not self.buffered:
            return
        chunk, self.buffered = self.buffered, []
        columns = [[pk for pk, _ in chunk]]
        for name in _COLUMNS:
            columns.append([fields.get(name) for _, fields in chunk])
        params = [array_literal(values) for values in columns]
        params += [S.SENDING.encode(), self.worker.encode()]
        label = Chunk(chunk[0][0], len(chunk))
        connection.ensure_connection()
        pgconn = connection.connection.pgconn
        pgconn.send_query_params(_batch_sql().encode(), params)
        deadline = time.monotonic() + settings.NOTICES_DB_TIMEOUT_SECONDS
        while pgconn.flush():  # the whole statement is on its way before we go on
            self._wait(label, pgconn.socket, deadline, write=True)
            pgconn.consume_input()
        self.pending = label

    def collect(self) -> int | None:
        """Flush what is buffered and wait for its result (call before any other query)."""
        if self.buffered:
            self.flush()
        return OutcomeWriter.collect(self)

    def _check(self, pk, rows: int) -> int:
        expected = pk.size if isinstance(pk, Chunk) else 1
        if rows < expected:
            log.warning(
                "Deliveries %s: %d lease(s) lost before the outcome was recorded",
                pk,
                expected - rows,
            )
        return rows
