"""Importing through the page: preview first, then "Import now"; problems listed by row."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inventory.models import Holding
from inventory.tests.sheets import csv_bytes, row, sales_rows, xlsx_bytes

IMPORT = reverse("inventory:datamap-import", kwargs={"slug": "acme"})


def upload(client, data, name="map.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data), "action": "preview"})


def test_a_preview_shows_what_would_change_then_import_now_writes_it(client_for, director):
    client = client_for(director)
    preview = upload(client, xlsx_bytes(sales_rows(12)), "map.xlsx")
    assert preview.status_code == 200
    report = preview.context["report"]
    assert (report.holdings.created, report.dry_run) == (12, True)
    assert not Holding.objects.exists()
    staged = preview.context["staged"]
    assert staged == report.sha256
    done = client.post(IMPORT, {"staged": staged, "filename": "map.xlsx"})
    assert done.status_code == 302
    assert Holding.objects.count() == 12
    again = upload(client, xlsx_bytes(sales_rows(12)), "map.xlsx")
    assert again.context["report"].holdings.unchanged == 12
    assert again.context["staged"] == ""  # nothing to import
    assert "nothing to import" in again.content.decode()


def test_problems_are_listed_with_row_column_and_message(client_for, director):
    response = upload(
        client_for(director),
        csv_bytes([row(), row(jurisdiction="FR", category="user.contact.mail")]),
    )
    content = response.content.decode()
    assert "Nothing was imported" in content
    assert "<td>3</td><td><code>category</code></td>" in content
    assert "user.contact.email" in content
    assert not Holding.objects.exists()


def test_a_file_over_the_limit_is_refused_on_the_form(client_for, director, settings):
    settings.WINDOWN_IMPORT_MAX_BYTES = 100
    response = upload(client_for(director), csv_bytes(sales_rows(5)))
    assert response.status_code == 200
    assert "are refused" in str(response.context["form"].errors["file"])
    assert not Holding.objects.exists()


def test_an_expired_preview_asks_for_the_file_again(client_for, director):
    response = client_for(director).post(IMPORT, {"staged": "a" * 64, "filename": "x.csv"})
    assert response.status_code == 302 and not Holding.objects.exists()


def test_a_preview_file_nobody_imported_is_deleted_after_a_day(client_for, director, settings):
    import os
    import time
    from pathlib import Path

    client = client_for(director)
    first = upload(client, csv_bytes([row()])).context["staged"]
    folder = Path(settings.MEDIA_ROOT) / "inventory-imports" / str(director.winddown.pk)
    old = folder / f"{first}.csv"
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))
    second = upload(client, csv_bytes([row(jurisdiction="FR")])).context["staged"]
    assert not old.exists()
    assert (folder / f"{second}.csv").exists()


def test_a_change_to_a_system_alone_can_be_previewed_and_imported(client_for, director):
    from inventory.services.datamap import datamap_import

    client = client_for(director)
    datamap_import(by=director, data=csv_bytes([row()]), filename="a.csv")
    preview = upload(client, csv_bytes([row(provider="AWS")]))
    report = preview.context["report"]
    assert report.holdings.unchanged == 1 and report.systems.updated == 1
    assert [(c.system, c.changed) for c in report.system_changes] == [("Order DB", ["provider"])]
    client.post(IMPORT, {"staged": preview.context["staged"], "filename": "map.csv"})
    assert Holding.objects.get().system.hosting_provider == "AWS"
