"""Hostile uploads: text in any encoding is read as written (or the user is asked), XLSX
decompression bombs are refused before parsing with the web process's memory bounded, and
every upload has a size limit stated in MiB."""

import io
import threading
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inventory.models import DataMapImport, DataSystem
from inventory.services.datamap_jobs import datamap_job_run
from inventory.tests.sheets import csv_bytes, row
from notices.models import Recipient, RecipientImport
from notices.services.import_jobs import import_job_run

CHINESE = "深圳客户数据库"
TRADITIONAL = "客戶資料庫銷售訂單"


def datamap_preview(client, data: bytes, name="map.csv", **fields):
    """Upload a data map; if it is stored, let the worker's task body check it; the page."""
    url = reverse("inventory:datamap-import", kwargs={"slug": "acme"})
    response = client.post(url, {"file": SimpleUploadedFile(name, data), **fields})
    if response.status_code != 302:
        return response  # refused on the form, before anything was stored
    work()
    return client.get(response["Location"])


def work() -> None:
    """What the worker does with the queued data-map jobs."""
    queued = DataMapImport.objects.filter(status__in=["pending", "queued"])
    for pk in queued.values_list("pk", flat=True):
        datamap_job_run(pk)


# ------------------------------------------------------------------------------- encodings
def test_a_gbk_data_map_is_previewed_decoded_as_gb18030_before_anything_is_stored(
    client_for, director
):
    data = csv_bytes([row(system=CHINESE, notes="联系方式和订单历史")], encoding="gbk")
    page = datamap_preview(client_for(director), data).content.decode()
    assert "read as GB18030 (recognised)" in page
    assert f"<td>{CHINESE}</td>" in page  # the decoded text, shown in the preview
    assert not DataSystem.objects.exists()


def test_a_big5_data_map_is_read_as_big5(client_for, director):
    data = csv_bytes([row(system=TRADITIONAL, notes="聯絡方式與訂單歷史")], encoding="big5")
    page = datamap_preview(client_for(director), data).content.decode()
    assert "read as Big5 (recognised)" in page and f"<td>{TRADITIONAL}</td>" in page


def test_the_user_chooses_the_encoding_and_the_import_uses_it(client_for, director):
    client = client_for(director)
    data = csv_bytes([row(system=CHINESE)], encoding="gbk")
    page = datamap_preview(client, data, encoding="latin-1").content.decode()
    assert "read as ISO-8859-1 (chosen)" in page and CHINESE not in page  # the user sees mojibake
    page = datamap_preview(client, data, encoding="gb18030").content.decode()
    assert "read as GB18030 (chosen)" in page and CHINESE in page
    job = DataMapImport.objects.latest("created_at")
    client.post(reverse("inventory:datamap-import-apply", kwargs={"slug": "acme", "pk": job.pk}))
    work()
    assert DataSystem.objects.get().name == CHINESE


def test_the_command_and_the_api_name_the_encoding(director, api_for, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "map.csv"
    path.write_bytes(csv_bytes([row(system=CHINESE)], encoding="gbk"))
    out = io.StringIO()
    call_command("import_datamap", "acme", str(path), "--dry-run", stdout=out)
    assert "read as GB18030" in out.getvalue()
    api = api_for(director)
    response = api.post(
        "/api/v1/winddowns/acme/datamap/import/",
        {"file": SimpleUploadedFile("map.csv", path.read_bytes()), "dry_run": "true"},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    work()
    report = api.get(f"/api/v1/winddowns/acme/datamap/imports/{response.json()['id']}/").json()
    report = report["report"]
    assert report["encoding"] == "gb18030" and report["preview"][1][0] == CHINESE


def test_a_gbk_recipients_file_is_previewed_then_imported_as_gb18030(client_for, director):
    client = client_for(director)
    text = "email,name,language\nli@example.cn,李娜,zh-Hans\nwang@example.cn,王芳,zh-Hans\n"
    client.post(
        reverse("notices:recipient-list", kwargs={"slug": "acme"}),
        {"file": SimpleUploadedFile("customers.csv", text.encode("gbk"))},
    )
    job = RecipientImport.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Read as GB18030 (recognised)" in page and "<td>李娜</td>" in page
    assert not Recipient.objects.exists()
    client.post(reverse("notices:import-start", kwargs={"slug": "acme", "pk": job.pk}), {})
    import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.report["encoding"] == "gb18030"
    assert set(Recipient.objects.values_list("name", flat=True)) == {"李娜", "王芳"}


def test_a_recipients_file_of_unclear_encoding_fails_asking_for_the_encoding(api_for, director):
    data = "email,name\nx@example.com,Zoë\n".encode("cp1252")  # one letter: no evidence
    response = api_for(director).post(
        "/api/v1/winddowns/acme/notices/recipients/import/",
        {"file": SimpleUploadedFile("c.csv", data)},
        format="multipart",
    )
    job = RecipientImport.objects.get(pk=response.json()["id"])
    import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "Choose its encoding" in job.report["errors"][0][1]
    response = api_for(director).post(
        "/api/v1/winddowns/acme/notices/recipients/import/",
        {"file": SimpleUploadedFile("c.csv", data), "encoding": "cp1252"},
        format="multipart",
    )
    import_job_run(response.json()["id"])
    assert Recipient.objects.get().name == "Zoë"


# ------------------------------------------------------------------ decompression bombs
MINIMAL_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="datamap" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def xlsx_bomb(*, rows: int, cell: str = "x" * 200) -> bytes:
    """A workbook whose one sheet has `rows` rows of 17 inline-string cells (it compresses
    about 1000:1: 100,000 rows are ~350 MB of XML in well under 1 MB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in MINIMAL_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            cells = "".join(f'<c t="inlineStr"><is><t>{cell}</t></is></c>' for _ in range(17))
            line = f"<row>{cells}</row>".encode()
            batch = line * 1000
            for _ in range(rows // 1000):
                sheet.write(batch)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def lying_about_its_size(data: bytes, member: str, declared: int) -> bytes:
    """The same zip, with `member`'s uncompressed size understated in both its headers."""
    patched = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    patched[info.header_offset + 22 : info.header_offset + 26] = declared.to_bytes(4, "little")
    name = member.encode()
    at = patched.find(b"PK\x01\x02")
    while at != -1:
        if patched[at + 46 : at + 46 + len(name)] == name:
            patched[at + 24 : at + 28] = declared.to_bytes(4, "little")
        at = patched.find(b"PK\x01\x02", at + 4)
    return bytes(patched)


class PeakRSS:
    """Sample this process's resident memory every 5 ms while the block runs."""

    def __enter__(self):
        self.before = self.peak = self._rss()
        self._running = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._running = False
        self._thread.join()
        self.after = self._rss()

    def _sample(self):
        while self._running:
            self.peak = max(self.peak, self._rss())
            time.sleep(0.005)

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return xlsx_bomb(rows=100_000)  # ~350 MB of XML


def test_an_xlsx_bomb_is_refused_before_parsing_with_the_web_process_memory_bounded(
    client_for, director, bomb
):
    assert len(bomb) < 2 * 1024 * 1024
    expanded = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist())
    assert expanded > 300 * 1024 * 1024
    client = client_for(director)
    with PeakRSS() as memory:
        page = datamap_preview(client, bomb, "bomb.xlsx").content.decode()
    assert "uncompressed are refused" in page and "MiB" in page
    grew = (memory.peak - memory.before) / 2**20
    print(f"web process RSS before {memory.before / 2**20:.0f} MiB, peak +{grew:.1f} MiB")
    assert grew < 40, f"the web process grew by {grew:.0f} MiB"
    assert not DataSystem.objects.exists()


def test_a_bomb_that_understates_its_size_is_refused_as_unreadable(client_for, director, bomb):
    liar = lying_about_its_size(bomb, "xl/worksheets/sheet1.xml", 50_000)
    with PeakRSS() as memory:
        page = datamap_preview(client_for(director), liar, "bomb.xlsx").content.decode()
    assert "not a readable XLSX workbook" in page
    assert (memory.peak - memory.before) / 2**20 < 40


def test_a_workbook_with_too_many_rows_is_refused_before_parsing(client_for, director, settings):
    settings.WINDOWN_IMPORT_MAX_ROWS = 1500
    page = datamap_preview(client_for(director), xlsx_bomb(rows=2000, cell="x"), "m.xlsx")
    assert "more than 1,500 rows" in page.content.decode()


def test_a_recipients_bomb_is_refused_by_the_worker_and_nothing_imported(
    api_for, director, bomb, settings
):
    settings.NOTICES_IMPORT_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
    response = api_for(director).post(
        "/api/v1/winddowns/acme/notices/recipients/import/",
        {"file": SimpleUploadedFile("bomb.xlsx", bomb)},
        format="multipart",
    )
    import_job_run(response.json()["id"])
    job = RecipientImport.objects.get()
    assert job.status == "failed" and "uncompressed are refused" in job.report["errors"][0][1]
    assert not Recipient.objects.exists()


def test_an_archive_upload_bomb_is_refused(settings, bomb):
    from django.core.exceptions import ValidationError

    from destruction.services.archive_crypto.reading import open_export

    settings.DESTRUCTION_ARCHIVE_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
    with pytest.raises(ValidationError, match="uncompressed are refused"):
        open_export(io.BytesIO(bomb), "export.xlsx")


# --------------------------------------------------------------------------- size limits
def test_the_recipient_upload_has_a_size_limit_in_mib(client_for, api_for, director, settings):
    settings.NOTICES_IMPORT_MAX_BYTES = 1024 * 1024
    data = b"email\n" + b"a@example.com\n" * 120_000  # 1.6 MiB
    page = client_for(director).post(
        reverse("notices:recipient-list", kwargs={"slug": "acme"}),
        {"file": SimpleUploadedFile("big.csv", data)},
    )
    assert "The file is 1.6 MiB; files over 1 MiB are refused." in page.content.decode()
    response = api_for(director).post(
        "/api/v1/winddowns/acme/notices/recipients/import/",
        {"file": SimpleUploadedFile("big.csv", data)},
        format="multipart",
    )
    assert response.status_code == 400 and "1 MiB" in str(response.json())
    assert not RecipientImport.objects.exists()


def test_the_data_map_limit_is_stated_in_mib(client_for, director, settings):
    settings.WINDOWN_IMPORT_MAX_BYTES = 1024 * 1024
    page = datamap_preview(client_for(director), b"x" * (3 * 1024 * 1024 // 2)).content
    assert "The file is 1.5 MiB; files over 1 MiB are refused." in page.decode()
