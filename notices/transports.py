"""How a worker hands a notice to the mail system: SMTP fast path or Django's mail backend."""

from __future__ import annotations

import contextlib
import logging

from django.core.mail import get_connection

from notices import smtp
from notices.composer import Outgoing, composer_for
from notices.messages import delivery_email
from notices.models import Campaign, Delivery

log = logging.getLogger(__name__)


class DjangoTransport:
    """Django's mail backend (anymail ESPs, file/console mail): one connection per batch."""

    def __init__(self, campaign: Campaign, templates, facts: dict):
        self.campaign, self.templates, self.facts = campaign, templates, facts
        self.conn = None

    def send(self, delivery: Delivery, upcoming: Delivery | None = None) -> str:
        delivery.campaign = self.campaign  # one campaign and wind-down, not a query each
        delivery.recipient.winddown = self.campaign.winddown
        message = delivery_email(delivery, self.templates, self.facts)
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

    def __init__(self, campaign: Campaign, templates, facts: dict):
        self.composer = composer_for(campaign, templates)
        self.composer.facts = dict(facts)
        self.prepared: tuple[int, Outgoing] | None = None
        smtp.connection.check()

    def send(self, delivery: Delivery, upcoming: Delivery | None = None) -> str:
        """Send `delivery`; compose `upcoming` while the server answers (see smtp.send)."""
        if self.prepared is not None and self.prepared[0] == delivery.pk:
            message = self.prepared[1]
        else:
            message = self.composer.compose(delivery)
        self.prepared = None
        meanwhile = (lambda: self._prepare(upcoming)) if upcoming is not None else None
        return smtp.connection.send(message, meanwhile)

    def _prepare(self, delivery: Delivery) -> None:
        try:
            self.prepared = (delivery.pk, self.composer.compose(delivery))
        except Exception:  # composed again, and its failure recorded, when its turn comes
            log.warning("Delivery %s: composing ahead failed", delivery.pk, exc_info=True)

    def reset(self):
        smtp.connection.reset()

    def close(self):
        pass  # kept for the next batch


def transport(campaign: Campaign, templates, facts: dict):
    """The batch's transport; `facts` are its kept-until facts (notices.facts.batch_facts)."""
    if smtp.uses_smtp():
        return SmtpTransport(campaign, templates, facts)
    return DjangoTransport(campaign, templates, facts)
