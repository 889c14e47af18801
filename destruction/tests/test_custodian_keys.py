"""Custodian keys: only age public keys are registered, audited; a private key is refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pyrage import x25519

from destruction.models import CustodianKey
from destruction.services.archives import custodian_key_register, custodian_key_retire
from windown.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_registers_an_age_public_key_and_audits_it(director):
    public = str(x25519.Identity.generate().to_public())
    key = custodian_key_register(by=director, custodian_name="Wang Fang", recipient=f" {public}\n")
    assert key.recipient == public
    event = AuditEvent.objects.get(action="destruction.custodian_key_registered")
    assert event.payload == {"custodian": "Wang Fang", "recipient": public}


def test_it_refuses_a_private_key_and_never_stores_it(director):
    secret = str(x25519.Identity.generate())
    with pytest.raises(ValidationError, match="This is a private key") as error:
        custodian_key_register(by=director, custodian_name="W", recipient=secret)
    assert secret not in " ".join(error.value.messages)
    assert CustodianKey.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="destruction.").exists()


@pytest.mark.parametrize(
    "text",
    ["age1notakey", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB", "", "age1" + "q" * 58],
)
def test_it_refuses_what_pyrage_cannot_parse(director, text):
    with pytest.raises(ValidationError, match="Not an age public key"):
        custodian_key_register(by=director, custodian_name="W", recipient=text)
    assert CustodianKey.objects.count() == 0


def test_it_refuses_the_same_key_twice_and_retires_with_a_reason(director):
    public = str(x25519.Identity.generate().to_public())
    key = custodian_key_register(by=director, custodian_name="W", recipient=public)
    with pytest.raises(ValidationError, match="registered already"):
        custodian_key_register(by=director, custodian_name="W", recipient=public)
    with pytest.raises(ValidationError, match="Say why"):
        custodian_key_retire(by=director, key=key, reason=" ")
    custodian_key_retire(by=director, key=key, reason="custodian left the company")
    key.refresh_from_db()
    assert key.retired_at is not None and not key.is_active


def test_it_refuses_legal_registering_a_key(member):
    with pytest.raises(PermissionDenied):
        custodian_key_register(
            by=member("legal"),
            custodian_name="W",
            recipient=str(x25519.Identity.generate().to_public()),
        )
    assert CustodianKey.objects.count() == 0
