"""A real SMTP server (aiosmtpd) for tests: records messages, can answer 451/550 on purpose."""

from __future__ import annotations

import email
import socket
import threading
from collections import Counter
from collections.abc import Callable
from email import policy

from aiosmtpd.controller import Controller

PORTS = range(8025, 8036)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("No free SMTP sink port in 8025-8035")


class Sink:
    """Collect every accepted message; `answer(address, attempt)` may return an SMTP refusal."""

    def __init__(self, answer: Callable[[str, int], str | None] | None = None):
        self.answer = answer
        self.messages: list[email.message.EmailMessage] = []
        self.raw: list[bytes] = []
        self.attempts: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.attempts[address] += 1
            attempt = self.attempts[address]
        refusal = self.answer(address, attempt) if self.answer else None
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
            self.raw.append(envelope.content)
        return "250 Message accepted for delivery"

    def start(self) -> Sink:
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def by_message_id(self) -> Counter[str]:
        with self.lock:
            return Counter(m["Message-ID"] for m in self.messages)

    def recipients(self) -> Counter[str]:
        with self.lock:
            return Counter(m["To"] for m in self.messages)
