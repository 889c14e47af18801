"""Record each delivery's outcome with one UPDATE, overlapping its round trip with the next send.

On PostgreSQL the UPDATE of message N is handed to the server (libpq's asynchronous API on
Django's own connection, so it runs inside whatever transaction the caller is in) and its
result is collected just before the next statement on that connection (an execute_wrapper
sees to it), that is after message N+1 has been composed and sent. The statement is
complete on the server's socket before N+1 goes out, so a worker killed at any point
leaves at most the usual in-flight rows ("sending", re-queued by the sweeper). Elsewhere
(SQLite) the UPDATE simply runs at once.

Every wait on the server is bounded by NOTICES_DB_TIMEOUT_SECONDS. A server that does not
answer in time (a lock, a stalled disk, a lost network) gets the statement cancelled and the
connection closed, and the batch stops with OutcomeTimeout: that delivery and the rest of
the batch stay leased, so the sweeper re-queues whatever was not recorded (sent again,
never lost).
"""

from __future__ import annotations

import datetime as dt
import logging
import select
import time
from functools import lru_cache

from django.conf import settings
from django.db import DatabaseError, OperationalError, connection

from notices.models import Delivery

log = logging.getLogger(__name__)
S = Delivery.Status
_DATETIMES = {"sent_at", "next_attempt_at", "lease_expires_at", "updated_at"}


@lru_cache(maxsize=32)
def _update_sql(fields: tuple[str, ...], numbered: bool) -> str:
    """The UPDATE for these columns, with $1.. (libpq) or %s (DB-API) placeholders."""
    ops = connection.ops
    names = [*fields, "id", "status", "claimed_by"]
    marks = [f"${i}" if numbered else "%s" for i in range(1, len(names) + 1)]
    assignments = ", ".join(
        f"{ops.quote_name(n)} = {m}" for n, m in zip(fields, marks[: len(fields)], strict=True)
    )
    where = f"id = {marks[-3]} AND status = {marks[-2]} AND claimed_by = {marks[-1]}"
    # Column names come from the caller's keywords (code, never input); values are parameters.
    return f"UPDATE {ops.quote_name(Delivery._meta.db_table)} SET {assignments} WHERE {where}"  # noqa: S608  # nosec B608 # column names from code, values are parameters


class OutcomeTimeout(OperationalError):
    """PostgreSQL did not answer an outcome's UPDATE in time (see the module docstring)."""


def _text(value) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat().encode()
    return str(value).encode()


class OutcomeWriter:
    def __init__(self):
        self.pending: int | None = None  # the delivery whose UPDATE awaits its result
        self.asynchronous = connection.vendor == "postgresql"

    def write(self, pk: int, worker: str, fields: dict) -> int | None:
        """Record an outcome if the lease is still `worker`'s (see the module docstring).

        Return the rows changed, or None while the result is pending (see `collect`)."""
        self.collect()
        values = [*fields.values(), pk, S.SENDING, worker]
        if not self.asynchronous:
            ops = connection.ops
            params = [
                ops.adapt_datetimefield_value(v) if n in _DATETIMES else v
                for n, v in zip([*fields, "", "", ""], values, strict=True)
            ]
            with connection.cursor() as cursor:
                cursor.execute(_update_sql(tuple(fields), False), params)
                return self._check(pk, cursor.rowcount)
        connection.ensure_connection()
        pgconn = connection.connection.pgconn
        pgconn.send_query_params(
            _update_sql(tuple(fields), True).encode(), [_text(v) for v in values]
        )
        deadline = time.monotonic() + settings.NOTICES_DB_TIMEOUT_SECONDS
        while pgconn.flush():  # the whole statement is on its way before we go on
            self._wait(pk, pgconn.socket, deadline, write=True)
            pgconn.consume_input()
        self.pending = pk
        return None

    def before_send(self) -> None:
        """Called before each message goes out (a chunked writer may write then)."""

    def collect(self) -> int | None:
        """Wait for the pending UPDATE's result (call before any other query)."""
        if self.pending is None:
            return None
        pk, self.pending = self.pending, None
        pgconn = connection.connection.pgconn
        deadline = time.monotonic() + settings.NOTICES_DB_TIMEOUT_SECONDS
        rows, error = 0, None
        while True:
            pgconn.consume_input()
            while pgconn.is_busy():
                self._wait(pk, pgconn.socket, deadline)
                pgconn.consume_input()
            result = pgconn.get_result()
            if result is None:
                break
            if result.error_message:
                error = result.error_message.decode(errors="replace")
            rows += int(result.command_tuples or 0)
        if error:
            raise DatabaseError(f"recording the outcome of delivery {pk} failed: {error}")
        return self._check(pk, rows)

    def _wait(self, pk: int, socket: int, deadline: float, write: bool = False) -> None:
        """Wait until the connection's socket is ready, or give up at `deadline`."""
        remaining = deadline - time.monotonic()
        if remaining > 0:
            ready = select.select([socket], [socket] if write else [], [], remaining)
            if ready[0] or ready[1]:
                return
        self._abandon()
        raise OutcomeTimeout(
            f"PostgreSQL did not answer within {settings.NOTICES_DB_TIMEOUT_SECONDS} s while "
            f"recording the outcome of delivery {pk}: the statement was cancelled and the "
            "connection closed; the batch stays leased and the sweeper re-queues what was "
            "not recorded"
        )

    @staticmethod
    def _abandon() -> None:
        """Cancel the statement and close the connection: its state is unknown.

        The cancel request needs a new connection to the server: it is bounded by the same
        timeout, so a server that is gone altogether costs at most twice the timeout.
        """
        try:
            connection.connection.cancel_safe(timeout=settings.NOTICES_DB_TIMEOUT_SECONDS)
        except Exception:  # the server is unreachable: closing is all that is left to do
            log.warning("Cancelling the outcome's UPDATE failed", exc_info=True)
        connection.close()

    def before_query(self, execute, sql, params, many, context):
        """A Django execute_wrapper: any other query first collects the pending result."""
        self.collect()
        return execute(sql, params, many, context)

    @staticmethod
    def _check(pk: int, rows: int) -> int:
        if not rows:
            log.warning("Delivery %s: lease lost before its outcome was recorded", pk)
        return rows
