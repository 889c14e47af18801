"""A customer's open-order report on the personal page opens a matter in compliance, which keeps
the data the order needs until it is resolved."""

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import Decision, OpenMatter
from compliance.services import decision_approve, decisions_evaluate
from compliance.tests.factories import DataSystemFactory, make_holding
from notices.models import SubjectRequest
from notices.tests.factories import RecipientFactory
from notices.tokens import personal_url
from windown.models import AuditEvent
from windown.roles import Role

pytestmark = pytest.mark.django_db


def report_open_order(client, recipient, message="Order 7 never arrived"):
    path = personal_url(recipient).split("localhost:8000")[1]
    response = client.post(path, {"type": "open_order", "message": message})
    assert response.status_code == 302
    return SubjectRequest.objects.get(recipient=recipient)


@pytest.fixture
def data_map(winddown):
    """Order data and other data of German customers, and order data of French ones."""
    shop = DataSystemFactory(winddown=winddown, name="Shop")
    return {
        "orders": make_holding(winddown, system=shop, key="commerce.order", jurisdiction="DE"),
        "invoices": make_holding(winddown, system=shop, key="commerce.invoice", jurisdiction="DE"),
        "chats": make_holding(
            winddown, system=shop, key="commerce.support_chat", jurisdiction="DE", fields=[]
        ),
        "marketing": make_holding(
            winddown, system=shop, key="commerce.marketing_profile", jurisdiction="DE", fields=[]
        ),
        "french_orders": make_holding(
            winddown, system=shop, key="commerce.order", jurisdiction="FR"
        ),
    }


def test_open_order_report_creates_an_open_matter(client, winddown, member, data_map):
    legal = member(Role.LEGAL)
    decisions_evaluate(winddown=winddown)
    chats = decision_approve(by=legal, decision=Decision.objects.get(holding=data_map["chats"]))
    assert chats.disposition == "delete"
    customer = RecipientFactory(winddown=winddown, jurisdiction="DE", customer_ref="LM-200101")

    request = report_open_order(client, customer)

    matter = OpenMatter.objects.get()
    assert request.compliance_ref == matter.reference == f"PP-{request.pk}"
    assert matter.matter_type == OpenMatter.Type.ORDER and matter.is_open
    assert matter.customer_reference == "LM-200101"
    assert matter.opened_on == timezone.localdate()
    covered = {data_map[name].pk for name in ("orders", "invoices", "chats")}
    assert set(matter.holdings.values_list("pk", flat=True)) == covered
    opened = AuditEvent.objects.get(action="compliance.matter_opened")
    assert opened.actor is None
    assert opened.actor_label == f"customer:{customer.pk} via personal page"
    assert opened.object_id == str(matter.pk) and opened.payload["holdings"] == sorted(covered)
    decisions = {d.holding_id: d for d in Decision.objects.all()}
    for pk in covered:
        assert decisions[pk].disposition == "retain_until_resolved"
        assert matter.reference in decisions[pk].basis
    chats = decisions[data_map["chats"].pk]
    assert chats.status == "proposed"  # legal's approval of the deletion no longer applies
    assert f"matter {matter.reference} opened" in chats.review_note
    assert decisions[data_map["marketing"].pk].disposition == "delete"
    assert decisions[data_map["french_orders"].pk].disposition != "retain_until_resolved"
    actions = list(AuditEvent.objects.values_list("action", flat=True).order_by("seq"))
    assert actions[-3:] == [
        "notices.request_received",
        "compliance.matter_opened",
        "compliance.decisions_evaluated",
    ]


def test_a_customer_without_a_reference_is_named_by_email(client, winddown, data_map):
    customer = RecipientFactory(winddown=winddown, jurisdiction="FR", customer_ref="")

    request = report_open_order(client, customer)

    matter = OpenMatter.objects.get(reference=request.compliance_ref)
    assert matter.customer_reference == customer.email
    assert list(matter.holdings.all()) == [data_map["french_orders"]]
    assert not Decision.objects.exists()  # nothing was evaluated yet: nothing to propose again


def test_other_requests_open_no_matter(client, winddown, data_map):
    customer = RecipientFactory(winddown=winddown, jurisdiction="DE")
    path = personal_url(customer).split("localhost:8000")[1]
    client.post(path, {"type": "complaint", "message": "Too slow"})
    assert SubjectRequest.objects.get().compliance_ref == ""
    assert not OpenMatter.objects.exists()


def test_the_support_queue_links_the_request_to_its_matter(
    client, client_for, winddown, member, data_map
):
    request = report_open_order(client, RecipientFactory(winddown=winddown, jurisdiction="DE"))
    matter = OpenMatter.objects.get()

    path = reverse("notices:request-detail", kwargs={"slug": "acme", "pk": request.pk})
    body = client_for(member(Role.SUPPORT)).get(path).content.decode()

    assert f'<a href="{matter.get_absolute_url()}">{matter.reference}</a>' in body
