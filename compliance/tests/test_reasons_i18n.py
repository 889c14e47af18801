"""The engine's texts are stored as reasons and read in the reader's language; legal's pages
count with plurals and thousands separators; the override form keeps what legal typed."""

import datetime as dt
import re
import subprocess

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from compliance.models import Decision
from compliance.services import decision_reject, decisions_evaluate
from compliance.services import schedule as schedule_service
from compliance.tests.factories import DataSystemFactory, make_holding


@pytest.fixture
def archived(winddown):
    """A CN invoice holding: archived 30 years under the Chinese voucher rules."""
    make_holding(winddown, jurisdiction="CN", records_total=3231228)
    decisions_evaluate(winddown=winddown)
    return Decision.objects.get()


def page(client, url, language="en"):
    client.cookies["django_language"] = language
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_it_stores_the_basis_and_rule_reasons_as_codes_with_parameters(archived):
    assert {part["code"] for part in archived.basis_reasons} >= {"basis_archive"}
    archive = archived.basis_reasons[0]["params"]
    assert archive["until"] == {"date": "2054-12-31"}
    assert archive["period"] == {"code": "period_years", "params": {"n": 30}}
    assert all(isinstance(o["reason"], list) for o in archived.considered)
    assert "Archive until" not in str(archived.basis_reasons)  # no English sentence stored


def test_it_reads_the_basis_in_english_as_before(archived):
    with translation.override("en"):
        assert archived.basis.startswith(
            "Archive until 2054-12-31 under CN-KJDA-vouchers (30 years)"
        )


def test_it_reads_the_basis_and_rule_reasons_in_chinese(client_for, legal, archived):
    with translation.override("zh-hans"):
        basis = archived.basis
    assert "2054年12月31日" in basis and "30 年" in basis and "Archive until" not in basis
    html = page(client_for(legal), archived.get_absolute_url(), "zh-hans")
    assert "最短保留期" in html and "retention_minimum" not in html  # the effect by its label
    assert "binds subjects in" not in html and "newest record" not in html
    assert "3,231,228 条记录" in html


def test_the_rules_read_in_english_on_the_page_keep_their_words(client_for, legal, archived):
    html = page(client_for(legal), archived.get_absolute_url())
    assert "Retention minimum" in html and "retention_minimum" not in html
    assert "end of calendar year of newest record" in html
    assert "3,231,228 records" in html


def test_a_decision_back_in_review_says_why_in_the_readers_language(legal, archived):
    decision_reject(by=legal, decision=archived, reason="Check the HK entity first.")
    archived.refresh_from_db()
    assert archived.review_reasons[0]["code"] == "rejected_by"
    with translation.override("en"):
        assert archived.review_note.startswith(f"Rejected by {legal.user.email}: Check the HK")
    with translation.override("zh-hans"):
        assert archived.review_note.startswith(f"{legal.user.email} 驳回：Check")  # noqa: RUF001


def test_the_back_in_review_banner_is_translated(legal, winddown, archived):
    from compliance.services import decision_approve

    decision_approve(by=legal, decision=archived)
    holding = archived.holding
    holding.newest_record = dt.date(2026, 5, 1)  # the duty now ends later
    holding.save()
    decisions_evaluate(winddown=winddown, reason="evaluation requested in the UI")
    archived.refresh_from_db()
    assert archived.status == "proposed"
    with translation.override("en"):
        assert archived.review_note.startswith(
            "Back in review: the proposal changed (Archive until 2054-12-31 → Archive until "
            "2056-12-31) after evaluation requested in the UI; the previous review (Approved by "
            "user #"
        )
    with translation.override("zh-hans"):
        note = archived.review_note
    assert note.startswith("重新审核") and "2056年12月31日" in note and "界面" in note


def test_the_review_queue_groups_thousands_and_translates_category_labels(
    client_for, legal, archived
):
    category = archived.holding.category
    category.label_en, category.label_zh = "Invoices", "发票"
    category.save()
    html = page(client_for(legal), reverse("compliance:review", kwargs={"slug": "acme"}), "zh-hans")
    assert "3,231,228" in html and "发票" in html
    english = page(client_for(legal), reverse("compliance:review", kwargs={"slug": "acme"}))
    assert "3,231,228" in english and "Invoices" in english and "Approve 1<" in english


def test_approving_one_decision_in_bulk_says_one_decision(client_for, legal, archived):
    from compliance.selectors import review_groups

    group = review_groups(archived.winddown)[0]
    client = client_for(legal)
    response = client.post(
        reverse("compliance:review-approve-group", kwargs={"slug": "acme"}),
        {
            "category_id": group.category_id,
            "jurisdiction": group.jurisdiction,
            "disposition": group.disposition,
            "signature": group.signature,
        },
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["1 decision approved."]


def test_the_hold_form_offers_categories_by_their_label(client_for, legal, archived):
    category = archived.holding.category
    category.label_en, category.label_zh = "Invoices", "发票"
    category.save()
    html = page(
        client_for(legal), reverse("compliance:hold-list", kwargs={"slug": "acme"}), "zh-hans"
    )
    assert re.search(r"<option value=\"\d+\">发票</option>", html)


def override_url(decision):
    return reverse(
        "compliance:decision-action",
        kwargs={"slug": "acme", "pk": decision.pk, "action": "override"},
    )


def test_an_override_refused_shows_the_error_by_its_field_and_keeps_the_reason(
    client_for, legal, archived
):
    client = client_for(legal)
    client.cookies["django_language"] = "zh-hans"
    reason = "香港实体开具的发票，不受中国凭证义务约束。"  # noqa: RUF001
    response = client.post(
        override_url(archived),
        {"disposition": "archive", "delete_by": "2030-01-01", "reason": reason},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert reason in html  # what legal typed is still there
    # the error sits under its field, in Chinese, not as "retain_until: …" in a banner
    assert re.search(r'id="id_retain_until"[^>]*>\s*<small class="field-error">归档须注明', html)
    assert "retain_until:" not in html
    archived.refresh_from_db()
    assert archived.status == "proposed"


def test_choosing_delete_ignores_an_archive_date_left_in_the_form(client_for, legal, archived):
    response = client_for(legal).post(
        override_url(archived),
        {
            "disposition": "delete",
            "retain_until": "2054-12-31",  # left over from the archive proposal
            "delete_by": "2027-03-31",
            "reason": "Invoiced from Hong Kong.",
        },
    )
    assert response.status_code == 302
    archived.refresh_from_db()
    assert archived.status == "pending_second_approval"
    assert (archived.override_disposition, archived.override_retain_until) == ("delete", None)


def test_the_override_form_fills_archive_dates_only_for_an_archive(client_for, legal, winddown):
    make_holding(winddown, key="commerce.marketing_profile", jurisdiction="DE")
    decisions_evaluate(winddown=winddown)
    deleted = Decision.objects.get(disposition="delete")
    html = page(client_for(legal), deleted.get_absolute_url())
    field = re.search(r"<input[^>]*id=\"id_retain_until\"[^>]*>", html).group(0)
    assert "value=" not in field and "data-archive-only" in field
    assert "compliance/override.js" in html and "<script>" not in html


def test_the_schedule_pdf_labels_statuses_in_both_languages(legal, winddown, tmp_path):
    system = DataSystemFactory(winddown=winddown, name="Shop")
    make_holding(winddown, system=system, jurisdiction="CN", records_total=1200)
    decisions_evaluate(winddown=winddown)
    with translation.override("zh-hans"):
        html = schedule_service.schedule_html(
            winddown=winddown, decisions=Decision.objects.all(), ruleset_version="2026.12"
        )
        pdf = schedule_service.render_pdf(
            winddown=winddown, decisions=Decision.objects.all(), ruleset_version="2026.12"
        )
    assert "Proposed 待审核" in html and "1,200" in html
    assert "1 decision is not yet approved" in html
    target = tmp_path / "schedule.pdf"
    target.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "待审核" in text and "proposed" not in text
