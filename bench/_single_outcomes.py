"""The Celery app with one UPDATE per outcome (bench_notices_send.py only).

`celery -A bench._single_outcomes worker` runs windown's app with one change: the sending
loop records each outcome with its own overlapped UPDATE (notices/outcomes.py, as shipped
before outcomes were written a chunk at a time by notices/outcome_batches.py). Everything else
is windown's, so the two runs measure the chunking alone.
"""

from celery.signals import worker_process_init

from windown.celery import app

__all__ = ["app"]


@worker_process_init.connect
def record_each_outcome_on_its_own(**_):
    from notices import outcomes, sending

    sending.BatchedOutcomeWriter = outcomes.OutcomeWriter
