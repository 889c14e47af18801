"""The demo: two requests answered through the form's service (Mailchimp, and Tidio whose job is
certified), one waiting with a reminder sent."""

from django.core import mail

from destruction.demo.processors import load_processor_requests
from destruction.models import ProcessorEmail, ProcessorRequest, RevocationItem
from inventory import demo as inventory_demo
from windown.demo.core import load_core


def test_the_demo_has_an_answered_and_a_waiting_request_and_runs_again_unchanged(db):
    winddown, members = load_core()
    inventory_demo.load(winddown, members)

    load_processor_requests(winddown, members)
    first = (
        sorted(ProcessorRequest.objects.values_list("pk", "status", "reminders_sent")),
        ProcessorEmail.objects.count(),
        sorted(RevocationItem.objects.values_list("pk", "status")),
    )
    load_processor_requests(winddown, members)

    answered = ProcessorRequest.objects.get(system__name="Mailchimp")
    waiting = ProcessorRequest.objects.get(system__name="HubSpot CRM")
    assert answered.status == "answered" and answered.attested
    assert set(answered.items.values_list("answer", flat=True)) == {"deleted"}
    assert waiting.status == "sent" and waiting.language == "de"
    assert waiting.reminders_sent == 1
    assert list(waiting.emails.values_list("kind", "number")) == [
        ("instruction", 0),
        ("reminder", 1),
    ]
    assert not ProcessorEmail.objects.filter(sent_at__isnull=True).exists()
    tidio = ProcessorRequest.objects.get(system__name__startswith="Tidio")
    assert tidio.status == "answered" and tidio.attested
    assert len(mail.outbox) == 4  # three instructions and one reminder, each sent once
    assert answered.system.revocation_items.filter(status="open").count() == 0
    assert (
        sorted(ProcessorRequest.objects.values_list("pk", "status", "reminders_sent")),
        ProcessorEmail.objects.count(),
        sorted(RevocationItem.objects.values_list("pk", "status")),
    ) == first
