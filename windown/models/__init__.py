from windown.models.accounts import User
from windown.models.audit import AuditEvent, AuditHead
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
    "CompanyAttribute",
    "CompanyForm",
    "Membership",
    "TaxRegistration",
    "User",
    "WindDown",
]
