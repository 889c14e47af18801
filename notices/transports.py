"""How a worker hands a notice to the mail system: SMTP fast path or Django's mail backend."""

from __future__ import annotations

import contextlib

from django.core.mail import get_connection

from notices import smtp
from notices.composer import Composer
from notices.messages import delivery_email
from notices.models import Campaign, Delivery


class DjangoTransport:
    """Django's mail backend (anymail ESPs, file/console mail): one connection per batch."""

    def __init__(self, templates):
        self.templates = templates
        self.conn = None

    def send(self, delivery: Delivery) -> str:
        message = delivery_email(delivery, self.templates)
        if self.conn is None:
            self.conn = get_connection(fail_silently=False)
            self.conn.open()
        message.connection = self.conn
        message.send()
        status = getattr(message, "anymail_status", None)
        return (status.message_id or "") if status is not None else ""

    def reset(self):
        if self.conn is not None:
            # A broken connection may fail to close; it is gone either way.
            with contextlib.suppress(Exception):
                self.conn.close()
            self.conn = None

    close = reset


class SmtpTransport:
    """SMTP: notices composed as bytes, over the worker process's kept connection."""

    def __init__(self, campaign: Campaign, templates):
        self.composer = Composer(campaign, templates)
        smtp.connection.check()

    def send(self, delivery: Delivery) -> str:
        return smtp.connection.send(self.composer.compose(delivery))

    def reset(self):
        smtp.connection.reset()

    def close(self):
        pass  # kept for the next batch


def transport(campaign: Campaign, templates):
    if smtp.uses_smtp():
        return SmtpTransport(campaign, templates)
    return DjangoTransport(templates)
