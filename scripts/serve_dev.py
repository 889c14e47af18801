"""`make run`'s web server and Celery worker, started together and stopped together.

    python scripts/serve_dev.py 127.0.0.1:8000

SITE_URL (the host in every email link) follows the address unless it is set; a wildcard
address (0.0.0.0, ::) uses this machine's first network address, since a customer's mail client
cannot open 0.0.0.0. Ctrl-C (or SIGTERM) stops the web server, then lets the worker finish its
task and waits for it, so nothing lingers after `make run` returns.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess  # nosec B404 # starts our own web server and worker
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def site_url(addr: str) -> str:
    host, _, port = addr.rpartition(":") if ":" in addr else ("127.0.0.1", "", addr)
    host = host.strip("[]") or "127.0.0.1"
    if host in ("0.0.0.0", "::"):  # noqa: S104  # nosec B104 # recognising the wildcard, not binding
        host = _this_machine()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port or 8000}"


def _this_machine() -> str:
    """The address other machines reach this one at (a UDP connect sends no packet)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def main(addr: str) -> int:
    env = {**os.environ, "DEBUG": "true"}
    env.setdefault("SITE_URL", site_url(addr))
    print(f"Links in emails point at {env['SITE_URL']} (set SITE_URL to change it).", flush=True)
    worker = subprocess.Popen(  # noqa: S603  # nosec B603 # our own fixed command line
        [
            str(BIN / "celery"),
            "-A",
            "windown",
            "worker",
            "--beat",
            "--loglevel=INFO",
            "--concurrency=2",
            "--max-tasks-per-child=200",
            "--schedule=var/celerybeat-schedule",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # our signals, not the terminal's, stop it
    )
    web = subprocess.Popen(  # noqa: S603  # nosec B603 # our own fixed command line
        [sys.executable, "manage.py", "runserver", addr],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    print(f"web server pid {web.pid}, worker pid {worker.pid}", flush=True)
    stopping = False

    def stop(_signum=None, _frame=None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping and web.poll() is None and worker.poll() is None:
            time.sleep(0.5)  # a signal ends the sleep early
    finally:
        for process in (web, worker):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)  # runserver and its children; warm stop
        for process in (web, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    print("Stopped the web server and the worker.", flush=True)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--site-url"]:  # for the Makefile: the SITE_URL an address implies
        print(site_url(sys.argv[2]))
        sys.exit(0)
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"))
