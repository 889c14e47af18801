"""Destruction jobs: plan, add items and custody handovers, and move through the status machine.

The status machine and its one transition live in `machine`; the services in `planning`,
`items`, `performing` (with the item outcomes it carries down, in `outcomes`) and `closing`.
They are re-exported here, the one import path callers use.
"""

from destruction.services.jobs.closing import job_cancel, job_certify, job_fail, job_verify
from destruction.services.jobs.items import handover_add, job_item_add, job_item_remove
from destruction.services.jobs.machine import (
    EDITABLE_STATUSES,
    PERFORM_FIELDS,
    PLAN_FIELDS,
    TRANSITIONS,
    VERIFY_FIELDS,
)
from destruction.services.jobs.performing import job_perform, job_schedule, job_unschedule
from destruction.services.jobs.planning import job_create, job_update

__all__ = [
    "EDITABLE_STATUSES",
    "PERFORM_FIELDS",
    "PLAN_FIELDS",
    "TRANSITIONS",
    "VERIFY_FIELDS",
    "handover_add",
    "job_cancel",
    "job_certify",
    "job_create",
    "job_fail",
    "job_item_add",
    "job_item_remove",
    "job_perform",
    "job_schedule",
    "job_unschedule",
    "job_update",
    "job_verify",
]
