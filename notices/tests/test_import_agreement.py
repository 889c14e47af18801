"""The fast import path (checks per column in Python, COPY, merge in SQL) against the plain one.

`import_check` takes a row on its fast path only when every field passes a check narrower
than `parse_row`'s; these tests hold it, and the whole PostgreSQL import, to exactly the
rows, values and errors of the plain Python path on generated hostile input.
"""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notices.models import Recipient
from notices.services import importing
from notices.services.import_check import FIELDS, ChunkChecker
from notices.services.import_rows import COLUMNS, ImportReport, parse_row

# Addresses: valid and invalid, Unicode, IDN, odd dots and quotes, labels and lengths at
# their limits, padding that strip() removes, case that lower() folds (the Kelvin sign).
_ATOM = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789!#$%&'*+/=?^_`{|}~-"
_ODD = ['"', ".", "..", " ", "\\", "(", ")", ",", ":", ";", "<", ">", "[", "]", "@", "\x00"]
_UNICODE = [
    "ü",
    "é",
    "ß",
    "İ",
    "\u017f",
    "\u212a",
    "ﬁ",
    "名",
    "пример",
    "\u00a0",
    "\u200b",
    "\u0661",
]
_LOCALS = st.one_of(
    st.text(st.sampled_from(_ATOM), min_size=1, max_size=70),
    st.lists(st.text(st.sampled_from(_ATOM), max_size=8), min_size=1, max_size=5).map(".".join),
    st.text(st.sampled_from(_ATOM), max_size=10).map(lambda s: f'"{s} x"'),
    st.lists(
        st.one_of(st.text(st.sampled_from(_ATOM), min_size=1, max_size=6), st.sampled_from(_ODD)),
        min_size=1,
        max_size=6,
    ).map("".join),
    st.lists(
        st.one_of(st.text(st.sampled_from(_ATOM), max_size=4), st.sampled_from(_UNICODE)),
        min_size=1,
        max_size=4,
    ).map("".join),
    st.integers(200, 260).map(lambda n: "l" * n),
)
_LABEL = st.one_of(
    st.from_regex(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?", fullmatch=True),
    st.sampled_from(["-a", "a-", "a--b", "xn--bcher-kva", "xn--", "bücher", "例え", "1", ""]),
    st.integers(60, 66).map(lambda n: "d" * n),
)
_TLD = st.one_of(
    st.sampled_from(
        ["com", "de", "c", "co", "xn--p1ai", "рф", "c0m", "museum", "a-b", "localhost", "123", ""]
    ),
    st.integers(58, 66).map(lambda n: "t" * n),
    st.integers(56, 62).map(lambda n: "xn--" + "p" * n),
)
_DOMAINS = st.one_of(
    st.tuples(st.lists(_LABEL, min_size=0, max_size=4), _TLD).map(
        lambda t: ".".join([*t[0], t[1]])
    ),
    st.sampled_from(["localhost", "[127.0.0.1]", "[IPv6:::1]", "example.com.", "EXAMPLE.COM"]),
)
_PADDING = st.sampled_from(["", " ", "\t", "\u3000", "\xa0", "\x1c", " \r", "\u2028", "\n"])
ADDRESSES = st.one_of(
    st.emails(),
    st.tuples(
        _PADDING, _LOCALS, st.sampled_from(["@", "@", "@", "@@", ""]), _DOMAINS, _PADDING
    ).map("".join),
)
# The other fields: valid codes in odd case and padding, and anything else.
_HOSTILE = st.text(
    st.one_of(st.characters(codec="utf-8"), st.sampled_from(["\r", "\n", "\t", "\\", "\x00", ","])),
    max_size=12,
)
_PADDED = st.tuples(
    _PADDING, st.sampled_from(["", "Yes", "NO", "x", "是", "SÍ", "maybe"]), _PADDING
)
FLAGS = st.one_of(_PADDED.map("".join), _HOSTILE)
LANGUAGES = st.one_of(
    st.sampled_from(["", "de", "DE_at", "zh", "zh_CN", "ZH-hant", "ja-JP", "pt-BR", "ÉN", " fr "]),
    _HOSTILE,
)
PLACES = st.one_of(
    st.sampled_from(["", "de", " gb ", "OTHER", "us-ca", "US-\t\t", "US-\\x", "DEU", "ü1"]),
    _HOSTILE,
)
# What would break the To: header (windown.headers refuses Unicode Cc, Zl and Zp), inside a name.
HEADER_BREAKERS = [
    "\r\n",
    "\n",
    "\r",
    "\x00",
    "\t",
    "\x0b",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
]
_BROKEN = st.tuples(
    st.text(max_size=4), st.sampled_from(HEADER_BREAKERS), st.text(min_size=1, max_size=4)
).map("".join)
TEXTS = st.one_of(
    _HOSTILE,
    _BROKEN,
    st.sampled_from([99, 100, 101, 199, 200, 201]).map(lambda n: " " + "n" * n),
    st.sampled_from(["", " ", "\u3000"]),
)
# Mostly addresses the fast path takes, so that the other fields decide.
EMAILS = st.one_of(
    st.tuples(_PADDING, st.sampled_from(["a", "B", "c.d", "\u212ae"]), _PADDING).map(
        lambda t: f"{t[0]}{t[1]}@Example.com{t[2]}"
    ),
    ADDRESSES,
)
ROWS = st.lists(
    st.one_of(
        st.tuples(EMAILS, TEXTS, LANGUAGES, PLACES, TEXTS, FLAGS).map(list),
        st.lists(st.sampled_from(["", " ", "\u3000", "a@example.com"]), max_size=8),  # ragged
    ),
    min_size=1,
    max_size=40,
)
_SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def _plain(header, rows, first=2):
    """What the plain Python path makes of the rows: valid rows, errors, rows counted."""
    report, valid = ImportReport(), []
    for number, values in enumerate(rows, start=first):
        if not any(str(v).strip() for v in values):
            continue
        report.rows += 1
        try:
            row = parse_row(dict(zip(header, values, strict=False)))
        except ValidationError as error:
            report.refuse_row(number, error)
        else:
            valid.append((number, *(row[f] for f in FIELDS)))
    return valid, report


@_SETTINGS
@given(addresses=st.lists(ADDRESSES, min_size=1, max_size=60))
def test_the_fast_email_check_accepts_exactly_what_parse_row_accepts(addresses):
    limits = [  # a label or TLD of 63 and 64 characters in the shortest addresses that hold one
        *(f"a@{'d' * n}.co" for n in (63, 64)),
        *(f"a@b.{'t' * n}" for n in (63, 64)),
        *(f"a@b.xn--{'p' * n}" for n in (59, 60)),
        f"{'l' * 243}@example.com",
        f"{'l' * 242}@example.com",
    ]
    addresses = [*addresses, *limits, " Known.Good+tag@Sub.Example.com\t", "\u212a@x.example"]
    rows = [[address, "", "en", "DE", "", "no"] for address in addresses]
    report = ImportReport()
    assert ChunkChecker(COLUMNS, report).check(rows, 2) == _plain(COLUMNS, rows)[0]


@_SETTINGS
@given(rows=ROWS, header=st.sampled_from([COLUMNS, ["name", "EMAIL", "email", "language"]]))
def test_the_fast_path_and_parse_row_agree_on_hostile_rows(rows, header):
    """Same valid rows with the same values, same errors in the same order, same count."""
    header = [h.lower() for h in header]
    rows = [
        *rows,
        *([f"{n}@example.com", "n" * n, "", "", "r" * (n - 100), ""] for n in (200, 201)),
    ]
    rows.append(["long@example.com", "", "", "", "r" * 101, ""])
    report = ImportReport()
    checker = ChunkChecker(header, report)
    got = checker.check(rows[: len(rows) // 2], 2) + checker.check(
        rows[len(rows) // 2 :], 2 + len(rows) // 2
    )
    valid, expected = _plain(header, rows)
    assert got == valid
    assert (report.rows, report.invalid, report.errors) == (
        expected.rows,
        expected.invalid,
        expected.errors,
    )


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([COLUMNS, *rows])
    return buffer.getvalue().encode()


def _recipients(winddown):
    return sorted(
        Recipient.objects.filter(winddown=winddown).values_list(
            "email", "name", "language", "jurisdiction", "customer_ref", "has_open_order"
        )
    )


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
    existing=st.booleans(),
)
def test_the_copy_import_and_the_plain_import_store_the_same(director, rows, existing):
    """The whole import on PostgreSQL against the plain ORM path, with duplicate emails in
    other case and padding and different fields, on an empty wind-down and on one with
    recipients; invalid rows skipped. PostgreSQL stores no NUL: both read U+FFFD."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the COPY path runs on PostgreSQL only")
    rows = [[str(v).replace("\x00", "\ufffd") for v in row] for row in rows]
    results = []
    for run in (importing._import_by_copy, importing._import_in_batches):
        Recipient.objects.filter(winddown=director.winddown).delete()
        if existing:
            Recipient.objects.create(winddown=director.winddown, email="b@example.com", name="Old")
            Recipient.objects.create(winddown=director.winddown, email="z@example.com", name="Z")
        before = Recipient.objects.filter(winddown=director.winddown).count()
        report = run(director, io.BytesIO(_csv(rows)), "r.csv", True, None, before, "")
        results.append((_recipients(director.winddown), report))
    (copied, by_copy), (plain, by_orm) = results
    assert copied == plain
    assert (by_copy.rows, by_copy.invalid, by_copy.errors, by_copy.created) == (
        by_orm.rows,
        by_orm.invalid,
        by_orm.errors,
        by_orm.created,
    )


@pytest.mark.django_db
def test_a_first_import_falls_back_to_the_upsert_when_an_email_was_added_meanwhile(director):
    """`before` says the wind-down was empty; another writer added an email since."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the COPY path runs on PostgreSQL only")
    Recipient.objects.create(winddown=director.winddown, email="a@example.com", name="Old")
    rows = [["A@example.com", "", "de", "", "C1", "yes"], ["b@example.com", "Bea", "", "", "", ""]]
    report = importing._import_by_copy(
        director, io.BytesIO(_csv(rows)), "r.csv", False, None, 0, ""
    )
    assert report.imported == 2
    assert _recipients(director.winddown) == [
        ("a@example.com", "Old", "de", "", "C1", True),
        ("b@example.com", "Bea", "en", "", "", False),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["_import_by_copy", "_import_in_batches"])
@pytest.mark.parametrize("breaker", HEADER_BREAKERS)
def test_both_paths_refuse_a_name_that_would_break_the_to_header(director, path, breaker):
    """Row and column named, nothing stored, whichever path reads the file (the fast path's
    chunk of otherwise valid rows included)."""
    from django.db import connection

    if path == "_import_by_copy" and connection.vendor != "postgresql":
        pytest.skip("the COPY path runs on PostgreSQL only")
    Recipient.objects.create(winddown=director.winddown, email="kept@example.com", name="Kept")
    rows = [[f"r{i}@example.com", f"Name {i}", "en", "DE", "", "no"] for i in range(50)]
    rows[30][1] = f"Eve{breaker}Bcc: all@example.com"
    run = getattr(importing, path)
    with pytest.raises(importing.ImportRefused) as refused:
        run(director, io.BytesIO(_csv(rows)), "r.csv", False, None, 1, "")
    [(number, message)] = refused.value.report.errors
    assert number == 32 and message.startswith("Column “name”: Line breaks and control")
    assert _recipients(director.winddown) == [("kept@example.com", "Kept", "en", "", "", False)]
