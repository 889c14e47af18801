"""The UI speaks English and Simplified Chinese, and the Chinese catalogues are complete."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


def catalogues(root: Path) -> list[Path]:
    return sorted(
        p for p in root.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts
    )


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """A copy of the source tree whose catalogues were re-extracted from the code."""
    copy = tmp_path_factory.mktemp("src") / "windown"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "*.sqlite3", "__pycache__"),
    )
    env = {**os.environ, "DEBUG": "true"}
    subprocess.run(
        [sys.executable, "manage.py", "extract_messages"],
        cwd=copy,
        env=env,
        check=True,
        timeout=300,
    )
    return copy


def test_every_ui_string_in_the_code_is_in_a_catalogue_and_translated(extracted):
    problems = []
    for po in catalogues(extracted):
        for flag in ("--untranslated", "--only-fuzzy"):
            result = subprocess.run(
                ["msgattrib", flag, "--no-obsolete", str(po)], capture_output=True, text=True
            )
            if result.stdout.strip():
                problems.append(f"{po.relative_to(extracted)} {flag}:\n{result.stdout}")
    assert not problems, "\n".join(problems)


def test_the_catalogues_compile_without_errors():
    for po in catalogues(ROOT):
        result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True)
        assert result.returncode == 0, result.stderr.decode()


def test_pages_render_in_chinese_when_the_user_chooses_it(client_for, director):
    client = client_for(director)
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/w/"})
    assert response.status_code == 302
    page = client.get(reverse("windown:team", kwargs={"slug": "acme"})).content.decode()
    assert "团队" in page and "数据盘点" in page and "邀请成员" in page
    assert 'lang="zh-hans"' in page


def test_pages_render_in_english_by_default(client_for, director):
    page = (
        client_for(director).get(reverse("windown:team", kwargs={"slug": "acme"})).content.decode()
    )
    assert "Invite a person" in page and "团队" not in page


def test_record_counts_are_grouped_by_thousands_in_chinese_too(db):
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation

    with translation.override("zh-hans"):
        assert intcomma(3231228) == "3,231,228"
