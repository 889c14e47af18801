"""Demo processor requests: Mailchimp and Tidio answered through the form, HubSpot waiting.

`destruction.demo.load` calls `load_processor_requests(winddown, members)`, then makes a job of
Tidio's answer (its holdings are all in markets notified long ago). Safe to run again: a system
that already has a request is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from compliance.models import Decision
from compliance.services import decision_approve, decisions_evaluate
from destruction.models import ProcessorEmail, ProcessorRequest, ProcessorRequestItem
from destruction.services.processor_answers import processor_request_answer
from destruction.services.processor_emails import processor_email_deliver, processor_request_remind
from destruction.services.processors import processor_request_create, processor_request_send
from destruction.services.revocations import revocation_item_record
from inventory.models import DataSystem
from inventory.services.systems import system_update
from windown.models import Membership, WindDown

DIRECTOR = "director@lumen-electronics.example"
IT = "it@lumen-electronics.example"
LEGAL = "legal@lumen-electronics.example"
DELETED = "Tidio live chat (storefront)"  # the processor whose deletion the demo certifies
# system name -> processor, privacy contact. Only the systems the demo writes to: naming a
# processor changes the system, which would put its department's signed attestation out of date
# (Marketing's already is, Sales never signed); the other SaaS systems show as "no processor named".
PROCESSORS = {
    "Mailchimp": ("Intuit Mailchimp", "privacy@mailchimp.example"),
    "HubSpot CRM": ("HubSpot Germany GmbH", "datenschutz@hubspot.example"),
    DELETED: ("Tidio LLC", "privacy@tidio.example"),
}
# system name -> what its processor types into the confirmation form: attester, role, email,
# remarks
ANSWERS = {
    "Mailchimp": (
        "Jordan Lee",
        "Privacy Operations Lead, Intuit Mailchimp",
        "jordan.lee@mailchimp.example",
        "Audiences, reports and contact profiles purged; backups expire in 30 days.",
    ),
    DELETED: (
        "Marta Kowalczyk",
        "Data Protection Officer, Tidio LLC",
        "marta.kowalczyk@tidio.example",
        "Workspace deleted with its conversations, contacts and visitor profiles; "
        "backups expire in 14 days.",
    ),
}


def _deliver(request: ProcessorRequest) -> None:
    """Write the queued emails now (to var/mail by default) rather than wait for a worker."""
    for email_id in request.emails.filter(sent_at__isnull=True).values_list("pk", flat=True):
        processor_email_deliver(email_id=email_id)


def _answered(winddown: WindDown, it: Membership, name: str) -> None:
    system = DataSystem.objects.filter(winddown=winddown, name=name).first()
    if system is None:  # a demo loaded before this system joined its data map
        return
    attester_name, attester_role, attester_email, remarks = ANSWERS[name]
    request = system.processor_requests.first()
    if request is None:
        request = processor_request_create(by=it, system=system, contact_name="Privacy Team")
    if request.status == ProcessorRequest.Status.DRAFT:
        request = processor_request_send(by=it, request=request)
    _deliver(request)
    if request.is_open:
        items = request.items.all()
        # the service the confirmation form calls, with what a processor types there
        processor_request_answer(
            request=request,
            answers={item.pk: {"answer": ProcessorRequestItem.Answer.DELETED} for item in items},
            attester_name=attester_name,
            attester_role=attester_role,
            attester_email=attester_email,
            attested=True,
            remarks=remarks,
        )
    for item in system.revocation_items.filter(status="open"):
        status = "not_applicable" if item.kind == "sso" else "revoked"
        note = f"{name} account never used SSO." if status == "not_applicable" else ""
        revocation_item_record(by=it, item=item, status=status, note=note)


def _approved_again(winddown: WindDown, legal: Membership, name: str) -> None:
    """Naming the processor made the system's decisions stale: propose them again as the worker
    would (load_demo runs none), then legal approves what comes back for review."""
    system = DataSystem.objects.filter(winddown=winddown, name=name).first()
    if system is None:
        return
    decisions = Decision.objects.filter(winddown=winddown, holding__system=system)
    if decisions.filter(status=Decision.Status.STALE).exists():
        holding_ids = list(system.holdings.values_list("pk", flat=True))
        # the cause compliance's receiver gives when a system changes
        decisions_evaluate(
            winddown=winddown, holding_ids=holding_ids, reason="holdings changed in the inventory"
        )
    proposed = decisions.filter(status=Decision.Status.PROPOSED, conflict=False).order_by("pk")
    for decision in proposed:
        decision_approve(by=legal, decision=decision, fingerprint=decision.fingerprint)


def _waiting(winddown: WindDown, it: Membership) -> None:
    system = DataSystem.objects.get(winddown=winddown, name="HubSpot CRM")
    if system.processor_requests.exists():
        return
    with transaction.atomic():
        request = processor_request_create(
            by=it, system=system, contact_name="Datenschutzteam", language="de"
        )
        request = processor_request_send(by=it, request=request)
    _deliver(request)
    # Demo only: the instruction went out six days ago, so the first reminder is due now.
    past = timezone.now() - dt.timedelta(days=6)
    ProcessorRequest.objects.filter(pk=request.pk).update(
        sent_at=past, last_contacted_at=past, deadline=request.deadline - dt.timedelta(days=6)
    )
    ProcessorEmail.objects.filter(request=request).update(created_at=past, sent_at=past)
    processor_request_remind(request_id=request.pk)
    _deliver(request)


def load_processor_requests(winddown: WindDown, members: dict[str, Membership]) -> None:
    """Name the demo systems' processors, then two answered requests and one waiting."""
    director, it = members[DIRECTOR], members[IT]
    for name, (processor, email) in PROCESSORS.items():
        system = DataSystem.objects.filter(winddown=winddown, name=name).first()
        if system is not None and not system.processor_name:
            system_update(
                by=director, system=system, processor_name=processor, processor_email=email
            )
    _answered(winddown, it, "Mailchimp")
    _waiting(winddown, it)
    _approved_again(winddown, members[LEGAL], DELETED)
    _answered(winddown, it, DELETED)
