"""Nothing an auditor can reach changes anything (issue 10), and every download is audited.

On the demo wind-down, the auditor requests every URL pattern of the URLconf — the pages, the
API and everything mounted later (certificates, verification) — with GET, POST, PUT, PATCH and
DELETE, using real objects: the arguments come from the links, form actions and API listings
the demo's members see (see tests/urlwalk.py). Before and after, every table is summed up
(row count and a checksum of its rows); nothing may differ but the audit trail, and every
event the auditor added must record a download. On PostgreSQL each request is also checked on
its own: the tables it wrote to (pg_stat_xact_user_tables) must be the audit trail's, and only
for a download.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

import pytest
from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Max
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from compliance.models import ScheduleExport
from inventory.models import DataMapImport
from notices.models import RecipientImport
from tests.urlwalk import Pattern, Samples, fill, patterns
from windown.downloads import is_download
from windown.models import AuditEvent
from windown.roles import Role

pytestmark = pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailWarning")

SLUG = "lumen-electronics"
METHODS = ["get", "post", "put", "patch", "delete"]
AUDIT_TABLES = {"windown_auditevent", "windown_audithead"}
# Sessions are the browser's sign-in, not windown's data: signing out deletes one; django-axes
# logs every sign-in and sign-out (the lockout's own record of access, not windown's data).
# The enrolment page makes the signed-in person's own unconfirmed TOTP key to show them: their
# second factor, not windown's data.
NOT_DATA = {
    "django_session",
    "axes_accesslog",
    "axes_accessattempt",
    "axes_accessfailurelog",
    "otp_totp_totpdevice",
}
# Reachable without being a member of any wind-down, so an auditor's refusal is not theirs to
# give: signing in and out, the password pages, the language switch, obtaining an API token,
# the ESP webhooks (authenticated by the ESP's secret), public pages behind a signed token
# (processors, customers) and public verification pages. The database check applies to them
# all the same.
NOT_MEMBER_ONLY = ("accounts/", "i18n/", "api/v1/auth/token/", "anymail/", "admin/", "verify/")
# Not about any wind-down: the home page's redirect, and creating a wind-down of one's own
# (anyone signed in may; they become its director — a new tenant, not a change to this one).
NOT_MEMBER_ROUTES = {
    "",
    "w/new/",
    "api/v1/winddowns/$",
    "api/v1/winddowns\\.(?P<format>[a-z0-9]+)/?$",
}
# django-anymail's webhooks answer 500 (ImproperlyConfigured) until their ESP secret is set.
UNCONFIGURED = ("anymail/",)
# Public pages behind a signed token sent by email (a processor's answer form, a customer's
# personal page and unsubscribe link): no member, auditor or not, can reach them without the
# token; walked with a made-up token (which must change nothing either).
PUBLIC_TOKEN_ROUTES = (
    "processor-confirm/<str:token>/",
    "notices/p/<str:token>/requests/<int:pk>/copy/",
    "notices/p/<str:token>/",
    "notices/u/<str:token>/",
)
REFUSED = {403, 405}


def table_summary() -> dict[str, tuple[int, str]]:
    """Every table's row count and a checksum of its rows (PostgreSQL), or counts (SQLite)."""
    summary = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            if table in NOT_DATA:
                continue
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT COUNT(*), md5(COALESCE(string_agg(md5(t::text), '' "
                    f"ORDER BY md5(t::text)), '')) FROM \"{table}\" t"
                )
            else:
                cursor.execute(f"SELECT COUNT(*), '' FROM \"{table}\"")
            summary[table] = tuple(cursor.fetchone())
    return summary


def writes_so_far() -> Counter:
    """Rows inserted, updated and deleted per table in this transaction (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return Counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return Counter(dict(cursor.fetchall()))


@functools.cache
def api_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def api_list_urls() -> list[str]:
    """Every API operation of the schema that needs only the wind-down: where listing starts."""
    schema = api_schema()
    urls = []
    for path in schema["paths"]:
        if path.count("{") == 1 and "{winddown_slug}" in path:
            urls.append(path.replace("{winddown_slug}", SLUG))
        elif "{" not in path:
            urls.append(path)
    return urls


def api_operations() -> list[tuple[str, str]]:
    schema = api_schema()
    return [(path, method) for path, item in schema["paths"].items() for method in item]


def learn_everything(demo, client) -> Samples:
    """Crawl as every role of the demo (each sees other links), then list the API."""
    samples = Samples()
    people = [
        demo.member(Role.DIRECTOR),
        demo.member(Role.LEGAL),
        demo.member(Role.IT),
        demo.member(Role.SUPPORT),
        demo.member(Role.CUSTODIAN, "Sales"),
    ]
    for person in people:
        client.force_login(person.user)
        samples.crawl(client, ["/w/", f"/w/{SLUG}/"], per_route=3)
    client.force_login(demo.member(Role.DIRECTOR).user)  # reads every API list
    samples.learn_api(client, api_list_urls())
    return samples


def _webhook_and_device_urls(demo) -> list[str]:
    """A partner endpoint with one delivery, and a second-factor device (admin pages)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from compliance.models import Decision
    from notices.models import Recipient
    from notices.tokens import make_token
    from windown.audit import audit_record
    from windown.webhooks.models import WebhookDelivery
    from windown.webhooks.services.endpoints import endpoint_create

    director = demo.member(Role.DIRECTOR)
    endpoint, _secret = endpoint_create(
        by=director, url="https://partner.example/hooks", events=["decision.approved"]
    )
    audit_record(
        winddown=demo.winddown,
        actor=director.user,
        action="compliance.decision_approved",
        obj=Decision.objects.filter(winddown=demo.winddown, status="approved").first(),
        payload={},
    )
    delivery = WebhookDelivery.objects.filter(endpoint=endpoint).first()
    device = TOTPDevice.objects.create(user=director.user, name="walk", confirmed=True)
    ui, api = f"/w/{SLUG}/webhooks/{endpoint.pk}/", f"/api/v1/winddowns/{SLUG}/"
    return [
        ui,
        f"{ui}secret/",
        f"{ui}deliveries/{delivery.pk}/resend/",
        f"{api}webhook-endpoints/{endpoint.pk}/",
        f"{api}webhook-endpoints/{endpoint.pk}/deliveries/",
        f"{api}webhook-endpoints/{endpoint.pk}/rotate-secret/",
        f"{api}webhook-deliveries/{delivery.pk}/",
        f"{api}webhook-deliveries/{delivery.pk}/resend/",
        f"/admin/otp_totp/totpdevice/{device.pk}/config/",
        f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/",
        # a customer's download of their copy (a signed personal link; no such request here)
        f"/w/{SLUG}/notices/p/{make_token(Recipient.objects.filter(winddown=demo.winddown).first())}"
        "/requests/0/copy/",
    ]


def objects_no_page_links_to(demo) -> list[str]:
    """Add what the demo lacks and no page links to (pages reached by a redirect); their URLs."""
    export = ScheduleExport.objects.create(
        winddown=demo.winddown,
        requested_by=demo.member(Role.AUDITOR),
        decisions=3,
        status=ScheduleExport.Status.DONE,
        progress=100,
        file=default_storage.save("schedules/walk.pdf", ContentFile(b"%PDF-1.7 walk")),
    )
    upload = RecipientImport.objects.create(
        winddown=demo.winddown,
        requested_by=demo.member(Role.SUPPORT),
        filename="customers.csv",
        status=RecipientImport.Status.REFUSED,
    )
    api = f"/api/v1/winddowns/{SLUG}/notices/imports/{upload.pk}/"
    datamap = DataMapImport.objects.create(  # an import someone checked and may still apply
        winddown=demo.winddown,
        requested_by=demo.member(Role.IT),
        filename="datamap.csv",
        status=DataMapImport.Status.PREVIEWED,
    )
    datamap_api = f"/api/v1/winddowns/{SLUG}/datamap/imports/{datamap.pk}/"
    return [
        *_webhook_and_device_urls(demo),
        export.get_absolute_url(),
        upload.get_absolute_url(),
        reverse("notices:import-confirm", kwargs={"slug": SLUG, "pk": upload.pk}),
        api,
        f"{api}confirm-skip-invalid/",
        datamap.get_absolute_url(),
        reverse("inventory:datamap-import-apply", kwargs={"slug": SLUG, "pk": datamap.pk}),
        datamap_api,
        f"{datamap_api}apply/",
    ]


def request(client, method: str, url: str):
    call = getattr(client, method)
    if method == "get":
        return call(url)
    if "/api/" in url:
        return call(url, data={}, content_type="application/json")
    return call(url, data={}) if method == "post" else call(url)


def walk_of(samples: Samples) -> list[tuple[Pattern, str, str]]:
    """Every pattern with every method, at a URL built from real objects; fail naming the
    member-only patterns no real object was found for."""
    defaults = {"slug": SLUG, "winddown_slug": SLUG, "format": "json", "object_id": "1"}
    walk, missing = [], []
    for pattern in patterns():
        kwargs, source = samples.kwargs_for(pattern, defaults)
        url = pattern.url(kwargs)
        scoped = pattern.route.startswith(("w/", "api/v1/winddowns/"))
        public = pattern.route.endswith(PUBLIC_TOKEN_ROUTES)
        if url is None or (source == "missing" and scoped and not public):
            missing.append(pattern.route)
        else:
            walk.extend((pattern, method, url) for method in METHODS)
    assert not missing, f"no real object to reach these routes with: {missing}"
    return walk


def member_only(route: str) -> bool:
    return not (
        route.startswith(NOT_MEMBER_ONLY)
        or route.endswith(PUBLIC_TOKEN_ROUTES)
        or route in NOT_MEMBER_ROUTES
    )


def problems_of(pattern, method, url, response, written, added) -> list[str]:
    """What is wrong with one request of the auditor's: a server error, a write other than a
    download's audit event, a download nobody recorded, an unsafe method not refused."""
    label = f"{method.upper()} {url} → {response.status_code}"
    attachment = "attachment" in response.get("Content-Disposition", "")
    problems = []
    if response.status_code >= 500 and not pattern.route.startswith(UNCONFIGURED):
        problems.append(f"{label}: server error")
    if written - AUDIT_TABLES:
        problems.append(f"{label} wrote to {sorted(written - AUDIT_TABLES)}")
    if any(not is_download(action) for action in added):
        problems.append(f"{label} recorded {added}, not a download")
    if added and not attachment:
        problems.append(f"{label} recorded {added} but sent no download")
    if attachment and response.status_code == 200 and not added:
        problems.append(f"{label} sent a download nobody recorded")
    if method != "get" and member_only(pattern.route) and response.status_code not in REFUSED:
        problems.append(f"{label}: an auditor's {method.upper()} was not refused")
    return problems


@pytest.mark.django_db
def test_nothing_an_auditor_can_reach_changes_anything(demo, client):
    client.raise_request_exception = False  # a server error is reported with the others
    samples = learn_everything(demo, client)
    for url in objects_no_page_links_to(demo):
        samples.learn(url)
    assert not samples.errors, samples.errors
    walk = walk_of(samples)
    auditor = demo.member(Role.AUDITOR)
    client.force_login(auditor.user)
    # signing in again after a sign-out is the walk's doing, not the auditor's
    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")

    before = table_summary()
    first_new = last_seen = AuditEvent.objects.aggregate(Max("pk"))["pk__max"] or 0
    writes = writes_so_far()
    problems, walked_routes = [], set()
    for pattern, method, url in walk:
        response = request(client, method, url)
        if pattern.route.startswith("accounts/"):  # it may have signed out: sign in again
            client.force_login(auditor.user)
        walked_routes.add(pattern.route)
        now = writes_so_far()
        written = {table for table, n in (now - writes).items() if n} - NOT_DATA
        writes = now
        events = list(AuditEvent.objects.filter(pk__gt=last_seen).values_list("pk", "action"))
        last_seen = max([last_seen, *(pk for pk, _ in events)])
        added = [action for _, action in events]
        problems += problems_of(pattern, method, url, response, written, added)
    after = table_summary()
    user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")

    assert not problems, "\n".join(problems)
    changed = {t for t in before.keys() | after.keys() if before.get(t) != after.get(t)}
    assert changed <= AUDIT_TABLES, changed
    new_events = AuditEvent.objects.filter(pk__gt=first_new)
    assert new_events.exists()  # the walk downloaded things: the check above saw them
    assert all(is_download(e.action) for e in new_events)
    assert {e.actor_id for e in new_events} == {auditor.user_id}
    unwalked = [
        (path, method)
        for path, method in api_operations()
        if not any(_matches(path, route) for route in walked_routes)
    ]
    assert not unwalked, f"API operations the walk did not reach: {unwalked}"


class _Placeholders(dict):
    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        return "{}"


def _matches(schema_path: str, route: str) -> bool:
    """Say whether an OpenAPI path ("/api/v1/x/{id}/") is the route ("api/v1/x/(?P<id>…)/$")."""
    return re.sub(r"\{[^}]+\}", "{}", schema_path.lstrip("/")) == fill(route, _Placeholders())


def test_the_walk_names_each_kind_of_problem():
    from django.http import HttpResponse

    page = Pattern("w/<slug:slug>/things/", "things", ("slug",))
    refused, done = HttpResponse(status=403), HttpResponse(status=200)
    download = HttpResponse(b"x", headers={"Content-Disposition": 'attachment; filename="x"'})
    url = "/w/acme/things/"
    assert problems_of(page, "post", url, refused, set(), []) == []
    assert problems_of(page, "get", url, download, AUDIT_TABLES, ["a.x_downloaded"]) == []
    assert "not refused" in problems_of(page, "post", url, done, set(), [])[0]
    assert (
        "wrote to ['inventory_holding']"
        in problems_of(page, "get", url, done, {"inventory_holding"}, [])[0]
    )
    assert "nobody recorded" in problems_of(page, "get", url, download, set(), [])[0]
    assert "not a download" in problems_of(page, "get", url, done, AUDIT_TABLES, ["a.changed"])[0]
    assert "server error" in problems_of(page, "get", url, HttpResponse(status=500), set(), [])[0]
