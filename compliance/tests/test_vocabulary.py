"""The wind-down's company facts use exactly the codes the retention engine understands."""

from compliance.engine import jurisdictions
from windown.models import CompanyAttribute, CompanyForm, TaxRegistration


def test_company_forms_match_the_engine():
    assert set(CompanyForm.values) == set(jurisdictions.COMPANY_FORMS)


def test_tax_registrations_match_the_engine():
    assert set(TaxRegistration.values) == set(jurisdictions.TAX_REGISTRATIONS)


def test_company_attributes_match_the_engine():
    assert set(CompanyAttribute.values) == set(jurisdictions.COMPANY_ATTRIBUTES)
