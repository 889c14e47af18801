"""Celery tasks of the destruction phase (Celery discovers this module; each part has its own)."""

from destruction.tasks_processors import processor_email_send, processor_requests_poll

__all__ = ["processor_email_send", "processor_requests_poll"]
