"""The customer's personal page: signed expiring link, their language, requests, unsubscribe."""

import datetime as dt

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from notices.models import Recipient, SubjectRequest
from notices.tests.factories import RecipientFactory
from notices.tokens import (
    PERSONAL_SALT,
    UNSUBSCRIBE_SALT,
    Minter,
    link_expiry,
    make_token,
    personal_url,
    read_token,
)
from windown.models import AuditEvent

pytestmark = pytest.mark.django_db


def page(recipient, token=None):
    token = token or make_token(recipient)
    return reverse("notices:personal-page", kwargs={"slug": "acme", "token": token})


def test_it_shows_the_page_in_the_customers_language(client, winddown):
    recipient = RecipientFactory(winddown=winddown, language="ja", name="山田 花子")
    response = client.get(page(recipient))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="ja"' in body and "山田 花子" in body and "2027年3月31日" in body
    assert "データのコピーを請求する" in body


def test_the_link_in_the_notice_opens_the_page(client, winddown):
    recipient = RecipientFactory(winddown=winddown, language="de")
    path = personal_url(recipient).split("localhost:8000")[1]
    assert "31. März 2027" in client.get(path).content.decode()


def test_a_tampered_token_is_refused_with_a_friendly_403(client, winddown):
    recipient = RecipientFactory(winddown=winddown)
    token = make_token(recipient)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.get(page(recipient, forged), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response.status_code == 403
    assert "Ce lien n’est pas valide" in response.content.decode()  # noqa: RUF001


def test_a_token_for_another_recipient_cannot_be_forged(client, winddown):
    RecipientFactory(winddown=winddown)
    forged = signing.dumps({"r": 1, "e": 999999}, salt="wrong-salt", compress=True)
    assert client.get(page(None, forged)).status_code == 403


def test_an_expired_link_is_gone_with_a_friendly_410(client, winddown):
    recipient = RecipientFactory(winddown=winddown, language="es")
    token = make_token(recipient, expires=timezone.localdate() - dt.timedelta(days=1))
    response = client.get(page(recipient, token))
    assert response.status_code == 410
    assert "Este enlace ha caducado" in response.content.decode()


def test_a_token_of_one_winddown_does_not_open_another(client, winddown, other_winddown):
    recipient = RecipientFactory(winddown=winddown)
    path = reverse(
        "notices:personal-page", kwargs={"slug": "other-co", "token": make_token(recipient)}
    )
    assert client.get(path).status_code == 403


@pytest.mark.parametrize(("jurisdiction", "days"), [("US-CA", 45), ("CN", 15), ("JP", 30)])
def test_a_request_gets_its_legal_due_date(client, winddown, jurisdiction, days):
    recipient = RecipientFactory(winddown=winddown, jurisdiction=jurisdiction)
    response = client.post(page(recipient), {"type": "export", "message": "Please send my data"})
    assert response.status_code == 302
    request = SubjectRequest.objects.get()
    assert request.due_date == timezone.localdate() + dt.timedelta(days=days)
    assert request.type == "export" and request.message == "Please send my data"
    confirmation = client.get(response["Location"]).content.decode()
    assert "received your request" in confirmation
    assert AuditEvent.objects.filter(action="notices.request_received").count() == 1


def test_an_eu_request_is_due_in_one_calendar_month(client, winddown):
    recipient = RecipientFactory(winddown=winddown, jurisdiction="FR")
    client.post(page(recipient), {"type": "complaint"})
    today = timezone.localdate()
    # the same day of the next month, or that month's last day if it is shorter (31 Jan -> 28 Feb)
    first_of_next = (today.replace(day=1) + dt.timedelta(days=31)).replace(day=1)
    last_of_next = (first_of_next + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    expected = first_of_next.replace(day=min(today.day, last_of_next.day))
    assert SubjectRequest.objects.get().due_date == expected


def test_reporting_an_open_order_creates_an_open_order_request(client, winddown):
    recipient = RecipientFactory(winddown=winddown, has_open_order=False)
    client.post(page(recipient), {"type": "open_order", "message": "Order 123 not delivered"})
    request = SubjectRequest.objects.get()
    assert request.type == SubjectRequest.Type.OPEN_ORDER
    assert request.compliance_ref == f"PP-{request.pk}"
    assert Recipient.objects.get().has_open_order is True


def test_the_page_is_rate_limited(client, winddown, settings):
    settings.NOTICES_PAGE_TOKEN_RATE = "3/m"
    recipient = RecipientFactory(winddown=winddown)
    statuses = [client.get(page(recipient)).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[-1] == 429


def test_one_click_unsubscribe_works_without_a_csrf_token(winddown):
    from django.test import Client

    recipient = RecipientFactory(winddown=winddown)
    token = make_token(recipient, salt=UNSUBSCRIBE_SALT)
    path = reverse("notices:unsubscribe", kwargs={"slug": "acme", "token": token})
    client = Client(enforce_csrf_checks=True)
    assert client.get(path).status_code == 200
    assert Recipient.objects.get().unsubscribed_at is None  # a GET (link scanner) changes nothing
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Recipient.objects.get().unsubscribed_at is not None
    assert AuditEvent.objects.filter(action="notices.recipient_unsubscribed").count() == 1


@pytest.mark.parametrize("salt", [PERSONAL_SALT, UNSUBSCRIBE_SALT])
def test_the_senders_token_minter_makes_exactly_djangos_signed_token(winddown, salt):
    import time
    from unittest import mock

    recipient = RecipientFactory(winddown=winddown)
    now = time.time()
    with mock.patch("time.time", return_value=now):  # both stamp the same second
        expected = make_token(recipient, salt=salt)
    assert Minter(link_expiry(recipient), salt=salt).token(recipient.pk, now) == expected
    assert read_token(expected, salt=salt) == recipient.pk


def test_a_personal_page_token_does_not_unsubscribe(client, winddown):
    recipient = RecipientFactory(winddown=winddown)
    path = reverse("notices:unsubscribe", kwargs={"slug": "acme", "token": make_token(recipient)})
    assert client.post(path).status_code == 403
