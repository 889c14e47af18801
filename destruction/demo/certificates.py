"""Demo certificates: the signed certificates of every verified demo job (the logical deletion,
the laptop + USB drive, the processor's deletion). Without the installation's signing files it
says how to create them."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from destruction.demo.processors import DIRECTOR
from destruction.models import Certificate, DestructionJob
from destruction.services.certificates import certificate_issue
from windown import signing
from windown.models import Membership, WindDown


def load_certificates(winddown: WindDown, members: dict[str, Membership]) -> list[str]:
    """Issue the certificates of the verified demo jobs; return lines for load_demo to print."""
    try:
        signing.root_fingerprint()
    except ImproperlyConfigured:
        return ["No certificates: run `python manage.py init_signing_ca`, then load_demo again."]
    director = members[DIRECTOR]
    for job in DestructionJob.objects.filter(winddown=winddown, status="verified").order_by("pk"):
        certificate_issue(job=job, actor=director)
    # load_demo signs the checkpoint of the whole demo log once every phase is loaded (and
    # only when something happened since the last one: a second run changes nothing)
    certificate = Certificate.objects.filter(winddown=winddown).order_by("issued_at", "pk").first()
    if certificate is None:
        return []
    return [
        f"Certificate {certificate.serial} ({certificate.job.title}): "
        f"/w/{winddown.slug}/destruction/certificates/{certificate.serial}/",
        f"  its PDF: python manage.py export_certificate {certificate.serial} -o "
        f"{certificate.serial}.pdf",
        f"  its verification bundle: python manage.py export_verification_bundle "
        f"{certificate.serial} -o {certificate.serial}-bundle.zip",
    ]
