"""A real HTTP receiver for webhook tests: an http.server in a thread that records requests."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    # status codes to answer, in order; 200 once they run out
    answers: list[int] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    # set to make the next request wait until it is cleared (a worker killed mid-delivery)
    hold: threading.Event | None = None
    arrived: threading.Event = field(default_factory=threading.Event)


@contextmanager
def receiver(host: str = "127.0.0.1", answers: list[int] | None = None) -> Iterator[Receiver]:
    """Serve on a free port of `host` until the block ends."""
    state = Receiver(url="", answers=list(answers or []))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            state.requests.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
            state.arrived.set()
            if state.hold is not None:
                release = state.hold
                state.hold = None
                release.wait(30)
            status = state.answers.pop(0) if state.answers else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server_class = ThreadingHTTPServer
    if ":" in host:
        server_class = type("Server6", (ThreadingHTTPServer,), {"address_family": socket.AF_INET6})
    server = server_class((host, 0), Handler)
    server.daemon_threads = True
    bracket = f"[{host}]" if ":" in host else host
    state.url = f"http://{bracket}:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
