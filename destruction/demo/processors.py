"""Demo processor requests: Mailchimp answered through the form, HubSpot still waiting.

`destruction.demo.load` calls `load_processor_requests(winddown, members)`. Safe to run
again: a system that already has a request is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

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
# system name -> processor, privacy contact. Only the two systems the demo writes to: naming a
# processor changes the system, which would put its department's signed attestation out of date
# (Marketing's already is, Sales never signed); the other SaaS systems show as "no processor named".
PROCESSORS = {
    "Mailchimp": ("Intuit Mailchimp", "privacy@mailchimp.example"),
    "HubSpot CRM": ("HubSpot Germany GmbH", "datenschutz@hubspot.example"),
}


def _deliver(request: ProcessorRequest) -> None:
    """Write the queued emails now (to var/mail by default) rather than wait for a worker."""
    for email_id in request.emails.filter(sent_at__isnull=True).values_list("pk", flat=True):
        processor_email_deliver(email_id=email_id)


def _answered(winddown: WindDown, it: Membership) -> None:
    system = DataSystem.objects.get(winddown=winddown, name="Mailchimp")
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
            attester_name="Jordan Lee",
            attester_role="Privacy Operations Lead, Intuit Mailchimp",
            attester_email="jordan.lee@mailchimp.example",
            attested=True,
            remarks="Audiences, reports and contact profiles purged; backups expire in 30 days.",
        )
    for item in system.revocation_items.filter(status="open"):
        status = "not_applicable" if item.kind == "sso" else "revoked"
        note = "Mailchimp account never used SSO." if status == "not_applicable" else ""
        revocation_item_record(by=it, item=item, status=status, note=note)


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
    """Name the demo systems' processors, then one answered and one waiting request."""
    director, it = members[DIRECTOR], members[IT]
    for name, (processor, email) in PROCESSORS.items():
        system = DataSystem.objects.filter(winddown=winddown, name=name).first()
        if system is not None and not system.processor_name:
            system_update(
                by=director, system=system, processor_name=processor, processor_email=email
            )
    _answered(winddown, it)
    _waiting(winddown, it)
