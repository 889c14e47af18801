# ruff: noqa: RUF001 (Chinese text is written with full-width punctuation)
"""The rulesets' texts (summaries, notes, instruments, laws' labels and whys) read in Chinese on
zh-Hans pages: the generated module lists them for makemessages, the catalogue translates them."""

import gettext
import subprocess
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from compliance.engine import load_ruleset
from compliance.management.commands import ruleset_texts
from compliance.models import Decision
from compliance.rulesets.texts import INSTRUMENTS, TEXTS
from compliance.services import decisions_evaluate, ruleset_import
from compliance.services.schedule import schedule_html
from compliance.tests.factories import make_holding

SHIPPED = sorted(ruleset_texts.RULESETS.glob("*.yaml"))
CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

VOUCHERS_EN = "Original vouchers (incl. invoices or orders used as such) and bookkeeping vouchers"
VOUCHERS_ZH = "原始凭证（包括作为原始凭证使用的发票或订单）和记账凭证至少保存 30 年。"
OSS_NOTE_ZH = "欧盟一站式服务仅适用于跨境远程销售"
GDPR_WHY_EN = "GDPR Art. 17(3)(b) and 6(1)(c)/6(3) accept only Union or Member State law"
GDPR_WHY_ZH = "GDPR 第17条第3款(b)项及第6条第1款(c)项/第6条第3款仅承认欧盟或成员国法律"
OSS_CITATION_ZH = "《增值税指令》2006/112/EC（一站式服务 OSS）, Art. 369k(2)"


def page(client, url, language):
    client.cookies["django_language"] = language
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_every_text_of_the_shipped_rulesets_is_in_the_generated_module():
    for path in SHIPPED:
        instruments, texts = ruleset_texts.ruleset_texts(load_ruleset(path))
        assert set(instruments) - set(INSTRUMENTS) == set(), f"run manage.py ruleset_texts ({path})"
        assert set(texts) - set(TEXTS) == set(), f"run manage.py ruleset_texts ({path})"
    call_command("ruleset_texts", "--check")  # nor any text the rulesets no longer have


def test_the_check_fails_once_a_rulesets_text_changes(tmp_path, monkeypatch):
    data = yaml.safe_load(SHIPPED[0].read_text(encoding="utf-8"))
    data["rules"][0]["summary"] = "Delete passwords at once."
    (tmp_path / SHIPPED[0].name).write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setattr(ruleset_texts, "RULESETS", tmp_path)
    with pytest.raises(CommandError, match="out of date"):
        call_command("ruleset_texts", "--check")


def test_every_ruleset_text_has_a_chinese_translation_that_is_not_fuzzy(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", compiled, CATALOGUE], check=True)  # leaves out fuzzy entries
    with open(compiled, "rb") as stream:
        catalogue = gettext.GNUTranslations(stream)
    untranslated = [t for t in INSTRUMENTS + TEXTS if catalogue.gettext(t) in ("", t)]
    assert untranslated == []


@pytest.fixture
def shipped(winddown):
    return ruleset_import(winddown=winddown)[0]


def test_the_ruleset_page_in_chinese_shows_summaries_notes_and_citations_in_chinese(
    client_for, legal, shipped
):
    html = page(client_for(legal), _ruleset_url(shipped), "zh-hans")
    assert VOUCHERS_ZH in html and VOUCHERS_EN not in html
    assert OSS_NOTE_ZH in html and "The Union OSS covers cross-border" not in html
    assert OSS_CITATION_ZH in html and "VAT Directive 2006/112/EC (OSS)" not in html
    assert "Handelsgesetzbuch（德国《商法典》）, § 257(1) Nr. 1, (4), (5)" in html
    # where the version came from, stored in English, is worded in the reader's language
    assert "windown 随附：2026.12.yaml" in html and "shipped with windown" not in html


def test_the_ruleset_page_in_english_shows_the_rulesets_own_words(client_for, legal, shipped):
    html = page(client_for(legal), _ruleset_url(shipped), "en")
    assert VOUCHERS_EN in html and VOUCHERS_ZH not in html
    assert "VAT Directive 2006/112/EC (OSS), Art. 369k(2)" in html
    assert "shipped with windown: 2026.12.yaml" in html
    assert "《" not in html


@pytest.fixture
def conflict(winddown):
    """A DE subject's invoices at a CN company: 30 years of Chinese law, 10 of EU law."""
    make_holding(winddown, jurisdiction="DE")
    decisions_evaluate(winddown=winddown)
    decision = Decision.objects.get()
    assert decision.conflict
    return decision


def test_the_decision_page_in_chinese_says_why_and_cites_in_chinese(client_for, legal, conflict):
    html = page(client_for(legal), conflict.get_absolute_url(), "zh-hans")
    assert GDPR_WHY_ZH in html and GDPR_WHY_EN not in html
    assert "非 欧盟/欧洲经济区 法律" in html and "EU/EEA" not in html
    assert OSS_CITATION_ZH in html and "VAT Directive" not in html
    assert "《会计档案管理办法》（财政部、国家档案局令第79号，2015年）, Art. 14-15" in html


def test_the_decision_page_in_english_is_as_stored(client_for, legal, conflict):
    html = page(client_for(legal), conflict.get_absolute_url(), "en")
    assert GDPR_WHY_EN in html and "non-EU/EEA law" in html
    assert "VAT Directive 2006/112/EC (OSS), Art. 369k(2)" in html
    assert "《" not in html


def test_the_schedule_pdf_cites_each_law_in_english_and_in_chinese(winddown, conflict):
    html = schedule_html(
        winddown=winddown, decisions=Decision.objects.all(), ruleset_version="2026.12"
    )
    assert "VAT Directive 2006/112/EC (OSS), Art. 369k(2)" in html and OSS_CITATION_ZH in html


def test_stored_reasons_and_citations_stay_in_english(conflict):
    assert GDPR_WHY_EN in str(conflict.conflict_reasons)
    assert "VAT Directive 2006/112/EC (OSS), Art. 369k(2)" in conflict.citations
    with translation.override("zh-hans"):
        assert GDPR_WHY_ZH in conflict.conflict_reason  # worded when read


def _ruleset_url(ruleset):
    return reverse(
        "compliance:ruleset-detail", kwargs={"slug": ruleset.winddown.slug, "pk": ruleset.pk}
    )
