"""Recipient import: encodings, validation with row numbers, refusal, merging, XLSX."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from notices.models import Recipient
from notices.services.importing import ImportRefused, recipients_import
from notices.tests.factories import RecipientFactory
from windown.models import AuditEvent

pytestmark = pytest.mark.django_db

HEADER = "email,name,language,jurisdiction,customer_ref,has_open_order\n"


def run(director, text: str, encoding="utf-8", filename="r.csv", **kwargs):
    return recipients_import(
        by=director, file=io.BytesIO(text.encode(encoding)), filename=filename, **kwargs
    )


def test_it_imports_utf8_with_a_bom_and_normalises_emails(director):
    report = run(director, "\ufeff" + HEADER + "Maria@Example.COM,Maria,de,de,C1,yes\n")
    assert report.created == 1
    recipient = Recipient.objects.get()
    assert (recipient.email, recipient.language, recipient.jurisdiction) == (
        "maria@example.com",
        "de",
        "DE",
    )
    assert recipient.has_open_order is True


def test_it_detects_gb18030(director):
    run(director, HEADER + "li@example.cn,李雷,zh-Hans,CN,C2,否\n", encoding="gb18030")
    recipient = Recipient.objects.get()
    assert (recipient.name, recipient.language, recipient.has_open_order) == (
        "李雷",
        "zh-hans",
        False,
    )


def test_an_unknown_language_falls_back_to_english(director):
    run(director, HEADER + "a@example.com,A,xx,US-CA,,\n")
    assert Recipient.objects.get().language == "en"


def test_it_refuses_a_file_with_invalid_rows_and_names_them(director):
    text = HEADER + "ok@example.com,,en,DE,,\nnot-an-email,,en,DE,,\nb@example.com,,en,DE,,maybe\n"
    with pytest.raises(ImportRefused) as refused:
        run(director, text)
    assert [row for row, _ in refused.value.report.errors] == [3, 4]
    assert not Recipient.objects.exists()
    assert not AuditEvent.objects.filter(action="notices.recipients_imported").exists()


def test_it_skips_invalid_rows_when_the_user_confirms(director):
    text = HEADER + "ok@example.com,,en,DE,,\nnot-an-email,,en,DE,,\n"
    report = run(director, text, skip_invalid=True)
    assert (report.created, report.invalid) == (1, 1)
    event = AuditEvent.objects.get(action="notices.recipients_imported")
    assert event.payload["invalid_skipped"] == 1 and len(event.payload["sha256"]) == 64


def test_duplicates_are_merged_case_insensitively(director):
    text = HEADER + "A@example.com,Anna,,DE,,no\na@EXAMPLE.com,,fr,,C9,yes\n"
    report = run(director, text)
    assert report.created == 1
    recipient = Recipient.objects.get()
    assert (recipient.name, recipient.language, recipient.customer_ref) == ("Anna", "fr", "C9")
    assert recipient.has_open_order is True


def test_reimporting_updates_instead_of_duplicating(director):
    run(director, HEADER + "a@example.com,Anna,de,DE,,yes\n")
    run(director, HEADER + "A@example.com,,es,,,no\n")
    recipient = Recipient.objects.get()
    assert (recipient.name, recipient.language, recipient.has_open_order) == ("Anna", "es", False)


def test_it_imports_xlsx(director):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["x@example.jp", "山田", "ja", "JP", "J1", "1"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    recipients_import(by=director, file=data, filename="r.xlsx")
    assert Recipient.objects.get().language == "ja"


def test_a_file_without_a_header_row_is_refused(director):
    with pytest.raises(Exception, match="first row"):
        run(director, "a@example.com,Anna\n")


def test_the_command_refuses_invalid_rows_by_default(director, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(HEADER + "ok@example.com,,en,DE,,\nbad,,en,DE,,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_recipients", "acme", str(path))
    assert not Recipient.objects.exists()
    call_command("import_recipients", "acme", str(path), "--skip-invalid")
    assert Recipient.objects.count() == 1


def test_it_reads_many_batches(director):
    rows = "".join(f"p{i}@example.com,,en,DE,,\n" for i in range(12_000))
    report = run(director, HEADER + rows)
    assert report.created == 12_000 == Recipient.objects.count()


def upload(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("customers.csv", text.encode("utf-8"), content_type="text/csv")


def test_the_ui_previews_then_queues_the_import_and_shows_its_report(client_for, director):
    from django.urls import reverse

    from notices.models import RecipientImport
    from notices.services.import_jobs import import_job_run

    client = client_for(director)
    response = client.post(
        reverse("notices:recipient-list", kwargs={"slug": "acme"}),
        {"file": upload(HEADER + "a@example.com,Anna,de,DE,,\n")},
    )
    job = RecipientImport.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == "preview" and not Recipient.objects.exists()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Read as UTF-8 (recognised)" in page and "<td>Anna</td>" in page
    start = reverse("notices:import-start", kwargs={"slug": "acme", "pk": job.pk})
    client.post(start, {"action": "start", "encoding": ""})
    job.refresh_from_db()
    assert job.status == "pending" and not Recipient.objects.exists()
    import_job_run(job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.status == "done" and job.report["created"] == 1 and not job.file
    assert b"1 new recipients" in client.get(job.get_absolute_url()).content


def test_a_refused_upload_lists_the_rows_and_can_be_confirmed(client_for, director):
    from django.urls import reverse

    from notices.models import RecipientImport
    from notices.services.import_jobs import import_job_run

    client = client_for(director)
    client.post(
        reverse("notices:recipient-list", kwargs={"slug": "acme"}),
        {"file": upload(HEADER + "a@example.com,,en,,,\nbroken,,en,,,\n")},
    )
    job = RecipientImport.objects.get()
    start = reverse("notices:import-start", kwargs={"slug": "acme", "pk": job.pk})
    client.post(start, {"action": "start"})
    import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "refused" and job.report["errors"][0][0] == 3
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Skip the invalid rows" in page and ">3<" in page
    assert not Recipient.objects.exists()
    client.post(reverse("notices:import-confirm", kwargs={"slug": "acme", "pk": job.pk}))
    import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and Recipient.objects.count() == 1


def test_the_api_queues_an_import_and_reports_it(api_for, director):
    from notices.services.import_jobs import import_job_run

    api = api_for(director)
    response = api.post(
        "/api/v1/winddowns/acme/notices/recipients/import/",
        {"file": upload(HEADER + "a@example.com,,ja,JP,,\n")},
    )
    assert response.status_code == 202
    import_job_run(response.json()["id"])
    body = api.get(f"/api/v1/winddowns/acme/notices/imports/{response.json()['id']}/").json()
    assert body["status"] == "done" and body["report"]["created"] == 1


def test_the_import_and_parse_row_agree_on_every_row(director):
    """On PostgreSQL rows are checked column by column first; the verdicts are parse_row's."""
    from django.core.exceptions import ValidationError

    from notices.services.import_rows import parse_row

    rows = [
        ["plain@example.com", "Anna", "de", "de", "C1", "yes"],
        ["  Padded@Example.COM\t", "\u3000Bea\u3000", " FR ", " gb ", " C2 ", " No "],
        ["idn@bücher.de", "Cem", "zh_CN", "CN", "", "是"],
        ["quoted@localhost", "", "de-AT", "US-ca", "", "SÍ"],
        ['"john doe"@example.com', "", "pt-BR", "OTHER", "", "x"],
        ["one@punycode.xn--p1ai", "", "ÉN", "", "", "否"],
        ["", "no email", "en", "", "", ""],
        ["short@tld.c", "", "", "", "", ""],
        ["dash@-bad.com", "", "", "", "", ""],
        ["long@" + "a" * 64 + ".com", "", "", "", "", ""],
        ["l" * 250 + "@example.com", "", "", "", "", ""],
        ["name@example.com", "n" * 201, "", "", "", ""],
        ["flag@example.com", "", "", "", "", "maybe"],
        ["where@example.com", "", "", "DEU", "", ""],
        ["üser@example.com", "", "", "", "", ""],
        ["two@@example.com", "", "", "", "", ""],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER.strip().split(","), *rows])
    report = run(director, buffer.getvalue(), skip_invalid=True)
    expected, invalid = {}, []
    for number, values in enumerate(rows, start=2):
        try:
            row = parse_row(dict(zip(HEADER.strip().split(","), values, strict=True)))
        except ValidationError as error:
            invalid.append((number, " ".join(error.messages)))
        else:
            expected[row.pop("email")] = row
    assert report.errors == invalid and report.rows == len(rows)
    stored = {
        r.pop("email"): r
        for r in Recipient.objects.values(
            "email", "name", "language", "jurisdiction", "customer_ref", "has_open_order"
        )
    }
    assert stored == expected


def test_a_file_with_bytes_of_another_encoding_is_refused_saying_where(director):
    RecipientFactory(winddown=director.winddown, email="kept@example.com", name="Kept")
    rows = "".join(f"r{i}@example.com,Name {i},en,DE,,no\n" for i in range(3000))
    data = (HEADER + rows).encode() + b"bad@example.com,M\xfcller,de,DE,,no\n"
    with pytest.raises(ValidationError) as refused:
        recipients_import(by=director, file=io.BytesIO(data), filename="r.csv")
    message = refused.value.messages[0]
    assert "not valid UTF-8" in message and "0xfc" in message and "nothing was imported" in message
    row = int(message.split("after row ")[1].split()[0])
    assert 2800 < row <= 3001  # where reading stopped: the rows are read in chunks
    assert list(Recipient.objects.values_list("email", "name")) == [("kept@example.com", "Kept")]


def test_each_problem_names_its_column(director):
    text = (
        HEADER
        + "a@example.com,,,XYZ,,\nb@example.com,,,,,maybe\n"
        + "c@example.com,"
        + ("x" * 201)
        + ",,,,\n"
    )
    with pytest.raises(ImportRefused) as refused:
        run(director, text)
    assert refused.value.report.errors == [
        (2, "Column “jurisdiction”: unknown code “XYZ”"),
        (3, "Column “has_open_order”: yes or no, not “maybe”"),
        (4, "Column “name”: longer than 200 characters"),
    ]


def test_row_numbers_count_blank_lines_and_short_rows_are_padded(director):
    text = HEADER + "a@example.com,Anna\n\n,,,,,\nbad,,,,,\n"
    with pytest.raises(ImportRefused) as refused:
        run(director, text)
    assert refused.value.report.errors == [(5, "Column “email”: Enter a valid email address.")]
    assert refused.value.report.rows == 2
    assert run(director, text, skip_invalid=True).created == 1
    assert Recipient.objects.get().name == "Anna"


def test_backslashes_and_a_references_tabs_and_line_breaks_are_kept(director):
    """The customer reference goes into no header; the name does (see test_import_agreement)."""
    text = HEADER + 'a@example.com,"Anna\\B","",DE,"line\nbreak\tand tab",no\n'
    run(director, text)
    recipient = Recipient.objects.get()
    assert (recipient.name, recipient.customer_ref) == ("Anna\\B", "line\nbreak\tand tab")


def test_columns_in_any_order_and_semicolons(director):
    text = "name;EMAIL;has_open_order\nAnna;A@example.com;yes\n"
    run(director, text)
    assert Recipient.objects.filter(email="a@example.com", has_open_order=True).exists()


def test_progress_is_reported_in_phases(director):
    phases = []
    run(director, HEADER + "a@example.com,,,,,\n", progress=lambda p, n: phases.append((p, n)))
    assert ("checked", 1) in phases


def test_a_refused_file_changes_no_existing_recipient(director):
    run(director, HEADER + "a@example.com,Anna,de,DE,,yes\n")
    with pytest.raises(ImportRefused):
        run(director, HEADER + "a@example.com,Anne,fr,FR,,no\nnew@example.com,,,,,\nbad,,,,,\n")
    assert list(Recipient.objects.values_list("email", "name", "language")) == [
        ("a@example.com", "Anna", "de")
    ]


def test_the_worker_words_the_report_in_the_language_of_the_upload(client_for, director):
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from notices.models import RecipientImport
    from notices.services.import_jobs import import_job_run

    for language, wording in (("zh-hans", "而不是“maybe”"), ("en", "yes or no, not “maybe”")):
        RecipientImport.objects.all().delete()
        client = client_for(director)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        client.post(
            reverse("notices:recipient-list", kwargs={"slug": "acme"}),
            {"file": upload(HEADER + "a@example.com,,en,,,maybe\n")},
        )
        job = RecipientImport.objects.get()
        client.post(
            reverse("notices:import-start", kwargs={"slug": "acme", "pk": job.pk}),
            {"action": "start"},
        )
        with translation.override("en"):  # the worker's own language
            import_job_run(job.pk)
        job.refresh_from_db()
        assert job.language == language and job.status == "refused"
        assert wording in job.report["errors"][0][1], job.report
