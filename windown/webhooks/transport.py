"""One HTTP POST to a partner, guarded against server-side request forgery.

The host is resolved once; every address must be public (not private, loopback, link-local,
multicast, reserved or shared) unless WEBHOOKS_ALLOW_PRIVATE_ADDRESSES is set, and the request
connects to the address that was checked (a second DNS answer cannot swap in an internal one).
Redirects are not followed: a 3xx is an unsuccessful attempt.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


class AddressRefused(Exception):
    """The URL's host is or resolves to an address webhooks may not reach."""


@dataclass(frozen=True)
class Answer:
    status: int | None
    duration_ms: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def resolve_checked(host: str, port: int) -> str:
    """Return an address of `host` that webhooks may reach, or raise AddressRefused."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise AddressRefused(f"cannot resolve {host}: {error}") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        bad = [str(a) for a in addresses if _refused(a)]
        if bad:
            raise AddressRefused(f"{host} resolves to a non-public address ({', '.join(bad)})")
    return str(addresses[0])


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address, with SNI and certificate checks for the URL's host name."""

    def __init__(self, host: str, address: str, **kwargs):
        super().__init__(host, **kwargs)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, **kwargs):
        super().__init__(host, **kwargs)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST `body` to `url` once; return the answer (never raises for network trouble)."""
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    try:
        address = resolve_checked(parts.hostname or "", port)
        timeout = settings.WEBHOOKS_TIMEOUT_SECONDS
        if https:
            connection = _PinnedHTTPSConnection(
                parts.hostname,
                address,
                port=port,
                timeout=timeout,
                context=ssl.create_default_context(),
            )
        else:
            connection = _PinnedHTTPConnection(parts.hostname, address, port=port, timeout=timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read(64 * 1024)  # drain a little; the content is not kept
            status = response.status
        finally:
            connection.close()
    except AddressRefused as refused:
        return Answer(None, took(), f"refused: {refused}")
    except (OSError, http.client.HTTPException) as error:
        return Answer(None, took(), f"{type(error).__name__}: {error}"[:500])
    error = "" if 200 <= status < 300 else f"HTTP {status}"
    if 300 <= status < 400:
        error = f"HTTP {status} (redirects are not followed)"
    return Answer(status, took(), error)
