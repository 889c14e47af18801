"""A first import COPYed straight into the recipients table stores what the plain import stores."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notices.models import Recipient
from notices.services import import_fresh, importing
from notices.services.import_check import first_seen
from notices.tests.test_import_agreement import (
    _SETTINGS,
    FLAGS,
    LANGUAGES,
    PLACES,
    ROWS,
    TEXTS,
    _csv,
    _recipients,
)


def _postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the COPY paths run on PostgreSQL only")


@pytest.mark.django_db
@settings(_SETTINGS, max_examples=25)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["a@example.com", "B@Example.com", " b@example.COM", "c@example.com"]),
            TEXTS,
            LANGUAGES,
            PLACES,
            TEXTS,
            FLAGS,
        ).map(list),
        max_size=12,
    ).flatmap(lambda dups: ROWS.map(lambda rows: [*dups, *rows]).flatmap(st.permutations)),
    bits=st.sampled_from([25, 3]),
)
def test_a_first_import_stores_what_the_plain_import_stores(director, rows, bits):
    """Duplicate emails in other case and padding with different fields; invalid rows
    skipped. With a bitmap of 8 bits most unique emails look seen (collisions): they are
    staged and merged without a row written before them."""
    _postgresql()
    rows = [[str(v).replace("\x00", "\ufffd") for v in row] for row in rows]
    results = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(import_fresh, "first_seen", lambda: first_seen(bits))
        for run in (importing._import_fresh, importing._import_in_batches):
            Recipient.objects.filter(winddown=director.winddown).delete()
            report = run(director, io.BytesIO(_csv(rows)), "r.csv", True, None, 0, "")
            results.append((_recipients(director.winddown), report))
    (fresh, by_copy), (plain, by_orm) = results
    assert fresh == plain
    assert (by_copy.rows, by_copy.invalid, by_copy.errors, by_copy.created) == (
        by_orm.rows,
        by_orm.invalid,
        by_orm.errors,
        by_orm.created,
    )
    assert by_copy.imported == len(fresh)


@pytest.mark.django_db
def test_an_email_added_meanwhile_rolls_back_and_imports_by_upsert(director):
    """`before` said the wind-down was empty; another writer added an email since."""
    _postgresql()
    Recipient.objects.create(winddown=director.winddown, email="a@example.com", name="Old")
    rows = [["A@example.com", "", "de", "", "C1", "yes"], ["b@example.com", "Bea", "", "", "", ""]]
    phases = []
    report = importing._import_fresh(
        director,
        io.BytesIO(_csv(rows)),
        "r.csv",
        False,
        lambda phase, n: phases.append((phase, n)),
        0,
        "",
    )
    assert (report.imported, report.created) == (2, 1)
    assert _recipients(director.winddown) == [
        ("a@example.com", "Old", "de", "", "C1", True),
        ("b@example.com", "Bea", "en", "", "", False),
    ]
    assert ("checked", 2) in phases


@pytest.mark.django_db
def test_a_refused_first_import_writes_nothing(director):
    _postgresql()
    rows = [["a@example.com", "Anna", "", "", "", ""], ["bad", "", "", "", "", ""]]
    with pytest.raises(importing.ImportRefused):
        importing._import_fresh(director, io.BytesIO(_csv(rows)), "r.csv", False, None, 0, "")
    assert not Recipient.objects.filter(winddown=director.winddown).exists()
