"""The auditor's portal on the demo wind-down: one page linking everything an auditor reads and
downloads; lists of jobs, evidence, processor answers and archives' manifests, filtered by
status, day, jurisdiction and job, paginated; in English and Chinese; and a navigation that
shows each member only what they may open."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from destruction.models import DestructionJob, JobItem
from destruction.views.portal import PortalEvidenceListView
from windown.roles import Role

SLUG = "lumen-electronics"


def url(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"slug": SLUG, **kwargs})


@pytest.fixture
def auditor_client(demo, client):
    client.force_login(demo.member(Role.AUDITOR).user)
    return client


def test_the_landing_page_links_everything_an_auditor_reads_and_downloads(auditor_client):
    page = auditor_client.get(url("destruction:portal"))
    assert page.status_code == 200
    html = page.content.decode()
    for target in [
        url("destruction:portal-jobs"),
        url("destruction:portal-evidence"),
        url("destruction:portal-processor-answers"),
        url("destruction:portal-archives"),
        url("windown:audit-trail"),
        url("windown:audit-export", fmt="csv"),
        url("windown:audit-export", fmt="jsonl"),
        url("windown:checkpoint-list"),
        url("windown:checkpoint-archive"),
        url("compliance:schedule-export", fmt="pdf"),
    ]:
        assert f'href="{target}' in html, target
    status = DestructionJob.objects.filter(winddown__slug=SLUG).first().status
    assert f"{url('destruction:portal-jobs')}?status={status}" in html  # counts link filtered


def test_the_landing_page_links_the_certificates(auditor_client):
    certificates = url("destruction:certificate-list")
    assert (
        f'href="{certificates}"' in auditor_client.get(url("destruction:portal")).content.decode()
    )


def test_jobs_filter_by_status_job_jurisdiction_and_day(demo, auditor_client):
    jobs_url = url("destruction:portal-jobs")
    done = DestructionJob.objects.filter(winddown=demo.winddown).exclude(status="planned")
    status = done.first().status
    shown = auditor_client.get(jobs_url, {"status": status}).context["jobs"]
    assert {j.status for j in shown} == {status}
    assert len(shown) == done.filter(status=status).count()

    one = DestructionJob.objects.filter(winddown=demo.winddown).order_by("pk").first()
    by_job = auditor_client.get(jobs_url, {"job": one.reference.lower()}).context["jobs"]
    assert [j.pk for j in by_job] == [one.pk]

    item = JobItem.objects.filter(job__winddown=demo.winddown, holding__isnull=False).first()
    code = item.holding.jurisdiction
    found = auditor_client.get(jobs_url, {"jurisdiction": code}).context["jobs"]
    assert item.job_id in {j.pk for j in found}
    assert all(
        JobItem.objects.filter(job=j, holding__jurisdiction=code).exists()
        or JobItem.objects.filter(job=j, system__holdings__jurisdiction=code).exists()
        or JobItem.objects.filter(
            job=j, processor_request__system__holdings__jurisdiction=code
        ).exists()
        or JobItem.objects.filter(job=j, archive__decision__holding__jurisdiction=code).exists()
        for j in found
    )

    tomorrow = (timezone.now() + timedelta(days=1)).date().isoformat()
    assert len(auditor_client.get(jobs_url, {"since": tomorrow}).context["jobs"]) == 0
    everything = auditor_client.get(jobs_url, {"until": tomorrow}).context["jobs"]
    assert len(everything) == DestructionJob.objects.filter(winddown=demo.winddown).count()


def test_evidence_filters_by_kind_and_job_and_links_its_audited_download(demo, auditor_client):
    page = auditor_client.get(url("destruction:portal-evidence"), {"status": "photo"})
    photos = page.context["evidence"]
    assert photos and {e.kind for e in photos} == {"photo"}
    first = photos[0]
    download = url("destruction:evidence-download", pk=first.job_id, evidence_pk=first.pk)
    assert download in page.content.decode() and first.sha256 in page.content.decode()
    by_job = auditor_client.get(url("destruction:portal-evidence"), {"job": first.job.reference})
    assert {e.job_id for e in by_job.context["evidence"]} == {first.job_id}


def test_processor_answers_show_each_category_and_the_attester(auditor_client):
    page = auditor_client.get(url("destruction:portal-processor-answers"), {"status": "answered"})
    requests = page.context["requests"]
    assert requests and {r.status for r in requests} == {"answered"}
    html = page.content.decode()
    assert "Jordan Lee" in html and "Deleted" in html


def test_archives_list_their_manifest(demo, auditor_client):
    page = auditor_client.get(url("destruction:portal-archives"))
    archive = page.context["archives"][0]
    assert url("destruction:archive-manifest", pk=archive.pk) in page.content.decode()


def test_an_invalid_filter_shows_its_error_and_filters_nothing(demo, auditor_client):
    page = auditor_client.get(url("destruction:portal-jobs"), {"since": "not a day"})
    assert page.status_code == 200 and page.context["filter_form"].errors["since"]
    assert (
        len(page.context["jobs"]) == DestructionJob.objects.filter(winddown=demo.winddown).count()
    )


def test_pages_keep_the_filters(auditor_client, monkeypatch):
    monkeypatch.setattr(PortalEvidenceListView, "paginate_by", 1)
    first = auditor_client.get(url("destruction:portal-evidence"), {"status": "photo"})
    assert first.context["page_obj"].paginator.num_pages >= 2
    assert "?status=photo&amp;page=2" in first.content.decode()
    second = auditor_client.get(url("destruction:portal-evidence"), {"status": "photo", "page": 2})
    assert [e.kind for e in second.context["evidence"]] == ["photo"]


def test_the_portal_speaks_chinese(auditor_client):
    page = auditor_client.get(url("destruction:portal"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert "审计师" in html and "归档清单" in html and "审计日志" in html
    jobs = auditor_client.get(url("destruction:portal-jobs"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "客户所在司法管辖区" in jobs.content.decode()


@pytest.mark.parametrize(
    ("role", "department", "shown", "hidden"),
    [
        (Role.AUDITOR, "", ["Audit trail", "Auditor", "Notices", "Destruction"], []),
        (Role.DIRECTOR, "", ["Audit trail", "Auditor", "Notices", "Destruction"], []),
        (Role.IT, "", ["Destruction"], ["Audit trail", "Auditor", "Notices"]),
        (Role.SUPPORT, "", ["Notices"], ["Audit trail", "Auditor", "Destruction"]),
        (
            Role.CUSTODIAN,
            "Sales",
            ["Inventory"],
            ["Audit trail", "Auditor", "Notices", "Destruction"],
        ),
    ],
)
def test_the_navigation_shows_only_what_the_member_may_open(
    demo, client, role, department, shown, hidden
):
    client.force_login(demo.member(role, department).user)
    html = client.get(url("dashboard:home")).content.decode()
    nav = html[html.index('class="phases"') : html.index("</nav>", html.index('class="phases"'))]
    for label in shown:
        assert f"{label}</a>" in nav, (role, label)
    for label in hidden:
        assert f"{label}</a>" not in nav, (role, label)


def test_the_demo_signs_a_checkpoint_of_its_whole_audit_log(demo):
    from windown.checkpoints.notes import validly_signed
    from windown.selectors import audit_events_of, checkpoints_of

    newest = audit_events_of(demo.winddown).first()
    checkpoint = checkpoints_of(demo.winddown).first()
    assert newest.action == "audit.checkpoint_signed"
    assert checkpoint.tree_size == newest.seq - 1  # every event before its own record
    assert validly_signed(checkpoint) is not None
