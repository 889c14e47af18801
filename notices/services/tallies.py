"""Fold the delivery tally's appended rows into one row per campaign, status and quarter hour."""

from __future__ import annotations

from django.db import connection, transaction

# One statement: readers see the rows before or after it, and either sums to the same figures.
# A row appended meanwhile by a sender is not in this statement's snapshot and stays as it is.
COMPACT = """
WITH folded AS (
    DELETE FROM notices_deliverytally
    RETURNING campaign_id, status, sent_period, deliveries
)
INSERT INTO notices_deliverytally (campaign_id, status, sent_period, deliveries)
SELECT campaign_id, status, sent_period, sum(deliveries)
FROM folded
GROUP BY 1, 2, 3
HAVING sum(deliveries) <> 0
"""


def delivery_tally_compact() -> int:
    """Fold the tally (PostgreSQL; SQLite keeps none) and return the number of rows left."""
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        # a second compaction at the same time would only wait for this one
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext('notices_deliverytally'))")
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute(COMPACT)
        return cursor.rowcount
