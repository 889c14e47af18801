"""make run's launcher: email links follow ADDR; Ctrl-C stops the web server and the worker."""

import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("serve_dev", ROOT / "scripts" / "serve_dev.py")
serve_dev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(serve_dev)


@pytest.mark.parametrize(
    ("addr", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("192.168.1.5:9000", "http://192.168.1.5:9000"),
        ("8000", "http://127.0.0.1:8000"),
        ("[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_the_site_url_follows_the_address(addr, url):
    assert serve_dev.site_url(addr) == url


def test_a_wildcard_address_becomes_an_address_a_mail_client_can_open():
    url = serve_dev.site_url("0.0.0.0:8000")
    assert url.endswith(":8000") and "0.0.0.0" not in url  # noqa: S104


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session_members(session_id: int) -> list[int]:
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == session_id and fields[0] != "Z":  # field 6: session id
            members.append(int(stat.parent.name))
    return members


@pytest.mark.worker
def test_ctrl_c_stops_the_web_server_and_the_worker_and_links_follow_addr(tmp_path):
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "SITE_URL", "CELERY_BROKER_URL", "REDIS_URL")
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/db.sqlite3"
    env["CELERY_BROKER_URL"] = "filesystem://"  # the embedded default of make run
    launcher = subprocess.Popen(
        [sys.executable, "scripts/serve_dev.py", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = launcher.stdout.readline()
        assert f"http://127.0.0.1:{port}" in first
        web_pid, worker_pid = map(int, re.findall(r"pid (\d+)", launcher.stdout.readline()))
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as r:
                    assert r.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "the web server did not start"
                time.sleep(0.5)
        assert _session_members(worker_pid), "the worker is running"
        launcher.send_signal(signal.SIGINT)
        assert launcher.wait(timeout=60) == 0
    finally:
        if launcher.poll() is None:
            launcher.kill()
    assert "Stopped the web server and the worker." in launcher.stdout.read()
    assert _session_members(web_pid) == [] and _session_members(worker_pid) == []
