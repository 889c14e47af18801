"""Demo data of the destruction phase: two vendors (one certificate expired), a verified logical
deletion with its verification query and evidence, a physical job for a sales laptop and a USB
drive with a two-handover chain of custody, a planned job whose gates fail (a hold and a notice
that is too recent), three processor requests (`destruction.demo.processors`) with a verified job
of the one whose processor deleted everything, and the encrypted archive of the demo invoices
with its custodian key in var/demo (`destruction.demo.archives`)."""

from __future__ import annotations

import datetime as dt
import io

from django.db import transaction
from django.utils import timezone

from compliance.models import Decision
from destruction.demo import archives as demo_archives
from destruction.demo import certificates as demo_certificates
from destruction.demo import processors as demo_processors
from destruction.models import DestructionJob, JobItem, ProcessorRequest, VendorCertification
from destruction.services import evidence as evidence_service
from destruction.services import jobs as service
from destruction.services.gates import gates_evaluate
from destruction.services.vendors import certification_add, vendor_create
from notices.models import Campaign, Delivery, Recipient
from windown.models import Membership, WindDown

IT = "it@lumen-electronics.example"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # stand-in photo bytes (the demo keeps files tiny)


class _Upload(io.BytesIO):
    def __init__(self, name: str, data: bytes):
        super().__init__(data)
        self.name = name


def load(winddown: WindDown, members: dict[str, Membership]) -> list[str]:
    """Create the destruction demo: jobs and vendors, the processor requests (two answered
    through the form, one waiting with a reminder sent) and the job of one answer, the archive
    of the demo invoices, then the certificates of the verified jobs; return lines for load_demo
    to print."""
    _load_jobs(winddown, members)
    demo_processors.load_processor_requests(winddown, members)
    _processor_job(winddown, members[IT])
    demo_archives.load(winddown, members)
    return demo_certificates.load_certificates(winddown, members)


@transaction.atomic
def _load_jobs(winddown: WindDown, members: dict[str, Membership]) -> None:
    """Create the jobs demo once; a wind-down with jobs is left as it is."""
    if winddown.destruction_jobs.exists():
        return
    it = Membership.objects.get(winddown=winddown, user__email=IT)
    now = timezone.now()
    valid = vendor_create(
        by=it,
        name="SecureShred Shenzhen Ltd",
        contact_name="Chen Hao",
        contact_email="ops@secureshred.example",
        country="CN",
    )
    certification_add(
        by=it,
        vendor=valid,
        scheme=VendorCertification.Scheme.ISO_27001,
        number="CN-ISMS-2024-0815",
        issuer="CQC",
        valid_from=dt.date(2024, 3, 1),
        expires_on=dt.date(2027, 2, 28),
        copy=_Upload("iso27001.pdf", b"%PDF-1.4\n% demo certificate copy\n"),
    )
    certification_add(
        by=it,
        vendor=valid,
        scheme=VendorCertification.Scheme.NAID_AAA,
        number="NAID-AAA-55012",
        issuer="i-SIGMA",
        expires_on=dt.date(2027, 6, 30),
    )
    expired = vendor_create(by=it, name="QuickWipe Logistics", country="HK")
    certification_add(
        by=it,
        vendor=expired,
        scheme=VendorCertification.Scheme.ISO_27001,
        number="HK-27001-1187",
        issuer="HKQAA",
        expires_on=dt.date(2025, 9, 30),
    )
    _notice_history(winddown, now)
    _logical_job(winddown, it, now)
    _physical_job(winddown, it, valid, now)
    _blocked_job(winddown, it, now)


def _notice_history(winddown: WindDown, now) -> None:
    """The demo's notice history: the closure notice was delivered 35 days ago (longer than the
    lead time) to every customer; Dutch marketplace customers, found late, were told 3 days ago."""
    sent = Campaign.objects.create(
        winddown=winddown,
        name="Closure notice (sent)",
        status=Campaign.Status.DONE,
        started_at=now - dt.timedelta(days=35),
        finished_at=now - dt.timedelta(days=35),
    )
    _deliver(sent, Recipient.objects.filter(winddown=winddown), now - dt.timedelta(days=35))
    late = Campaign.objects.create(
        winddown=winddown,
        name="Closure notice, Netherlands (sent late)",
        audience_jurisdictions=["NL"],
        status=Campaign.Status.DONE,
        started_at=now - dt.timedelta(days=3),
        finished_at=now - dt.timedelta(days=3),
    )
    dutch = [
        Recipient.objects.create(
            winddown=winddown,
            email=email,
            name=name,
            language="en",
            jurisdiction="NL",
            customer_ref=ref,
        )
        for email, name, ref in (
            ("sanne.devries@example.nl", "Sanne de Vries", "LM-500401"),
            ("daan.jansen@example.nl", "Daan Jansen", "LM-500402"),
        )
    ]
    _deliver(late, dutch, now - dt.timedelta(days=3))


def _deliver(campaign: Campaign, recipients, sent_at) -> None:
    Delivery.objects.bulk_create(
        Delivery(
            campaign=campaign,
            recipient=recipient,
            message_id=f"<demo-{campaign.pk}-{recipient.pk}@lumen-electronics.example>",
            status=Delivery.Status.DELIVERED,
            sent_at=sent_at,
        )
        for recipient in recipients
    )


def _passing_items(job: DestructionJob, day: dt.date) -> list[JobItem]:
    failing = {r.item_id for r in gates_evaluate(job=job, on=day).failures}
    for item in job.items.filter(pk__in=failing):
        item.delete()
    return list(job.items.all())


def _logical_job(winddown: WindDown, it: Membership, now) -> None:
    job = service.job_create(
        by=it,
        title="Delete approved order data (order database)",
        location="Alibaba Cloud Shenzhen, RDS instance lumen-prod",
    )
    candidates = Decision.objects.filter(
        winddown=winddown,
        status=Decision.Status.APPROVED,
        disposition__in=["delete", "delete_now"],
        holding__system__kind__in=["database", "saas"],
    )
    for decision in candidates.order_by("disposition", "pk")[:8]:
        service.job_item_add(by=it, job=job, kind="holding", holding=decision.holding)
    if not _passing_items(job, now.date()):
        return
    service.job_schedule(by=it, job=job, scheduled_for=now - dt.timedelta(hours=3))
    service.job_perform(
        by=it,
        job=job,
        outcomes={item.pk: {"outcome": "destroyed"} for item in job.items.all()},
        sanitization_level="clear",
        technique="logical_deletion",
        deletion_statement="DELETE FROM orders WHERE customer_id IN (TABLE purge);",
        verification_query="SELECT count(*) FROM orders WHERE customer_id IN (TABLE purge);",
        verification_query_result="0",
        tool="psql",
        tool_version="15.8",
        started_at=now - dt.timedelta(hours=2),
        finished_at=now - dt.timedelta(hours=1, minutes=40),
        performer_name="李伟 Li Wei",
        performer_title="IT lead, Lumen Electronics",
        performer_contact="it@lumen-electronics.example",
    )
    evidence_service.evidence_add(
        by=it,
        job=job,
        kind="tool_log",
        upload=_Upload("psql-session.log", b"DELETE 48213\nCOMMIT\n count \n-------\n     0\n"),
    )
    evidence_service.evidence_add(by=it, job=job, kind="photo", upload=_Upload("console.png", PNG))
    service.job_verify(
        by=it,
        job=job,
        validator_name="Dr. Anna Weber",
        validator_title="Legal, Lumen Electronics",
        validator_contact="legal@lumen-electronics.example",
        verification_method="full",
        verification_result="Verification query returned 0 rows on every table.",
    )


def _physical_job(winddown: WindDown, it: Membership, vendor, now) -> None:
    laptop = winddown.data_systems.filter(name="Sales laptop — Li Na").first()
    if laptop is None:
        return
    job = service.job_create(
        by=it,
        title="Shred Li Na's sales laptop and the USB drive with copies of its spreadsheets",
        vendor=vendor,
    )
    service.job_item_add(by=it, job=job, kind="media", system=laptop, media_type="ssd")
    service.job_item_add(
        by=it,
        job=job,
        kind="media",
        system=laptop,
        media_type="usb_flash",
        manufacturer="Kingston",
        model="DataTraveler Exodia 64GB",
        serial_number="KDT64-0093412",
        asset_number="LUM-IT-0203",
    )
    if not _passing_items(job, now.date()):
        return
    service.job_schedule(by=it, job=job, scheduled_for=now - dt.timedelta(days=1, hours=1))
    service.handover_add(
        by=it,
        job=job,
        from_party="李伟 Li Wei (Lumen IT)",
        to_party="Chen Hao (SecureShred)",
        handed_over_at=now - dt.timedelta(days=1),
        place="Lumen office, Nanshan, Shenzhen",
        seal_ids="SEAL-44871, SEAL-44872",
    )
    service.handover_add(
        by=it,
        job=job,
        from_party="Chen Hao (SecureShred)",
        to_party="SecureShred plant intake",
        handed_over_at=now - dt.timedelta(hours=20),
        place="SecureShred plant, Bao'an, Shenzhen",
        seal_ids="SEAL-44871, SEAL-44872 (seals intact)",
    )
    for name in ("devices-before-sealing.png", "shredder-output-2mm.png"):
        evidence_service.evidence_add(by=it, job=job, kind="photo", upload=_Upload(name, PNG))
    evidence_service.evidence_add(
        by=it,
        job=job,
        kind="vendor_report",
        upload=_Upload("secureshred-report.pdf", b"%PDF-1.4\n% demo destruction report\n"),
    )
    service.job_perform(
        by=it,
        job=job,
        outcomes={item.pk: {"outcome": "destroyed"} for item in job.items.all()},
        sanitization_level="destroy",
        technique="shred",
        particle_size="2 mm (DIN 66399 H-5, E-4)",
        tool="HSM Powerline HDS 230",
        tool_version="firmware 2.4",
        location="SecureShred plant, Bao'an, Shenzhen",
        started_at=now - dt.timedelta(hours=19),
        finished_at=now - dt.timedelta(hours=18, minutes=45),
        performer_name="Chen Hao",
        performer_title="Operator, SecureShred Shenzhen Ltd",
        performer_contact="ops@secureshred.example",
        witness_name="张强 Zhang Qiang",
        witness_title="Sales, Lumen Electronics",
        witness_contact="sales@lumen-electronics.example",
    )
    service.job_verify(
        by=it,
        job=job,
        validator_name="李伟 Li Wei",
        validator_title="IT lead, Lumen Electronics",
        validator_contact="it@lumen-electronics.example",
        verification_method="full",
        verification_result="Every fragment passed the 2 mm screen; seals intact at intake.",
    )


@transaction.atomic
def _processor_job(winddown: WindDown, it: Membership) -> None:
    """A job of the processor's answer: its item covers every holding of the system, all in
    markets notified long ago, so the gates pass and the deletion it attested is certified."""
    request = ProcessorRequest.objects.filter(
        winddown=winddown,
        system__name=demo_processors.DELETED,
        status=ProcessorRequest.Status.ANSWERED,
    ).first()
    title = f"Deletion by the processor of {demo_processors.DELETED}"
    if request is None or winddown.destruction_jobs.filter(title=title).exists():
        return
    job = service.job_create(
        by=it,
        title=title,
        location=f"{request.processor_name}, {request.system.hosting_region}",
    )
    service.job_item_add(by=it, job=job, kind="processor_request", processor_request=request)
    if not _passing_items(job, request.answered_at.date()):
        return
    service.job_schedule(by=it, job=job, scheduled_for=request.sent_at)
    service.job_perform(
        by=it,
        job=job,
        outcomes={},  # a processor request's outcome is the processor's answer
        sanitization_level="clear",
        technique="logical_deletion",
        deletion_statement="Workspace deletion (Settings > Account > Delete workspace) by the "
        "processor, with every conversation, contact and visitor profile in it.",
        verification_query="GET https://api.tidio.example/v1/contacts (our workspace's API key)",
        verification_query_result="404 Not Found: workspace does not exist",
        started_at=request.sent_at,
        finished_at=request.answered_at,
        performer_name=request.attester_name,
        performer_title=request.attester_role,
        performer_contact=request.attester_email,
    )
    service.job_verify(
        by=it,
        job=job,
        validator_name="李伟 Li Wei",
        validator_title="IT lead, Lumen Electronics",
        validator_contact="it@lumen-electronics.example",
        verification_method="full",
        verification_result="The processor attested the deletion of every category requested, "
        "and the workspace's API answers 404.",
    )


def _blocked_job(winddown: WindDown, it: Membership, now) -> None:
    """A planned job whose gates fail: a held chat export, Dutch data noticed 3 days ago."""
    job = service.job_create(by=it, title="Delete chat exports and Dutch marketplace addresses")
    held = Decision.objects.filter(
        winddown=winddown, holding__system__name__icontains="WeChat"
    ).first()
    dutch = Decision.objects.filter(
        winddown=winddown,
        holding__jurisdiction="NL",
        status=Decision.Status.APPROVED,
        disposition="delete",
    ).first()
    for decision in (held, dutch):
        if decision is not None:
            service.job_item_add(by=it, job=job, kind="holding", holding=decision.holding)
