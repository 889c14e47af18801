"""The engine's vocabulary and its plain, frozen input and output types."""

import hashlib
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property

from . import jurisdictions
from .reasons import Reason, render, to_json


class Disposition(StrEnum):
    DELETE_NOW = "delete_now"
    DELETE = "delete"
    RETAIN_UNTIL_RESOLVED = "retain_until_resolved"
    ARCHIVE = "archive"
    HOLD = "hold"


class Effect(StrEnum):
    RETENTION_MINIMUM = "retention_minimum"
    ERASURE_DUTY = "erasure_duty"
    NEVER_KEEP = "never_keep"
    LEGAL_CLAIMS = "legal_claims"
    RECORD_INTEGRITY = "record_integrity"  # a record kept by law may not be altered


class Binds(StrEnum):
    COMPANY = "company"
    SUBJECT = "subject"
    PROCESSING = "processing"  # its subjects, and any processing in its territory


class Start(StrEnum):
    """Where a period starts; the period is counted from the anchor date this names."""

    END_OF_CALENDAR_YEAR = "end_of_calendar_year"
    END_OF_FISCAL_YEAR = "end_of_fiscal_year"
    FISCAL_YEAR_END_PLUS_MONTHS = "fiscal_year_end_plus_months"
    CREATION = "creation"
    LAST_TRANSACTION = "last_transaction"
    DELIVERY = "delivery"
    LIQUIDATION_COMPLETION = "liquidation_completion"


ALL_PERSONAL_DATA = "all_personal_data"  # in a rule, matches every record type

# The reference's vocabulary, plus search_history and the never-keep / card types.
RECORD_TYPES = frozenset(
    {
        ALL_PERSONAL_DATA,
        "account_data",
        "accounting_vouchers",
        "auth_secrets",
        "bank_statements",
        "browsing_history",
        "business_letters",
        "card_full",
        "card_last4",
        "consumer_request_logs",
        "customer_service_chats",
        "financial_statements",
        "identity_documents",
        "invoices",
        "ledgers",
        "marketing_profile",
        "order_records",
        "payment_records",
        "payroll_records",
        "search_history",
        "tax_returns",
    }
)


@dataclass(frozen=True)
class CompanyFacts:
    registration_country: str
    company_form: str = "other"
    tax_registrations: frozenset[str] = frozenset()
    fiscal_year_end_month: int = 12
    fiscal_year_end_day: int = 31
    attributes: frozenset[str] = frozenset()  # declared facts, see COMPANY_ATTRIBUTES

    def __post_init__(self):
        # A typo here would silently switch rules off, so refuse unknown values.
        problems = []
        if not jurisdictions.is_code(self.registration_country):
            problems.append(f"registration_country {self.registration_country!r}")
        if self.company_form not in jurisdictions.COMPANY_FORMS:
            problems.append(f"company_form {self.company_form!r}")
        problems += [
            f"tax registration {code!r}"
            for code in sorted(self.tax_registrations - jurisdictions.TAX_REGISTRATIONS.keys())
        ]
        problems += [
            f"attribute {code!r}"
            for code in sorted(self.attributes - jurisdictions.COMPANY_ATTRIBUTES.keys())
        ]
        try:
            date(2000, self.fiscal_year_end_month, self.fiscal_year_end_day)  # 2000: Feb 29 ok
        except ValueError:
            problems.append(
                f"fiscal year end {self.fiscal_year_end_month}-{self.fiscal_year_end_day}"
            )
        if problems:
            raise ValueError("unknown company facts: " + ", ".join(problems))


@dataclass(frozen=True)
class HoldingSlice:
    """One holding's records of one record type for subjects of one jurisdiction.

    End dates count from newest_record (the whole slice must be covered); when it is
    unknown, from the evaluation date. oldest_record is carried for the caller's display.
    """

    record_type: str
    subject_jurisdiction: str
    oldest_record: date | None = None
    newest_record: date | None = None
    fields: tuple[str, ...] = ()
    processed_in: str = ""  # country where the data is stored or processed, if known


@dataclass(frozen=True)
class OpenMatter:
    reference: str
    matter_type: str  # order, return, complaint, dispute, tax_assessment…
    opened_on: date


@dataclass(frozen=True, eq=False)  # eq=False: hashed by identity, cheap as a cache key
class Rule:
    key: str
    jurisdiction: str
    binds: Binds
    record_types: frozenset[str]
    effect: Effect
    instrument: str
    article: str
    summary: str
    source: str
    confidence: str
    condition: tuple[tuple[str, frozenset[str]], ...] = ()  # (fact, any of these values)
    subject_scope: frozenset[str] = frozenset()  # company rules: subjects concerned; empty = all
    period_months: int | None = None
    start: Start | None = None
    start_months: int = 0  # fiscal_year_end_plus_months only
    keep_fields: frozenset[str] = frozenset()  # de-identify: the archive keeps only these
    whole_record: bool = False  # the archive keeps the record whole, minus drop_fields
    drop_fields: frozenset[str] = frozenset()  # whole_record: data that is not the record
    cross_border_only: bool = False  # concerns subjects outside the company's country only
    note: str = ""

    @cached_property
    def citation(self) -> str:
        return f"{self.instrument}, {self.article}"


@dataclass(frozen=True)
class SubjectLaw:
    """A data-protection law's reach: whom its subject rules bind, and whose law counts as a
    legal obligation to keep their data (GDPR and UK GDPR art. 6(3), 17(3)(b))."""

    law: str  # e.g. GDPR
    jurisdiction: str  # its subject rules' jurisdiction, e.g. EU
    subjects: frozenset[str]  # subject jurisdictions it binds
    legal_obligation_law: frozenset[str]  # jurisdictions whose duties count
    label: str  # how the accepted law is named in explanations, e.g. EU/EEA
    why: str  # the explanation quoted in a conflict

    def accepts(self, jurisdiction: str) -> bool:
        """Tell whether a duty of this jurisdiction (or its country) counts here."""
        return jurisdictions.base_chain(jurisdiction)[-1] in self.legal_obligation_law or (
            jurisdiction in self.legal_obligation_law
        )


@dataclass(frozen=True)
class RuleOutcome:
    key: str
    citation: str
    effect: Effect
    applied: bool  # the rule binds this company and subject for this record type
    reasons: tuple[Reason, ...]  # why it binds (or not), then what it does
    until: date | None = None  # last day a retention rule keeps the data

    @property
    def reason(self) -> str:
        """Return the reasons in English."""
        return render(to_json(self.reasons))


@dataclass(frozen=True)
class Proposal:
    """What the engine proposes for one slice; legal approves or overrides it.

    retain_until is the last day a retention duty keeps the data: past the deletion deadline
    for archive; for delete, a duty that ends by the deadline (destruction not before the
    day after it). delete_by is the day destruction is due: the deletion deadline (or the
    day after retain_until if that is later); the day after retain_until for archive; as_of
    for delete_now. Under an open matter it is the date that will apply once the matter is
    resolved (the caller re-evaluates then). Legal holds are not the engine's: the caller
    lays them over the proposal.
    """

    disposition: Disposition
    retain_until: date | None
    delete_by: date
    considered: tuple[RuleOutcome, ...]
    keep_fields: tuple[str, ...]
    drop_fields: tuple[str, ...]
    basis_reasons: tuple[Reason, ...]
    conflict: bool = False
    conflict_reasons: tuple[Reason, ...] = ()

    @property
    def basis(self) -> str:
        """Return the basis in English."""
        return render(to_json(self.basis_reasons))

    @property
    def conflict_reason(self) -> str:
        """Return the conflict's explanation in English ('' without a conflict)."""
        return render(to_json(self.conflict_reasons))

    def fingerprint(self) -> str:
        """Return a stable hash of what the proposal decides (not of how it words it).

        Never-keep data is due "now": its delete_by is the evaluation date, which must not
        change the fingerprint from one day to the next (an approval would fall back to review).
        """
        never_keep = any(o.applied and o.effect is Effect.NEVER_KEEP for o in self.considered)
        parts = [
            self.disposition.value,
            str(self.retain_until),
            "now" if never_keep else str(self.delete_by),
            ",".join(sorted(o.key for o in self.considered if o.applied)),
            ",".join(self.keep_fields),
            str(self.conflict),
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()
