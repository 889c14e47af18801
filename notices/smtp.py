"""One SMTP connection per worker process, kept open across messages and batches.

Opening a connection (TCP, EHLO, maybe STARTTLS and AUTH) costs more than sending a notice.
The connection is checked with NOOP when a batch begins (the server may have closed it while
idle), dropped after any connection-level failure and reopened for the next message. It is
keyed by the EMAIL_* settings, so a change of server gets a new connection.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Callable

from django.conf import settings

from notices.composer import Outgoing


def uses_smtp() -> bool:
    """The fast path applies to Django's SMTP backend; others (anymail, files) use Django."""
    return settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"


def _key() -> tuple:
    return (
        settings.EMAIL_HOST,
        int(settings.EMAIL_PORT),
        settings.EMAIL_HOST_USER,
        settings.EMAIL_HOST_PASSWORD,
        bool(settings.EMAIL_USE_TLS),
        bool(settings.EMAIL_USE_SSL),
        settings.EMAIL_TIMEOUT,
    )


class Connection:
    def __init__(self):
        self.smtp: smtplib.SMTP | None = None
        self.key: tuple | None = None

    def _open(self) -> smtplib.SMTP:
        host, port, user, password, tls, use_ssl, timeout = self.key = _key()
        context = ssl.create_default_context() if tls or use_ssl else None
        if use_ssl:
            smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        if tls:
            smtp.starttls(context=context)
        if user and password:
            smtp.login(user, password)
        return smtp

    def check(self) -> None:
        """Before a batch: drop the kept connection if the server is gone or settings moved."""
        if self.smtp is None:
            return
        try:
            if self.key != _key() or self.smtp.noop()[0] != 250:
                self.reset()
        except (smtplib.SMTPException, OSError):
            self.reset()

    def send(self, message: Outgoing, meanwhile: Callable[[], object] | None = None) -> str:
        """Send one message; run `meanwhile` while the server considers MAIL FROM.

        `meanwhile` (preparing the next notice) then costs the worker no time on the wire:
        without it a worker alternates between waiting for the server and working.
        Otherwise this is what smtplib's sendmail() does for one recipient.
        """
        if self.smtp is None:
            self.smtp = self._open()
        smtp = self.smtp
        utf8 = not message.data.isascii()  # RFC 6531: a UTF-8 address in From or Reply-To
        if meanwhile is None:
            options = ["SMTPUTF8"] if utf8 else []
            smtp.sendmail(message.sender, [message.to], message.data, mail_options=options)
            return ""
        smtp.ehlo_or_helo_if_needed()
        size = f" SIZE={len(message.data)}" if smtp.does_esmtp and smtp.has_extn("size") else ""
        if utf8:
            if not smtp.has_extn("smtputf8"):
                raise smtplib.SMTPNotSupportedError("The server does not offer SMTPUTF8.")
            size += " SMTPUTF8"
            smtp.command_encoding = "utf-8"  # as sendmail() does with SMTPUTF8
        smtp.putcmd("mail", f"FROM:{smtplib.quoteaddr(message.sender)}{size}")
        try:
            meanwhile()
        finally:
            code, reply = smtp.getreply()
        if code != 250:
            self._refused(code)
            raise smtplib.SMTPSenderRefused(code, reply, message.sender)
        code, reply = smtp.rcpt(message.to)
        if code not in (250, 251):
            self._refused(code)
            raise smtplib.SMTPRecipientsRefused({message.to: (code, reply)})
        code, reply = smtp.data(message.data)
        if code != 250:
            self._refused(code)
            raise smtplib.SMTPDataError(code, reply)
        return ""

    def _refused(self, code: int) -> None:
        """As sendmail(): on 421 the server is closing, else reset the mail transaction."""
        if code == 421:
            self.reset()
            return
        try:
            self.smtp.rset()
        except smtplib.SMTPServerDisconnected:
            self.reset()

    def reset(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(Exception):  # a broken connection may fail to close
                self.smtp.close()
            self.smtp = None


# The worker process's connection (prefork children each create their own after the fork).
connection = Connection()
