"""The destruction demo tells the whole story of issue 9's Demo section after one load_demo."""

import io

import pytest
from django.core.management import call_command

from compliance.models import Decision
from destruction.models import Archive, Certificate, DestructionJob, ProcessorRequest, Vendor
from destruction.services.gates import gates_evaluate

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_part_of_the_destruction_story(settings, signing_ca):
    call_command("load_demo", force=True, stdout=io.StringIO())

    vendors = {v.name: v for v in Vendor.objects.prefetch_related("certifications")}
    expired = [any(c.is_expired for c in v.certifications.all()) for v in vendors.values()]
    assert sorted(expired) == [False, True]  # one vendor valid, one expired

    jobs = DestructionJob.objects.filter(winddown__slug="lumen-electronics")
    # (the processor's deletion below is a logical deletion too, done by the processor)
    logical = jobs.exclude(items__kind="processor_request").get(technique="logical_deletion")
    # verified, then certified by the demo's certificates (destruction.demo.certificates)
    assert logical.status == "certified" and logical.verification_query
    assert logical.certificates.filter(status="issued").exists()
    assert logical.verification_query_result and logical.evidence.exists()

    physical = jobs.get(technique="shred")
    assert physical.status == "certified" and physical.particle_size
    media = sorted(physical.items.values_list("media_type", "serial_number"))
    assert [kind for kind, _ in media] == ["ssd", "usb_flash"]
    assert "KDT64-0093412" in [serial for _, serial in media]
    assert physical.handovers.count() == 2
    assert physical.evidence.filter(kind="photo").count() >= 2

    blocked = jobs.get(status="planned")
    report = gates_evaluate(job=blocked, on=blocked.created_at.date())
    failed = {r.gate for r in report.results if not r.passed}
    # a legal hold (its decision became "legal hold" too: gate 1) and a notice that is too recent
    assert {2, 4} <= failed <= {1, 2, 4}

    requests = ProcessorRequest.objects.filter(winddown__slug="lumen-electronics")
    assert requests.filter(status="answered", attested=True).count() == 2
    assert requests.filter(status="sent", reminders_sent__gte=1).exists()

    # a processor's attested deletion, certified like the others: its item covers every holding
    # of the system, whose decisions legal approved again after the processor was named
    certified = Certificate.objects.filter(
        status="issued", job__items__kind="processor_request"
    ).get()
    job = certified.job
    assert job.status == "certified" and job.items.get().outcome == "destroyed"
    system = job.items.get().processor_request.system
    assert system.processor_name and system.status == "cleaned"
    decisions = Decision.objects.filter(holding__system=system)
    assert decisions.exists()
    assert set(decisions.values_list("status", flat=True)) == {"approved"}
    assert all(d.executed_by_job == job.reference for d in decisions)

    archive = Archive.objects.get(winddown__slug="lumen-electronics")
    assert archive.status == Archive.Status.VERIFIED
    assert (settings.WINDOWN_DEMO_DIR / "archive-custodian.key").exists()
