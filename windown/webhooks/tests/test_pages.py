"""The director registers endpoints, sees the secret once, reads the delivery log and resends;
the pages and the API answer each role as the reviewed tables say."""

import pytest
from django.urls import reverse

from windown.models import AuditEvent, WebhookDelivery, WebhookEndpoint
from windown.services import winddown_status_change
from windown.tests.access import DENIED, Endpoint, access_table, call, one_of_each_role
from windown.webhooks.services import delivery_attempt, endpoint_create
from windown.webhooks.tests.receiver import receiver

URL = "https://partner.example.com/hook"


def ui(name, **extra):
    def build(m):
        endpoint = m.winddown.webhook_endpoints.first()
        kwargs = {"slug": m.winddown.slug}
        if name != "windown:webhook-list":
            kwargs["pk"] = endpoint.pk
        if name == "windown:webhook-resend":
            kwargs["delivery_pk"] = endpoint.deliveries.first().pk
        return reverse(name, kwargs=kwargs)

    return build


def api(path=""):
    def build(m):
        endpoint = m.winddown.webhook_endpoints.first()
        delivery = endpoint.deliveries.first()
        base = f"/api/v1/winddowns/{m.winddown.slug}/"
        return base + path.format(e=endpoint.pk, d=delivery.pk)

    return build


NEW = {"url": "https://new.example.com/", "events": ["hold.placed"]}
ENDPOINTS = [
    Endpoint("list", "webhooks.view", url=ui("windown:webhook-list")),
    Endpoint("register", "webhooks.manage", "post", url=ui("windown:webhook-list"),
             data=lambda m: NEW),
    Endpoint("detail", "webhooks.view", url=ui("windown:webhook-detail")),
    Endpoint("change", "webhooks.manage", "post", url=ui("windown:webhook-detail"),
             data=lambda m: {**NEW, "is_active": ""}),
    Endpoint("rotate", "webhooks.manage", "post", url=ui("windown:webhook-rotate")),
    Endpoint("resend", "webhooks.manage", "post", url=ui("windown:webhook-resend")),
    Endpoint("api list", "webhooks.view", url=api("webhook-endpoints/")),
    Endpoint("api create", "webhooks.manage", "post", url=api("webhook-endpoints/"),
             data=lambda m: NEW),
    Endpoint("api patch", "webhooks.manage", "patch", url=api("webhook-endpoints/{e}/"),
             data=lambda m: {"is_active": False}),
    Endpoint("api rotate", "webhooks.manage", "post",
             url=api("webhook-endpoints/{e}/rotate-secret/")),
    Endpoint("api log", "webhooks.view", url=api("webhook-endpoints/{e}/deliveries/")),
    Endpoint("api delivery", "webhooks.view", url=api("webhook-deliveries/{d}/")),
    Endpoint("api resend", "webhooks.manage", "post", url=api("webhook-deliveries/{d}/resend/")),
]  # fmt: skip

EXPECTED = access_table(
    """
                        director  legal  it  support  custodian  auditor
    GET list               x        .    .      .         .         .
    POST register          x        .    .      .         .         .
    GET detail             x        .    .      .         .         .
    POST change            x        .    .      .         .         .
    POST rotate            x        .    .      .         .         .
    POST resend            x        .    .      .         .         .
    GET api list           x        .    .      .         .         .
    POST api create        x        .    .      .         .         .
    PATCH api patch        x        .    .      .         .         .
    POST api rotate        x        .    .      .         .         .
    GET api log            x        .    .      .         .         .
    GET api delivery       x        .    .      .         .         .
    POST api resend        x        .    .      .         .         .
    """,
    ENDPOINTS,
)


@pytest.fixture
def delivered(director):
    """An endpoint with one delivery, on a winddown that has one of each role."""
    endpoint, _ = endpoint_create(by=director, url=URL, events=["winddown.completed"])
    winddown_status_change(by=director, status="closed")
    return endpoint


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_each_role_gets_what_the_table_says(endpoint, winddown, member, delivered, client, api_for,
                                            other_winddown):  # fmt: skip
    people = one_of_each_role(winddown, member)
    for role, membership in people.items():
        is_api = endpoint.name.startswith("api")
        answer = call(api_for(membership) if is_api else client_for_role(client, membership),
                      endpoint, membership, api=is_api)  # fmt: skip
        if role in EXPECTED[str(endpoint)]:
            assert answer.status_code in (200, 201, 302), (role, answer.status_code)
        else:
            assert answer.status_code == DENIED, (role, answer.status_code)
    stranger = other_winddown.memberships.get(role="director")
    wrong = endpoint.url(people["director"])  # acme's URL, asked by another tenant
    is_api = endpoint.name.startswith("api")
    client_ = api_for(stranger) if is_api else client_for_role(client, stranger)
    answer = getattr(client_, endpoint.method)(wrong, endpoint.data(stranger), **(
        {"format": "json"} if is_api else {}))  # fmt: skip
    assert answer.status_code == 404


def client_for_role(client, membership):
    client.force_login(membership.user)
    return client


def test_the_director_registers_an_endpoint_and_sees_the_secret_once(director, client_for):
    client = client_for(director)
    page = client.post(
        reverse("windown:webhook-list", kwargs={"slug": "acme"}),
        {"url": URL, "events": ["hold.placed", "certificate.issued"], "description": "ERP"},
    )
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    secret = page.context["secret"]
    assert secret.startswith("whsec_") and secret in page.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["certificate.issued", "hold.placed"]
    assert AuditEvent.objects.filter(action="webhooks.endpoint_created").exists()
    detail = client.get(
        reverse("windown:webhook-detail", kwargs={"slug": "acme", "pk": endpoint.pk})
    )
    assert secret not in detail.content.decode()
    assert (
        secret
        not in client.get(
            f"/api/v1/winddowns/acme/webhook-endpoints/{endpoint.pk}/"
        ).content.decode()
    )


def test_a_plain_http_url_is_refused_on_the_page_in_production(director, client_for, settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    page = client_for(director).post(
        reverse("windown:webhook-list", kwargs={"slug": "acme"}),
        {"url": "http://partner.example.com/", "events": ["hold.placed"]},
    )
    assert page.status_code == 200 and "https" in str(page.context["form"].errors)
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_the_log_shows_a_failed_delivery_and_resend_sends_it_again(director, client_for, settings):
    with receiver(answers=[500, 200]) as partner:
        endpoint, _ = endpoint_create(by=director, url=partner.url, events=["winddown.completed"])
        winddown_status_change(by=director, status="closed")
        delivery = endpoint.deliveries.get()
        settings.WEBHOOKS_RETRY_WINDOW_SECONDS = 0  # give up after the first failure
        WebhookDelivery.objects.filter(pk=delivery.pk).update(retry_until=delivery.next_attempt_at)
        delivery_attempt(delivery.pk)
        client = client_for(director)
        log = reverse("windown:webhook-detail", kwargs={"slug": "acme", "pk": endpoint.pk})
        page = client.get(log, {"status": "failed"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert list(page.context["object_list"]) == [delivery]
        assert "HTTP 500" in page.content.decode()
        settings.WEBHOOKS_RETRY_WINDOW_SECONDS = 86400
        resend = reverse(
            "windown:webhook-resend",
            kwargs={"slug": "acme", "pk": endpoint.pk, "delivery_pk": delivery.pk},
        )
        assert client.post(resend).status_code == 302
        assert delivery_attempt(delivery.pk).ok
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert len({r.headers["webhook-id"] for r in partner.requests}) == 1


def test_the_api_creates_shows_the_secret_once_and_disables(director, api_for):
    client = api_for(director)
    created = client.post(
        "/api/v1/winddowns/acme/webhook-endpoints/",
        {"url": URL, "events": ["request.filed"]},
        format="json",
    )
    assert created.status_code == 201 and created.json()["secret"].startswith("whsec_")
    pk = created.json()["id"]
    shown = client.get(f"/api/v1/winddowns/acme/webhook-endpoints/{pk}/").json()
    assert "secret" not in shown and shown["secret_prefix"] == created.json()["secret"][:10]
    changed = client.patch(
        f"/api/v1/winddowns/acme/webhook-endpoints/{pk}/", {"is_active": False}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["is_active"] is False
    refused = client.patch(
        f"/api/v1/winddowns/acme/webhook-endpoints/{pk}/", {"secret_prefix": "x"}, format="json"
    )
    assert refused.status_code == 400
    unknown = client.post(
        "/api/v1/winddowns/acme/webhook-endpoints/",
        {"url": URL, "events": ["everything"]},
        format="json",
    )
    assert unknown.status_code == 400


def test_the_dashboard_shows_the_director_failed_deliveries(director, client_for):
    endpoint, _ = endpoint_create(by=director, url=URL, events=["winddown.completed"])
    winddown_status_change(by=director, status="closed")
    endpoint.deliveries.update(status="failed")
    page = client_for(director).get(reverse("dashboard:home", kwargs={"slug": "acme"}))
    assert "1 delivery failed" in page.content.decode()


def test_the_pages_speak_chinese(director, client_for, delivered):
    client = client_for(director)
    client.cookies["django_language"] = "zh-hans"
    listing = client.get(reverse("windown:webhook-list", kwargs={"slug": "acme"})).content.decode()
    assert "登记端点" in listing and "清算已完成" in listing
    detail = client.get(
        reverse("windown:webhook-detail", kwargs={"slug": "acme", "pk": delivered.pk})
    ).content.decode()
    assert "投递记录" in detail and "清算已完成" in detail
