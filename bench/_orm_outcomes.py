"""The Celery app with outcomes recorded by a plain ORM update() (bench_notices_send.py only).

`celery -A bench._orm_outcomes worker` runs windown's app with one change: each delivery's
outcome is one ORM `update()`, waited for, instead of notices/outcomes.py's overlapped UPDATE.
Everything else (claim, leases, asynchronous commit, composer, SMTP) is windown's, so the two
runs measure the outcome writer alone.
"""

from celery.signals import worker_process_init

from windown.celery import app

__all__ = ["app"]


@worker_process_init.connect
def record_outcomes_with_the_orm(**_):
    from notices import sending
    from notices.models import Delivery

    def finish(pk: int, worker: str, *, writer=None, **fields) -> bool:
        fields.update(claimed_by="", lease_expires_at=None, updated_at=sending.timezone.now())
        rows = Delivery.objects.filter(pk=pk, status=sending.S.SENDING, claimed_by=worker)
        return bool(rows.update(**fields))

    sending._finish = finish
