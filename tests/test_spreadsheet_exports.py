"""Every CSV and XLSX export neutralises cells a spreadsheet would run as formulas.

The table below names each export; a guard test walks the URL configuration so that a new
export view cannot be added without being listed (and so checked) here.
"""

import csv
import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from compliance.engine.reasons import verbatim
from compliance.models import Decision
from compliance.services import decisions_evaluate
from compliance.tests.factories import DataSystemFactory, make_holding
from inventory.models import DataCategory
from notices.models import Delivery, Recipient
from notices.tests.helpers import recipients, started_campaign
from windown.audit import audit_record
from windown.spreadsheets import FORMULA_STARTS

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.fixture
def hostile_data(winddown, director):
    """Plant every hostile prefix where each export shows free text."""
    for number, value in enumerate(HOSTILE):
        system = DataSystemFactory(
            winddown=winddown,
            name=f"{value} system {number}",
            hosting_provider=value,
            hosting_region=value,
        )
        make_holding(winddown, system=system, jurisdiction="DE", fields=[value, "amount"])
    DataCategory.objects.filter(winddown=winddown, key="commerce.invoice").update(
        label_en=HOSTILE[0]
    )
    decisions_evaluate(winddown=winddown)
    Decision.objects.filter(winddown=winddown).update(basis_reasons=verbatim(HOSTILE[3]))
    recipients(winddown, len(HOSTILE))
    for recipient, value in zip(Recipient.objects.order_by("pk"), HOSTILE, strict=True):
        recipient.customer_ref = value
        recipient.save()
    campaign = started_campaign(director)
    for delivery, value in zip(campaign.deliveries.order_by("pk"), HOSTILE, strict=True):
        Delivery.objects.filter(pk=delivery.pk).update(status="failed", last_error=value)
    for value in HOSTILE:  # an actor's label is free text in the audit trail's export
        audit_record(winddown=winddown, actor=None, action="test.hostile", actor_label=value)
    return {"campaign": campaign}


def ui(name, **kwargs):
    return lambda data: reverse(name, kwargs={"slug": "acme", **kwargs})


# fmt: off
EXPORTS = [
    # (sentence, URL name, path given the planted data, format)
    ("the retention schedule as CSV", "compliance:schedule-export",
     ui("compliance:schedule-export", fmt="csv"), "csv"),
    ("the retention schedule as XLSX", "compliance:schedule-export",
     ui("compliance:schedule-export", fmt="xlsx"), "xlsx"),
    ("the data map as CSV", "inventory:datamap-export",
     ui("inventory:datamap-export", fmt="csv"), "csv"),
    ("the data map as XLSX", "inventory:datamap-export",
     ui("inventory:datamap-export", fmt="xlsx"), "xlsx"),
    ("the data map template with its allowed values", "inventory:datamap-template",
     ui("inventory:datamap-template"), "xlsx"),
    ("the data map through the API as CSV", "datamap-export",
     lambda data: "/api/v1/winddowns/acme/datamap/export/", "csv"),
    ("the data map through the API as XLSX", "datamap-export",
     lambda data: "/api/v1/winddowns/acme/datamap/export/?file_format=xlsx", "xlsx"),
    ("the audit trail as CSV", "windown:audit-export",
     ui("windown:audit-export", fmt="csv"), "csv"),
    ("a campaign's failed deliveries as CSV", "notices:failure-export",
     lambda data: reverse("notices:failure-export",
                          kwargs={"slug": "acme", "pk": data["campaign"].pk}), "csv"),
]
# fmt: on


def cells_of(content: bytes, fmt: str) -> list:
    if fmt == "csv":
        text = content.decode("utf-8-sig")
        return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    workbook = load_workbook(io.BytesIO(content))
    found = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                found.append(cell.value)
    return found


@pytest.mark.parametrize(
    "path, fmt", [case[2:] for case in EXPORTS], ids=[case[0] for case in EXPORTS]
)
def test_every_export_neutralises_formula_cells(hostile_data, client_for, director, path, fmt):
    response = client_for(director).get(path(hostile_data))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    cells = [cell for cell in cells_of(content, fmt) if isinstance(cell, str)]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    planted = [cell for cell in cells if cell.lstrip("'").startswith(FORMULA_STARTS)]
    assert planted and all(cell.startswith("'") for cell in planted)  # it saw hostile text


def _names(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def test_the_table_lists_every_export_view():
    exports = {
        name
        for name in _names(get_resolver().url_patterns)
        if ("export" in name or name.endswith("datamap-template")) and not name.startswith("admin:")
    }
    assert exports == {case[1] for case in EXPORTS}


# Management commands that write CSV or XLSX: (command, format, arguments).
COMMAND_EXPORTS = [
    ("export_retention_schedule", "csv", ["acme", "--format", "csv"]),
    ("export_retention_schedule", "xlsx", ["acme", "--format", "xlsx"]),
]


@pytest.mark.parametrize(
    "command, fmt, args", COMMAND_EXPORTS, ids=[f"{c[0]} {c[1]}" for c in COMMAND_EXPORTS]
)
def test_every_export_command_neutralises_formula_cells(hostile_data, tmp_path, command, fmt, args):
    from django.core.management import call_command

    output = tmp_path / f"export.{fmt}"
    call_command(command, *args, "-o", str(output))
    cells = [cell for cell in cells_of(output.read_bytes(), fmt) if isinstance(cell, str)]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert any(cell.lstrip("'").startswith(FORMULA_STARTS) for cell in cells)


def test_the_table_lists_every_export_command():
    from django.core.management import get_commands

    exporting = {name for name in get_commands() if name.startswith("export_")}
    # export_archive writes the encrypted archive, its envelope and a JSON manifest; the
    # certificate commands write a signed PDF and a zip of proofs: no sheet among them
    no_sheet = {"export_archive", "export_certificate", "export_verification_bundle"}
    assert exporting - no_sheet == {c[0] for c in COMMAND_EXPORTS}
