from windown.models.accounts import User
from windown.models.audit import AuditEvent, AuditHead, Checkpoint
from windown.models.winddown import (
    CompanyAttribute,
    CompanyForm,
    Membership,
    TaxRegistration,
    WindDown,
)

__all__ = [
    "AuditEvent",
    "AuditHead",
    "Checkpoint",
    "CompanyAttribute",
    "CompanyForm",
    "Membership",
    "TaxRegistration",
    "User",
    "WindDown",
]
