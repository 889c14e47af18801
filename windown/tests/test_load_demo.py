"""load_demo builds a realistic wind-down with one login per role, and is idempotent."""

from django.apps import apps
from django.core.management import call_command
from django.db import connection

from windown.models import AuditEvent, Membership, User, WindDown
from windown.roles import Role


def snapshot():
    """Everything the demo creates, as comparable data (every table the apps own)."""
    tables = sorted(
        t
        for t in connection.introspection.table_names()
        if t.split("_")[0] in ("windown", "inventory", "compliance", "notices", "destruction")
    )
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return {
        "counts": counts,
        "winddowns": list(WindDown.objects.values()),
        "members": sorted(Membership.objects.values_list("user__email", "role", "department")),
        "users": sorted(User.objects.values_list("email", "display_name")),
        "audit": list(
            AuditEvent.objects.order_by("winddown", "seq").values_list("action", "payload")
        ),
    }


def test_load_demo_creates_one_member_per_role_and_prints_logins(db, capsys):
    call_command("load_demo", force=True)
    out = capsys.readouterr().out
    winddown = WindDown.objects.get(slug="lumen-electronics")
    assert winddown.registration_country.code == "CN"
    assert "EU_OSS" in winddown.tax_registrations
    assert set(winddown.memberships.values_list("role", flat=True)) == set(Role.values)
    assert "director@lumen-electronics.example" in out and "password" in out


def test_load_demo_twice_gives_the_same_data(db, capsys, signing_ca):
    # the core imports no phase app (lint-imports): the model by name
    Certificate = apps.get_model("destruction", "Certificate")
    call_command("load_demo", force=True)
    first = snapshot()
    # with the signing files, every verified job was certified, the processor's deletion too
    assert Certificate.objects.filter(job__items__kind="processor_request").exists()
    call_command("load_demo", force=True)
    assert snapshot() == first


def test_demo_users_can_sign_in_with_the_printed_password(client, db):
    from windown.demo.core import DEMO_PASSWORD

    call_command("load_demo", force=True)
    # through the sign-in page (django-axes watches every authentication with its request)
    credentials = {"username": "legal@lumen-electronics.example", "password": DEMO_PASSWORD}
    signed_in = client.post("/accounts/login/", credentials)
    assert signed_in.status_code == 302
