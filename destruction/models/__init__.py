"""Destruction data: vendors, jobs with their items and custody, evidence, archives, processors.

The destruction phase sits on top of the phases: destruction → notices → compliance →
inventory → windown. It reads the others only through their selectors and services.
"""

from destruction.models.archives import Archive, ArchiveKeyEnvelope, CustodianKey
from destruction.models.certificates import Certificate, CertificateSerialCounter
from destruction.models.custody import CustodyHandover
from destruction.models.evidence import Evidence
from destruction.models.job_items import JobItem
from destruction.models.jobs import DestructionJob
from destruction.models.processors import (
    ProcessorEmail,
    ProcessorRequest,
    ProcessorRequestItem,
    RevocationItem,
)
from destruction.models.vendors import Vendor, VendorCertification

__all__ = [
    "Archive",
    "ArchiveKeyEnvelope",
    "Certificate",
    "CertificateSerialCounter",
    "CustodianKey",
    "CustodyHandover",
    "DestructionJob",
    "Evidence",
    "JobItem",
    "ProcessorEmail",
    "ProcessorRequest",
    "ProcessorRequestItem",
    "RevocationItem",
    "Vendor",
    "VendorCertification",
]
