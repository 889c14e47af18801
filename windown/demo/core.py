"""The demo wind-down: a Shenzhen-registered cross-border 3C electronics seller."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from windown import services
from windown.audit import audit_record
from windown.models import Membership, TaxRegistration, User, WindDown
from windown.roles import Role

SLUG = "lumen-electronics"
DEMO_PASSWORD = "windown-demo-2026"  # noqa: S105 - demo logins are printed on purpose  # nosec B105 # the demo's published password (DEBUG or --force only)

COMPANY = {
    "company_legal_name": "Shenzhen Lumen Electronics Co., Ltd.",
    "company_local_name": "深圳流明电子有限公司",
    "registration_country": "CN",
    "company_form": "CN_enterprise",
    "tax_registrations": [TaxRegistration.EU_OSS, TaxRegistration.CN_TAX],
    "company_attributes": ["liquidation"],
    "fiscal_year_end_month": 12,
    "fiscal_year_end_day": 31,
    "decision_date": dt.date(2026, 10, 15),
    "customer_notice_date": dt.date(2026, 12, 15),
    "operations_end_date": dt.date(2026, 12, 31),
    "deletion_deadline": dt.date(2027, 3, 31),
    "certificate_retention_years": 5,
    "notice_lead_days": 30,
    "support_email": "support@lumen-electronics.example",
    "support_phone": "+86 755 8888 6666",
    "status": WindDown.Status.ACTIVE,
}


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    role: str
    department: str = ""


PEOPLE = [
    DemoPerson("director@lumen-electronics.example", "陈静 Chen Jing", Role.DIRECTOR),
    DemoPerson("legal@lumen-electronics.example", "Dr. Anna Weber", Role.LEGAL),
    DemoPerson("it@lumen-electronics.example", "李伟 Li Wei", Role.IT),
    DemoPerson("support@lumen-electronics.example", "王芳 Wang Fang", Role.SUPPORT),
    DemoPerson("sales@lumen-electronics.example", "张强 Zhang Qiang", Role.CUSTODIAN, "Sales"),
    DemoPerson("cs@lumen-electronics.example", "刘洋 Liu Yang", Role.CUSTODIAN, "Customer Service"),
    DemoPerson("marketing@lumen-electronics.example", "Emma Martin", Role.CUSTODIAN, "Marketing"),
    DemoPerson("finance@lumen-electronics.example", "赵敏 Zhao Min", Role.CUSTODIAN, "Finance"),
    DemoPerson("auditor@kpmg-audit.example", "Tom Baker", Role.AUDITOR),
]


def _user(person: DemoPerson) -> User:
    user, created = User.objects.get_or_create(
        email=person.email, defaults={"display_name": person.name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def load_core() -> tuple[WindDown, dict[str, Membership]]:
    """Create (once) the demo wind-down and one member per role; return them by email."""
    director_user = _user(PEOPLE[0])
    winddown = WindDown.objects.filter(slug=SLUG).first()
    if winddown is None:
        winddown = services.winddown_create(creator=director_user, slug=SLUG, **COMPANY)
    director = Membership.objects.get(winddown=winddown, user=director_user)
    for person in PEOPLE[1:]:
        user = _user(person)
        if not Membership.objects.filter(winddown=winddown, user=user).exists():
            membership = Membership.objects.create(
                winddown=winddown, user=user, role=person.role, department=person.department
            )
            audit_record(
                winddown=winddown,
                actor=director.user,
                action="membership.added",
                obj=membership,
                payload={"email": user.email, "role": person.role, "department": person.department},
            )
    members = {m.user.email: m for m in winddown.memberships.select_related("user")}
    return winddown, members
