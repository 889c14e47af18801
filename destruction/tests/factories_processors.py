"""Test data of the processor requests: a processor's system with holdings, and the steps."""

from __future__ import annotations

from destruction.models import ProcessorRequest
from destruction.services.processors import processor_request_create, processor_request_send
from inventory.models import DataSystem
from inventory.tests.factories import DataSystemFactory, HoldingFactory, category


def processor_system(winddown, *, name: str = "Mailer SaaS", **fields) -> DataSystem:
    """A SaaS system run by a processor, holding e-mail addresses (DE, FR) and names (CN, US-CA)."""
    system = DataSystemFactory(
        winddown=winddown,
        name=name,
        kind=DataSystem.Kind.SAAS,
        department="Marketing",
        processor_name=fields.pop("processor_name", "Mailer GmbH"),
        processor_email=fields.pop("processor_email", "privacy@mailer.example"),
        **fields,
    )
    email, person = category(winddown, "user.contact.email"), category(winddown, "user.name")
    for jurisdiction, records in (("DE", 300), ("FR", 200)):
        HoldingFactory(
            system=system,
            category=email,
            jurisdiction=jurisdiction,
            records_total=records,
            records_active=records,
            records_dormant=0,
        )
    for jurisdiction in ("CN", "US-CA"):
        HoldingFactory(system=system, category=person, jurisdiction=jurisdiction)
    return system


def sent_request(by, system: DataSystem | None = None, **fields) -> ProcessorRequest:
    """Draft and send a request for the system (or a new processor system)."""
    system = system or processor_system(by.winddown)
    request = processor_request_create(by=by, system=system, **fields)
    return processor_request_send(by=by, request=request)
