"""Jurisdiction codes, their inheritance, and the company vocabularies rules condition on."""

import re
from functools import cache

EU = "EU"
ANY = "ANY"  # a windown policy rule: binds every subject, is no country's law
UNKNOWN = "OTHER"  # a subject jurisdiction the data map could not name: no subject-side law

# ISO 3166-1 alpha-2; Greece is GR here (the EU itself writes EL).
# fmt: off
EU_MEMBER_STATES = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
})
# fmt: on

_CODE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")

# What a company can be; rules condition on these (e.g. GmbHG § 74 binds a GmbH or UG).
COMPANY_FORMS = {
    "GmbH": "DE Gesellschaft mit beschränkter Haftung",
    "UG": "DE Unternehmergesellschaft (haftungsbeschränkt), a GmbH variant",
    "AG": "DE Aktiengesellschaft",
    "SAS": "FR société par actions simplifiée",
    "SARL": "FR société à responsabilité limitée",
    "UK_ltd": "UK private company limited by shares (Companies Act 2006)",
    "UK_plc": "UK public limited company (Companies Act 2006)",
    "KK": "JP kabushiki kaisha (株式会社)",
    "GK": "JP godo kaisha (合同会社)",
    "CN_enterprise": "CN enterprise (有限责任公司 / 股份有限公司 / WFOE)",
    "US_corporation": "US corporation",
    "US_llc": "US limited liability company",
    "other": "any other form",
}

# Tax registrations: code -> (jurisdiction whose law it brings in, description).
TAX_REGISTRATIONS = {
    "EU_OSS": (EU, "EU VAT One-Stop Shop, Union scheme (distance sales)"),
    "EU_IOSS": (EU, "EU VAT Import One-Stop Shop"),
    "DE_VAT": ("DE", "German VAT (Umsatzsteuer)"),
    "DE_CT": ("DE", "German corporate income / trade tax"),
    "FR_VAT": ("FR", "French VAT (TVA)"),
    "FR_CT": ("FR", "French corporate income tax (IS)"),
    "GB_VAT": ("GB", "UK VAT"),
    "GB_CT": ("GB", "UK corporation tax"),
    "US_IT": ("US", "US federal income tax (IRS returns)"),
    "US_CA_FTB": ("US-CA", "California franchise / income tax (Franchise Tax Board)"),
    "JP_CT": ("JP", "Japanese corporation tax, blue return (青色申告)"),
    "JP_QII": ("JP", "Japanese qualified invoice issuer, consumption tax (適格請求書発行事業者)"),
    "CN_TAX": ("CN", "Chinese tax registration (税务登记)"),
}

# Facts the company declares that some duties depend on.
COMPANY_ATTRIBUTES = {
    "liquidation": "the company itself is being liquidated (not only a business line closed)",
    "US_income_understated_25pct": "a US return omitted more than 25 % of gross income",
    "US_bad_debt_deduction": "a US return claimed a bad-debt or worthless-securities loss",
    "JP_loss_carryforward": "a JP loss year is carried forward (fiscal years from 2018-04-01)",
    "CN_platform_operator": "the company operates a CN e-commerce platform (电子商务平台经营者)",
}


def is_code(code: str) -> bool:
    """Tell whether code is a jurisdiction code: EU, ANY, a country or a subdivision."""
    return code in (EU, ANY) or bool(_CODE.match(code))


def is_subject(code: str) -> bool:
    """Tell whether code may be a slice's subject jurisdiction (a code, or OTHER)."""
    return code == UNKNOWN or (code != ANY and is_code(code))


@cache
def base_chain(jurisdiction: str) -> tuple[str, ...]:
    """Return the jurisdiction and its country: US-CA -> (US-CA, US), DE -> (DE,)."""
    if "-" in jurisdiction:
        return (jurisdiction, jurisdiction.split("-", 1)[0])
    return (jurisdiction,)


@cache
def chain(jurisdiction: str) -> tuple[str, ...]:
    """Return the jurisdiction, its country and the EU for a member state: DE -> (DE, EU).

    This is membership of the Union (legal holds and company-side law use it); how far each
    subject-side law reaches (the GDPR in the EEA, say) is the ruleset's subject_law.
    """
    codes = base_chain(jurisdiction)
    return (*codes, EU) if codes[-1] in EU_MEMBER_STATES else codes


def company_jurisdictions(
    registration_country: str, tax_registrations: frozenset[str]
) -> frozenset:
    """Return the jurisdictions whose company-side law a company may be bound by."""
    codes = set(chain(registration_country))
    for registration in tax_registrations:
        codes.update(chain(TAX_REGISTRATIONS[registration][0]))
    return frozenset(codes)
