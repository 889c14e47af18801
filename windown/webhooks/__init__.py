"""Outbound webhooks: signed, retried notifications of a wind-down's milestones to partners.

Events are derived from the audit trail (`events.py` maps audit actions to public event types);
`audit_record` creates their delivery rows in the caller's transaction, and a Celery task sends
each one after commit (`services/`, `tasks.py`). See the README section "Outbound webhooks".
"""
