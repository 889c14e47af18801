"""The personal page's rate limit is per link as well as per client: a customer (or anyone)
hammering one link behind an address shared with others slows only that link; guessing links
is limited per address without touching genuine links; the 429 says when to retry, in the
customer's language."""

import time
import uuid

import pytest
from django.urls import reverse

from notices.tests.factories import RecipientFactory
from notices.tokens import make_token

pytestmark = pytest.mark.django_db
# one office's NAT address, new per run (the counts live in the cache, which outlives a test)
SHARED = f"2001:db8::{uuid.uuid4().hex[:4]}"


@pytest.fixture(autouse=True)
def same_minute():
    """Start away from a minute's end, so one test's hits fall into one window."""
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)


def page(recipient, token=None):
    token = token or make_token(recipient)
    return reverse("notices:personal-page", kwargs={"slug": "acme", "token": token})


def test_one_link_hammered_behind_a_shared_address_locks_out_nobody_else(
    client, winddown, settings
):
    settings.NOTICES_PAGE_TOKEN_RATE = "5/m"
    settings.NOTICES_PAGE_RATE = "5/m"
    noisy = RecipientFactory(winddown=winddown, language="zh-hans")
    others = RecipientFactory.create_batch(3, winddown=winddown)
    statuses = [client.get(page(noisy), REMOTE_ADDR=SHARED).status_code for _ in range(8)]
    assert statuses == [200] * 5 + [429] * 3
    for other in others:
        for _ in range(5):
            assert client.get(page(other), REMOTE_ADDR=SHARED).status_code == 200


def test_the_429_says_when_to_retry_in_the_customers_language(client, winddown, settings):
    settings.NOTICES_PAGE_TOKEN_RATE = "1/m"
    chinese = RecipientFactory(winddown=winddown, language="zh-hans")
    english = RecipientFactory(winddown=winddown, language="en")
    for recipient, text in ((chinese, "秒后再试"), (english, "seconds and try again")):
        client.get(page(recipient))
        limited = client.get(page(recipient), HTTP_ACCEPT_LANGUAGE="de")
        assert limited.status_code == 429
        seconds = int(limited["Retry-After"])
        assert 1 <= seconds <= 60
        body = limited.content.decode()
        assert f'lang="{recipient.language}"' in body
        assert text in body and str(seconds) in body
        assert "no-store" in limited["Cache-Control"]


def test_guessing_links_is_limited_per_address_and_spares_genuine_links(client, winddown, settings):
    settings.NOTICES_PAGE_RATE = "4/m"
    recipient = RecipientFactory(winddown=winddown)
    genuine = make_token(recipient)
    forged = [genuine[:-3] + suffix for suffix in ("aaa", "bbb", "ccc", "ddd", "eee", "fff")]
    statuses = [client.get(page(recipient, t), REMOTE_ADDR=SHARED).status_code for t in forged]
    assert statuses == [403] * 4 + [429] * 2
    assert client.get(page(recipient), REMOTE_ADDR=SHARED).status_code == 200


def test_the_unsubscribe_link_is_limited_per_link_too(client, winddown, settings):
    from notices.tokens import UNSUBSCRIBE_SALT

    settings.NOTICES_PAGE_TOKEN_RATE = "2/m"
    recipient = RecipientFactory(winddown=winddown)
    token = make_token(recipient, salt=UNSUBSCRIBE_SALT)
    url = reverse("notices:unsubscribe", kwargs={"slug": "acme", "token": token})
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
