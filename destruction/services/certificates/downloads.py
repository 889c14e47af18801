"""Certificate downloads, each recorded in the audit trail."""

from __future__ import annotations

from django.db import transaction

from destruction.models import Certificate
from windown import roles
from windown.audit import audit_record
from windown.models import Membership


@transaction.atomic
def certificate_download(*, certificate: Certificate, actor: Membership | None, via: str) -> bytes:
    """Return the signed PDF as issued and audit who took it (`via`: page, api, command)."""
    if actor is not None:
        roles.require(actor, "destruction.certificate.download")
    audit_record(
        winddown=certificate.winddown,
        actor=actor.user if actor is not None else None,
        actor_label=None if actor is not None else f"system:{via}",
        action="destruction.certificate_downloaded",
        obj=certificate,
        payload={"serial": certificate.serial, "sha256": certificate.sha256, "via": via},
    )
    with certificate.pdf.open("rb") as handle:
        return handle.read()
