"""The objects the role-matrix tests act on: one of each, in the Sales department."""

import datetime as dt

from compliance.models import Decision, LegalHold, OpenMatter, Rule
from compliance.services import decisions_evaluate, hold_place, matter_create
from compliance.tests.factories import DataSystemFactory, make_holding


def build(winddown, legal):
    shop = DataSystemFactory(winddown=winddown, name="Shop", department="Sales")
    make_holding(winddown, system=shop, jurisdiction="CN")
    make_holding(winddown, system=shop, key="commerce.marketing_profile", fields=["email"])
    decisions_evaluate(winddown=winddown)
    hold_place(by=legal, reference="LH-1", reason="litigation", jurisdictions=["US"])
    matter_create(
        by=legal,
        reference="ORD-1",
        matter_type="order",
        customer_reference="C-1",
        opened_on=dt.date(2026, 11, 1),
        holdings=[],
    )


def decision(m):
    return Decision.objects.filter(
        winddown=m.winddown, holding__category__key="commerce.invoice"
    ).first()


def hold(m):
    return LegalHold.objects.filter(winddown=m.winddown).first()


def matter(m):
    return OpenMatter.objects.filter(winddown=m.winddown).first()


def rule(m):
    return Rule.objects.filter(ruleset__winddown=m.winddown, key="CN-KJDA-vouchers").first()
