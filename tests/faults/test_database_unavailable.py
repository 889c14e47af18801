"""The database stops under a running gunicorn: pages answer a styled 503 with Retry-After
(HTML in the user's language, JSON for the API), never a 500 or a traceback, and the app
serves again by itself once the database is back."""

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest

from tests.faults.harness import RESULTS, wait_until

pytestmark = pytest.mark.faults
PAGES = ["/accounts/login/", "/w/", "/admin/login/"]
SESSION = {"Cookie": "sessionid=0123456789abcdefghijklmnopqrstuv"}
ZH_WITH_SESSION = {**SESSION, "Accept-Language": "zh-Hans"}


@dataclass
class Answer:
    status_code: int
    headers: dict
    text: str

    def json(self):
        return json.loads(self.text)


class web:  # GET with urllib, answering 4xx/5xx like 2xx
    @staticmethod
    def get(url: str, headers: dict | None = None, timeout: float = 30) -> Answer:
        request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - our server
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return Answer(response.status, response.headers, response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read().decode())


def test_database_down_gives_a_styled_503_then_recovers(stack):
    server, base = stack.web()
    try:
        assert web.get(base + "/accounts/login/", timeout=30).status_code == 200
        stack.pg.stop("fast")
        stopped_at = time.monotonic()
        for path in PAGES:
            # a session cookie: the page must read the session (and the user) from the database
            page = web.get(base + path, headers=ZH_WITH_SESSION, timeout=30)
            assert page.status_code == 503, (path, page.text[:500])
            assert page.headers["Retry-After"].isdigit()
            assert page.headers["Content-Type"].startswith("text/html")
            assert page.headers["Content-Language"] == "zh-hans"
            assert '<html lang="zh-hans"' in page.text and "暂时无法使用" in page.text
            assert "windown.css" in page.text and "Traceback" not in page.text
        english = web.get(base + "/accounts/login/", headers=SESSION, timeout=30)
        assert english.status_code == 503 and "Temporarily unavailable" in english.text
        api = web.get(
            base + "/api/v1/winddowns/", headers={"Authorization": "Token abc"}, timeout=30
        )
        assert api.status_code == 503 and api.headers["Retry-After"].isdigit()
        assert api.json()["code"] == "service_unavailable"
        down_for = time.monotonic() - stopped_at
        stack.pg.start()
        back_at = time.monotonic()
        assert wait_until(
            lambda: web.get(base + "/accounts/login/", timeout=30).status_code == 200, 30
        )
        recovered = time.monotonic() - back_at
        assert web.get(base + "/api/v1/winddowns/", timeout=30).status_code in (401, 403)
    finally:
        server.stop()
        stack.ensure_beat()
    line = (
        f"FAULT database unreachable (pages): lost=0 duplicates=0 stall={down_for:.1f}s "
        f"(every request answered 503 + Retry-After) finish={recovered:.1f}s "
        f"(first 200 after the database came back)"
    )
    RESULTS.append(line)
    print("\n" + line)
    # (the server's own log keeps the exception, for its operators; no answer showed it)
