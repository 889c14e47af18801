"""Every download windown serves is recorded in the audit trail: who took which copy, of what.

One test per kind of download, each made by the demo's auditor (the reader they are for) on
the demo wind-down; each must add exactly one `…_downloaded` event naming the auditor.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from compliance.models import ScheduleExport
from destruction.models import Archive, Evidence, ProcessorRequest, VendorCertification
from notices.models import Campaign
from windown.downloads import is_download
from windown.models import AuditEvent
from windown.roles import Role

SLUG = "lumen-electronics"


def _evidence(demo):
    evidence = Evidence.objects.filter(job__winddown=demo.winddown).first()
    return reverse(
        "destruction:evidence-download",
        kwargs={"slug": SLUG, "pk": evidence.job_id, "evidence_pk": evidence.pk},
    )


def _vendor_certification(demo):
    certification = VendorCertification.objects.filter(
        vendor__winddown=demo.winddown, copy__gt=""
    ).first()
    return reverse(
        "destruction:certification-download", kwargs={"slug": SLUG, "pk": certification.pk}
    )


def _processor_certificate(demo):
    request = ProcessorRequest.objects.filter(winddown=demo.winddown, status="answered").first()
    path = default_storage.save(
        "destruction/processor-certificates/t.pdf", ContentFile(b"%PDF-1.7")
    )
    ProcessorRequest.objects.filter(pk=request.pk).update(
        certificate_name="deletion-certificate.pdf",
        certificate_path=path,
        certificate_size=8,
        certificate_sha256="0" * 64,
        certificate_content_type="application/pdf",
    )
    return reverse("destruction:processor-certificate", kwargs={"slug": SLUG, "pk": request.pk})


def _archive_manifest(demo):
    archive = Archive.objects.filter(winddown=demo.winddown).first()
    return reverse("destruction:archive-manifest", kwargs={"slug": SLUG, "pk": archive.pk})


def _checkpoint(demo):
    size = demo.winddown.audit_checkpoints.order_by("-tree_size").first().tree_size
    return reverse("windown:checkpoint-download", kwargs={"slug": SLUG, "tree_size": size})


def _checkpoint_api(demo):
    size = demo.winddown.audit_checkpoints.order_by("-tree_size").first().tree_size
    return f"/api/v1/winddowns/{SLUG}/audit-checkpoints/{size}/text/"


def _schedule_worker_pdf(demo):
    export = ScheduleExport.objects.create(
        winddown=demo.winddown,
        requested_by=demo.member(Role.AUDITOR),
        decisions=3,
        status=ScheduleExport.Status.DONE,
        progress=100,
        file=default_storage.save("schedules/schedule.pdf", ContentFile(b"%PDF-1.7 test")),
    )
    return export.get_absolute_url() + "?download=1"


def _campaign_failures(demo):
    campaign = Campaign.objects.filter(winddown=demo.winddown, status="done").first()
    return reverse("notices:failure-export", kwargs={"slug": SLUG, "pk": campaign.pk})


DOWNLOADS = {
    # kind: (the URL, built on the demo; the audit action it records)
    "evidence": (_evidence, "destruction.evidence_downloaded"),
    "vendor certification": (_vendor_certification, "destruction.vendor_certification_downloaded"),
    "processor certificate": (
        _processor_certificate,
        "destruction.processor_certificate_downloaded",
    ),
    "archive manifest": (_archive_manifest, "destruction.archive_manifest_downloaded"),
    "checkpoint": (_checkpoint, "audit.checkpoint_downloaded"),
    "all checkpoints (zip)": (
        lambda d: reverse("windown:checkpoint-archive", kwargs={"slug": SLUG}),
        "audit.checkpoint_downloaded",
    ),
    "checkpoint (API)": (_checkpoint_api, "audit.checkpoint_downloaded"),
    "all checkpoints (API zip)": (
        lambda d: f"/api/v1/winddowns/{SLUG}/audit-checkpoints/archive/",
        "audit.checkpoint_downloaded",
    ),
    "audit trail CSV": (
        lambda d: reverse("windown:audit-export", kwargs={"slug": SLUG, "fmt": "csv"}),
        "audit.trail_export_downloaded",
    ),
    "audit trail JSON lines": (
        lambda d: reverse("windown:audit-export", kwargs={"slug": SLUG, "fmt": "jsonl"}),
        "audit.trail_export_downloaded",
    ),
    "retention schedule CSV": (
        lambda d: reverse("compliance:schedule-export", kwargs={"slug": SLUG, "fmt": "csv"}),
        "compliance.schedule_downloaded",
    ),
    "retention schedule XLSX": (
        lambda d: reverse("compliance:schedule-export", kwargs={"slug": SLUG, "fmt": "xlsx"}),
        "compliance.schedule_downloaded",
    ),
    "retention schedule PDF": (
        lambda d: reverse("compliance:schedule-export", kwargs={"slug": SLUG, "fmt": "pdf"}),
        "compliance.schedule_downloaded",
    ),
    "retention schedule PDF from the worker": (
        _schedule_worker_pdf,
        "compliance.schedule_downloaded",
    ),
    "data map template": (
        lambda d: reverse("inventory:datamap-template", kwargs={"slug": SLUG}),
        "inventory.datamap_template_downloaded",
    ),
    "data map CSV": (
        lambda d: reverse("inventory:datamap-export", kwargs={"slug": SLUG, "fmt": "csv"}),
        "inventory.datamap_downloaded",
    ),
    "data map XLSX": (
        lambda d: reverse("inventory:datamap-export", kwargs={"slug": SLUG, "fmt": "xlsx"}),
        "inventory.datamap_downloaded",
    ),
    "data map (API)": (
        lambda d: f"/api/v1/winddowns/{SLUG}/datamap/export/?file_format=xlsx",
        "inventory.datamap_downloaded",
    ),
    "campaign failures CSV": (_campaign_failures, "notices.campaign_failures_downloaded"),
}


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("kind", list(DOWNLOADS))
def test_it_records_who_downloaded_what(demo, client, kind):
    url_of, action = DOWNLOADS[kind]
    url = url_of(demo)
    auditor = demo.member(Role.AUDITOR)
    client.force_login(auditor.user)
    newest = AuditEvent.objects.filter(winddown=demo.winddown).order_by("-seq").first().seq

    response = client.get(url)

    assert response.status_code == 200, (kind, url, response.status_code)
    assert body_of(response)
    assert "attachment" in response.get("Content-Disposition", ""), kind
    events = list(AuditEvent.objects.filter(winddown=demo.winddown, seq__gt=newest))
    assert [(e.action, e.actor_id) for e in events] == [(action, auditor.user_id)], kind
    assert is_download(events[0].action)
