"""A partner verifies each delivery with the documented algorithm, from its own small client."""

import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest
from django.conf import settings
from standardwebhooks import Webhook

from windown.services import winddown_status_change
from windown.webhooks.services import delivery_attempt, endpoint_create
from windown.webhooks.tests.receiver import receiver

pytestmark = pytest.mark.django_db


def verify_from_the_readme(secret: str, headers: dict[str, str], body: bytes) -> dict:
    """The verifier of the README, written from the Standard Webhooks spec (no windown import)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    given = [s.split(",", 1)[1] for s in headers["x-windown-signature"].split() if s[:3] == "v1,"]
    if not any(hmac.compare_digest(expected, s) for s in given):
        raise ValueError("bad signature")
    return json.loads(body)


def test_it_signs_deliveries_that_standard_webhooks_and_a_spec_verifier_accept(director):
    with receiver() as partner:
        endpoint, secret = endpoint_create(
            by=director, url=partner.url, events=["winddown.completed"]
        )
        winddown_status_change(by=director, status="closed")
        delivery = endpoint.deliveries.get()
        assert delivery_attempt(delivery.pk).ok

    [request] = partner.requests
    body = Webhook(secret).verify(request.body, request.headers)
    assert verify_from_the_readme(secret, request.headers, request.body) == body
    assert request.headers["x-windown-timestamp"] == request.headers["webhook-timestamp"]
    assert request.headers["x-windown-signature"] == request.headers["webhook-signature"]
    assert body["type"] == "winddown.completed"
    assert body["id"] == request.headers["webhook-id"] == delivery.event.event_id
    assert body["winddown"] == "acme" and body["version"] == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("delivered", 200, 1)


def test_it_rejects_a_tampered_body_or_another_secret(director):
    with receiver() as partner:
        endpoint, secret = endpoint_create(
            by=director, url=partner.url, events=["winddown.completed"]
        )
        winddown_status_change(by=director, status="closed")
        delivery_attempt(endpoint.deliveries.get().pk)
    [request] = partner.requests
    tampered = request.body.replace(b"acme", b"acmf")
    with pytest.raises(ValueError):
        verify_from_the_readme(secret, request.headers, tampered)
    _, other_secret = endpoint_create(by=director, url=partner.url, events=["hold.placed"])
    with pytest.raises(ValueError):
        verify_from_the_readme(other_secret, request.headers, request.body)


def test_the_stored_secret_is_encrypted_and_shown_only_at_creation(director):
    endpoint, secret = endpoint_create(
        by=director, url="https://partner.example.com/hook", events=["hold.placed"]
    )
    endpoint.refresh_from_db()
    assert secret.startswith("whsec_") and secret not in endpoint.secret_encrypted
    assert secret[6:] not in endpoint.secret_encrypted


def test_the_verifier_printed_in_the_readme_accepts_a_delivery(director):
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme.split("## Outbound webhooks", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 (our own README)
    with receiver() as partner:
        endpoint, secret = endpoint_create(
            by=director, url=partner.url, events=["winddown.completed"]
        )
        winddown_status_change(by=director, status="closed")
        delivery_attempt(endpoint.deliveries.get().pk)
    [request] = partner.requests
    headers = {
        "webhook-id": request.headers["webhook-id"],
        "X-Windown-Timestamp": request.headers["x-windown-timestamp"],
        "X-Windown-Signature": request.headers["x-windown-signature"],
    }
    assert namespace["verify"](secret, headers, request.body)
    assert not namespace["verify"](secret, headers, request.body + b" ")
