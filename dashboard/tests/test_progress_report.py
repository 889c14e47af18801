"""The progress report PDF: the dashboard in the reader's language, with the audit log's proof."""

import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse

from windown.checkpoints.services import checkpoint_sign
from windown.models import AuditEvent, Membership, WindDown
from windown.roles import Role

SLUG = "lumen-electronics"


@pytest.fixture
def director(db, signing_ca):
    call_command("load_demo", force=True)
    return Membership.objects.get(winddown__slug=SLUG, role=Role.DIRECTOR)


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _report(client, director, lang):
    client.force_login(director.user)
    url = reverse("dashboard:progress-report", kwargs={"slug": SLUG})
    return client.get(url, {"lang": lang})


def test_the_report_in_chinese_prints_the_dashboard_and_the_latest_checkpoint(
    client, director, tmp_path
):
    checkpoint = checkpoint_sign(winddown=WindDown.objects.get(slug=SLUG))
    response = _report(client, director, "zh-hans")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = _text(response.content, tmp_path)
    assert "停业清理进度报告" in text and "阻碍公司完成清理的事项" in text and "时间线" in text
    assert "深圳流明电子有限公司" in text
    assert f"{checkpoint.tree_size:,}" in text or str(checkpoint.tree_size) in text
    assert checkpoint.signed_text.splitlines()[0] in text  # the log's origin line


def test_the_report_in_english_has_no_chinese_ui_text_and_is_audited(client, director, tmp_path):
    before = AuditEvent.objects.filter(action="dashboard.progress_report_downloaded").count()
    response = _report(client, director, "en")
    text = _text(response.content, tmp_path)
    assert "Wind-down progress report" in text and "What stops the company from finishing" in text
    assert "阻碍" not in text
    events = AuditEvent.objects.filter(action="dashboard.progress_report_downloaded")
    assert events.count() == before + 1
    assert events.last().payload == {"language": "en"}


def test_an_unknown_language_is_a_clear_400(client, director):
    response = _report(client, director, "fr")
    assert response.status_code == 400 and b"zh-hans" in response.content
