"""Webhooks never reach private, loopback, link-local or otherwise internal addresses in
production, whether named literally or through a DNS name, and follow no redirect."""

import pytest
from django.core.exceptions import ValidationError

from windown.services import winddown_status_change
from windown.webhooks.services import delivery_attempt, endpoint_create
from windown.webhooks.tests.receiver import receiver
from windown.webhooks.transport import AddressRefused, resolve_checked


@pytest.fixture
def production(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    settings.WEBHOOKS_ALLOW_HTTP = False


REFUSED = [
    ("127.0.0.1", "IPv4 loopback"),
    ("10.1.2.3", "IPv4 private (10/8)"),
    ("172.16.5.4", "IPv4 private (172.16/12)"),
    ("192.168.0.10", "IPv4 private (192.168/16)"),
    ("169.254.169.254", "IPv4 link-local: the cloud metadata service"),
    ("100.64.0.1", "IPv4 shared address space (carrier-grade NAT)"),
    ("0.0.0.0", "IPv4 unspecified"),  # noqa: S104 (a refused target, not a bind)
    ("224.0.0.1", "IPv4 multicast"),
    ("240.0.0.1", "IPv4 reserved"),
    ("::1", "IPv6 loopback"),
    ("fe80::1", "IPv6 link-local"),
    ("fd12:3456::1", "IPv6 unique local"),
    ("ff02::1", "IPv6 multicast"),
    ("::ffff:127.0.0.1", "IPv4-mapped IPv6 loopback"),
    ("::ffff:10.0.0.1", "IPv4-mapped IPv6 private"),
    ("localhost", "a DNS name that resolves to loopback"),
    ("ip6-localhost", "a DNS name that resolves to IPv6 loopback (/etc/hosts)"),
]


@pytest.mark.parametrize(("host", "why"), REFUSED, ids=[r[1] for r in REFUSED])
def test_it_refuses_to_connect_to(production, host, why):
    with pytest.raises(AddressRefused):
        resolve_checked(host, 443)


@pytest.mark.parametrize("host", ["1.1.1.1", "2606:4700:4700::1111"])
def test_it_accepts_public_addresses(production, host):
    assert resolve_checked(host, 443) == host


def test_development_and_tests_may_allow_private_addresses(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    assert resolve_checked("127.0.0.1", 80) == "127.0.0.1"


@pytest.mark.parametrize(
    "url",
    [
        "http://partner.example.com/hook",
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://10.0.0.8/hook",
        "https://localhost/hook",
        "https://api.localhost/hook",
        "https://user:pw@partner.example.com/hook",
    ],
)
def test_registration_refuses_plain_http_and_internal_hosts_in_production(
    production, director, url
):
    with pytest.raises(ValidationError) as refused:
        endpoint_create(by=director, url=url, events=["hold.placed"])
    assert "url" in refused.value.message_dict
    assert not director.winddown.webhook_endpoints.exists()


@pytest.mark.django_db
def test_a_delivery_to_an_internal_address_is_refused_without_a_request(settings, director):
    with receiver() as partner:
        endpoint, _ = endpoint_create(by=director, url=partner.url, events=["winddown.completed"])
        settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False  # e.g. DNS now points inside
        winddown_status_change(by=director, status="closed")
        answer = delivery_attempt(endpoint.deliveries.get().pk)
    assert answer.status is None and answer.error.startswith("refused:")
    assert partner.requests == []
    delivery = endpoint.deliveries.get()
    assert delivery.status == "pending" and delivery.last_error.startswith("refused:")


@pytest.mark.django_db
def test_a_redirect_is_not_followed(director):
    with receiver(answers=[302]) as partner:
        endpoint, _ = endpoint_create(by=director, url=partner.url, events=["winddown.completed"])
        winddown_status_change(by=director, status="closed")
        answer = delivery_attempt(endpoint.deliveries.get().pk)
    assert answer.status == 302 and not answer.ok and "redirect" in answer.error
    assert len(partner.requests) == 1


@pytest.mark.django_db
def test_it_delivers_over_ipv6_when_allowed(director):
    with receiver(host="::1") as partner:
        endpoint, _ = endpoint_create(by=director, url=partner.url, events=["winddown.completed"])
        winddown_status_change(by=director, status="closed")
        assert delivery_attempt(endpoint.deliveries.get().pk).ok
    assert len(partner.requests) == 1
