"""Every page of the URLconf, as each role, in Simplified Chinese: no English UI text is left.

On the demo wind-down, each role (director, legal, IT, support, custodian, auditor) GETs every
page pattern of the URLconf with real objects (the arguments come from tests/urlwalk.py, as in
the auditor's walk), in zh-Hans. Each HTML answer — the page, or the styled refusal a role gets
— is checked for English UI text by the rules of tests/english_text.py (an untranslated msgid;
an English word of the UI's vocabulary that is not user data the database holds).
Django's JSON API, the admin (staff only, translated by Django) and downloads are not pages.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.conf import settings

from notices.defaults import default_receipt
from notices.models import Language
from tests.english_text import (
    english_in,
    normalise,
    project_catalogue,
    raw_choice_keys,
    stored_values,
    text_nodes,
    vocabulary,
)
from tests.test_auditor_changes_nothing import (
    PUBLIC_TOKEN_ROUTES,
    SLUG,
    learn_everything,
    objects_no_page_links_to,
)
from tests.urlwalk import DOWNLOAD_LIKE, patterns
from windown.roles import Role

pytestmark = pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailWarning")

ROLES = [Role.DIRECTOR, Role.LEGAL, Role.IT, Role.SUPPORT, Role.CUSTODIAN, Role.AUDITOR]
# not pages a member reads in the UI's language: the JSON API, Django's admin (staff only; its
# own catalogues), ESP webhooks, the language switch and sign-out (redirects); and the pages
# behind a customer's or processor's signed link, which speak the customer's language
# (notices/tests/test_personal_page.py checks those)
NOT_PAGES = ("api/", "admin/", "anymail/", "i18n/", "accounts/logout/")


def page_urls(samples) -> list[tuple[str, str]]:
    defaults = {"slug": SLUG, "winddown_slug": SLUG, "format": "json", "object_id": "1"}
    urls = []
    for pattern in patterns():
        if pattern.route.startswith(NOT_PAGES) or pattern.route.endswith(PUBLIC_TOKEN_ROUTES):
            continue
        kwargs, source = samples.kwargs_for(pattern, defaults)
        url = pattern.url(kwargs)
        if url is None or source == "missing" or DOWNLOAD_LIKE.search(url):
            continue
        urls.append((pattern.route, url))
    return urls


@pytest.mark.django_db
def test_every_page_as_every_role_in_chinese_shows_no_english_ui_text(demo, client):
    client.raise_request_exception = False
    samples = learn_everything(demo, client)
    for url in objects_no_page_links_to(demo):
        samples.learn(url)
    urls = [*page_urls(samples), ("(404)", f"/w/{SLUG}/no-such-page/")]  # the styled 404 too
    catalogue = project_catalogue()
    words, data, keys = vocabulary(catalogue), stored_values(), raw_choice_keys()
    data |= shipped_templates()  # what the template editors show before anyone saved a version

    misses: dict[str, set[str]] = defaultdict(set)  # English text → where it was seen
    pages = 0
    for role in ROLES:
        person = demo.member(role, "Sales" if role == Role.CUSTODIAN else "")
        client.force_login(person.user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        for _route, url in urls:
            response = client.get(url)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            if getattr(response, "streaming", False) or response.status_code in (301, 302):
                continue
            pages += 1
            html = response.content.decode()
            if "<html" in html and 'lang="zh-hans"' not in html:  # (fragments have none)
                misses["<html> not in zh-hans"].add(f"{role} {url} [{response.status_code}]")
            for node in english_in(text_nodes(html), catalogue, words, data, keys):
                misses[node].add(f"{role} {url} [{response.status_code}]")
    assert pages > 6 * 40, pages  # the walk reached the pages (not only redirects)
    assert not misses, f"{len(misses)} English UI texts in zh-Hans pages:\n{report_of(misses)}"


def shipped_templates() -> set[str]:
    """The shipped receipt texts, in every notice language: an editor's content, not UI text."""
    texts = set()
    for language in Language.values:
        for text in default_receipt(language).values():
            texts.add(normalise(text))
            texts.add(normalise(" ".join(text_nodes(text))))
            texts.update(normalise(line) for line in text.splitlines())
    return texts


def report_of(misses: dict[str, set[str]]) -> str:
    return "\n".join(
        f"{node!r}  ({len(where)} pages, e.g. {sorted(where)[0]})"
        for node, where in sorted(misses.items())
    )


def test_the_rules_tell_ui_text_from_data():
    catalogue = {"Holdings": "数据集", "Approve selected": "批准所选", "Purge": "净化 Purge"}
    words = vocabulary({**catalogue, "Awaiting review for the order": "待审核"})
    reason = "Keep only for the EU period: the duty is no law for this customer."
    data = {"Hamburg order archive", "li.wei@example.com", "Dr. Anna Weber", reason, "order"}
    nodes = text_nodes(
        "<h1>数据集</h1><p>Holdings</p><td>Hamburg order archive</td>"
        "<td>li.wei@example.com</td><td>WD-2026-0001</td><button>Approve selected</button>"
        "<span>Awaiting review (3)</span><script>var x = 'Holdings';</script>"
        '<code>SELECT count(*)</code><input placeholder="Search holdings">'
        "<td>净化 Purge</td><td>Dr. Anna Weber: Keep only for the EU period: the duty is n…</td>"
        "<td>to: li.wei@example.com; kind: reminder</td><td>Hamburg order archive · order · DE</td>"
        "<option>English</option><td>审核 awaiting review for the queue</td>"
    )
    assert english_in(nodes, catalogue, words, data, keys=frozenset({"order"})) == [
        "Holdings",  # 1: a msgid shown untranslated
        "Approve selected",
        "Awaiting review (3)",  # 2: words of the UI, in no catalogue
        "Search holdings",
        "Hamburg order archive · order · DE",  # 3: a choice's key where its label belongs
        "审核 awaiting review for the queue",  # 2: an English phrase in a Chinese line
    ]
