"""The engine's words: every text it produces is a Reason (a code and its parameters).

Reasons are stored as they are (JSON, see to_json) and rendered in the reader's language when
shown (compliance.reasons gives render() Django's gettext); rendered with the defaults here they
read in English. The messages below are the English msgids: makemessages extracts them through
the two marker functions, whose names are among the keywords it passes to xgettext.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Union


def gettext_noop(message: str) -> str:
    """Mark a message for extraction; it is translated when rendered."""
    return message


def ngettext_lazy(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural message for extraction (named so makemessages finds it, but not lazy)."""
    return singular, plural


# fmt: off
TEXTS = {
    # what then happens to the data
    "then_delete_now": gettext_noop("delete now"),
    "then_archive_until": gettext_noop("archive until %(until)s"),
    "then_keep_until": gettext_noop("keep until %(until)s, then delete by %(delete_by)s"),
    "then_delete_by": gettext_noop("delete by %(delete_by)s"),
    # the proposal's basis, its parts in order (later parts carry their own separator)
    "basis_never_kept": gettext_noop("Never kept (%(instrument)s): delete now"),
    "basis_archive": gettext_noop(
        "Archive until %(until)s under %(rule)s (%(period)s), %(among)s lasting past the "
        "deletion deadline"),
    "among_only": gettext_noop("the only duty"),
    "basis_whole_record": gettext_noop(
        "; the record is kept whole, encrypted and restricted to storage and security"),
    "basis_integrity": gettext_noop(" — its content may not be altered (%(cited)s)"),
    "basis_dropped": gettext_noop("; not part of the record, so dropped: %(fields)s"),
    "basis_keep_all": gettext_noop("; no field matches the rules' keep_fields, so all are kept"),
    "basis_de_identified": gettext_noop("; de-identified to the fields the duty needs"),
    "basis_conflict": gettext_noop("; CONFLICT with %(law)s: legal must decide"),
    "basis_keep_then_delete": gettext_noop(
        "Keep until %(until)s under %(rule)s (%(period)s), then delete by %(delete_by)s"),
    "basis_waits_a_day": gettext_noop(
        ": the duty ends on the deletion deadline, so deletion waits a day"),
    "basis_retention_ended": gettext_noop(
        "Retention ended %(last)s, before the evaluation: %(then)s"),
    "basis_no_duty": gettext_noop("No retention duty applies: %(then)s"),
    "basis_open_matter": gettext_noop(
        "Open matter %(matters)s needs the data; once resolved: %(then)s"),
    "matter": gettext_noop("%(reference)s (%(type)s)"),
    "basis_subject_unknown": gettext_noop(
        "; subject jurisdiction unknown (OTHER): no subject-side law was considered"),
    # a conflict between the subject's data-protection law and a duty of other law
    "conflict_only_other": gettext_noop(
        "Only non-%(label)s law keeps this data past the deletion deadline: %(other)s. The "
        "subject is in %(subject)s: %(why)s. Legal must decide: archive until %(until)s as "
        "proposed, or delete by %(deadline)s."),
    "conflict_longer": gettext_noop(
        "%(other)s vs %(own)s: %(extra)s rest on non-%(label)s law only. The subject is in "
        "%(subject)s: %(why)s. Legal must decide: archive until %(until)s as proposed, or "
        "until %(own_until)s."),
    "duty": gettext_noop("%(rule)s (%(citation)s; %(period)s, to %(until)s)"),
    "extra_years": gettext_noop("years %(first)s to %(last)s"),
    "extra_days": gettext_noop("%(first)s to %(last)s"),
    # each rule's outcome: why it binds (or not), then what it does
    "outcome_retention": gettext_noop("; %(period)s from %(start)s (%(anchor)s) → %(until)s"),
    "outcome_not_past_deadline": gettext_noop(", not past the deletion deadline %(deadline)s"),
    "outcome_never_keep": gettext_noop("; never kept: delete now (only a legal hold stops it)"),
    "outcome_claims": gettext_noop("; %(claims)s"),
    "outcome_time_barred": gettext_noop(
        "; claims time-barred after about %(end)s (%(period)s from %(start)s)"),
    "outcome_integrity": gettext_noop(
        "; a record kept under a retention duty is kept whole, unaltered"),
    "outcome_erasure": gettext_noop("; %(erasure)s"),
    "erase_now": gettext_noop("erase now"),
    "erase_by": gettext_noop("erase by %(delete_by)s"),
    "erase_on": gettext_noop("erase on %(delete_by)s when retention ends; until then storage only"),
    "erase_waits": gettext_noop("erasure waits until the open matter is resolved"),
    "claims_never_keep": gettext_noop("never-keep data: a claim does not keep it"),
    "claims_open_matter": gettext_noop(
        "justifies keeping while open matter %(references)s is unresolved"),
    "claims_none": gettext_noop(
        "may justify keeping if a claim is pending — see open matters (none)"),
    # where a period starts
    "record_newest": gettext_noop("newest record"),
    "record_as_of": gettext_noop("the evaluation date (newest record date unknown)"),
    "start_end_of_calendar_year": gettext_noop("end of calendar year of %(basis)s"),
    "start_end_of_fiscal_year": gettext_noop("end of fiscal year (ends %(fy)s) of %(basis)s"),
    "start_fiscal_year_end_plus_months": gettext_noop(
        "%(months)s months after end of fiscal year (ends %(fy)s) of %(basis)s"),
    "start_creation": gettext_noop("creation of %(basis)s"),
    "start_last_transaction": gettext_noop("last transaction, taken as %(basis)s"),
    "start_delivery": gettext_noop("delivery, approximated by %(basis)s"),
    "start_liquidation_completion": gettext_noop(
        "completion of liquidation, taken as the deletion deadline"),
    # why a rule binds this company and subject, or does not
    "binds_every_subject": gettext_noop("windown policy for every subject"),
    "binds_subjects_in": gettext_noop("binds subjects in %(jurisdiction)s"),
    "subject_in_also": gettext_noop("; subject in %(subject)s"),
    "binds_established": gettext_noop(
        "binds all processing by a company established in %(jurisdiction)s, every customer's"),
    "binds_stored": gettext_noop(
        "binds all processing in %(jurisdiction)s: the data is stored there"),
    "unmet_registration_country": gettext_noop(
        "binds companies registered in %(wanted)s; company registered in %(actual)s"),
    "unmet_company_form": gettext_noop(
        "binds company form %(wanted)s; company form is %(actual)s"),
    "unmet_tax_registration": gettext_noop(
        "binds companies registered for %(wanted)s; company is not"),
    "unmet_attribute": gettext_noop("applies only if declared: %(wanted)s; not declared"),
    "met_registration_country": gettext_noop("company registered in %(met)s"),
    "met_company_form": gettext_noop("company form %(met)s"),
    "met_tax_registration": gettext_noop("company registered for %(met)s"),
    "met_attribute": gettext_noop("declared: %(met)s"),
    "met_subject": gettext_noop("subject in %(subject)s"),
    "and_also": gettext_noop(", %(more)s"),
    "outside_scope": gettext_noop("concerns subjects in %(scope)s only; subject in %(subject)s"),
    "cross_border_only": gettext_noop(
        "concerns cross-border sales only; subject in %(subject)s, the company's own country: "
        "its national period applies"),
}
# code: (singular, plural, the parameter that counts)
PLURALS = {
    "period_months": (*ngettext_lazy("%(n)s month", "%(n)s months"), "n"),
    "period_years": (*ngettext_lazy("%(n)s year", "%(n)s years"), "n"),
    "among_longest": (*ngettext_lazy("the longest of %(n)s duty", "the longest of %(n)s duties"),
                      "n"),
}
# fmt: on
OR = gettext_noop(" or ")
VERBATIM = "text"  # a text stored before reasons were structured: shown as it is


@dataclass(frozen=True)
class AnyOf:
    """Values offered as alternatives ("DE or AT")."""

    values: tuple[str, ...]


@dataclass(frozen=True)
class Choice:
    """A value of a vocabulary (an effect, a matter type) the reader sees by its label."""

    vocabulary: str
    value: str


Param = Union[str, int, date, "Reason", tuple["Reason", ...], AnyOf, Choice]


@dataclass(frozen=True)
class Reason:
    code: str
    params: tuple[tuple[str, Param], ...] = ()

    @classmethod
    def of(cls, code: str, **params: Param) -> Reason:
        if code not in TEXTS and code not in PLURALS:
            raise ValueError(f"unknown reason code {code!r}")
        return cls(code, tuple(params.items()))


def period(months: int) -> Reason:
    """Say a period: 96 -> '8 years', 18 -> '18 months'."""
    if months % 12:
        return Reason.of("period_months", n=months)
    return Reason.of("period_years", n=months // 12)


def joined(reasons: Iterable[Reason]) -> tuple[Reason, ...]:
    """Return reasons as one text, separated by commas ("a, b, c")."""
    found = tuple(reasons)
    return found[:1] + tuple(Reason.of("and_also", more=r) for r in found[1:])


def to_json(text: tuple[Reason, ...]) -> list[dict]:
    """Return a text (reasons read one after the other) in its stored form."""
    return [_reason_json(reason) for reason in text]


def _reason_json(reason: Reason) -> dict:
    return {"code": reason.code, "params": {k: _param_json(v) for k, v in reason.params}}


def _param_json(value: Param) -> Any:
    if isinstance(value, Reason):
        return _reason_json(value)
    if isinstance(value, tuple):
        return to_json(value)
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, AnyOf):
        return {"any_of": list(value.values)}
    if isinstance(value, Choice):
        return {"choice": value.vocabulary, "value": value.value}
    return value


def verbatim(text: str) -> list[dict]:
    """Return a plain text in stored form (shown as it is, in every language)."""
    return [{"code": VERBATIM, "params": {"text": text}}] if text else []


class English:
    """How render() words a text by default: the msgids as they are, ISO dates."""

    texts = TEXTS  # the codes it knows; a caller may add its own

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural

    def date(self, value: date) -> str:
        return value.isoformat()

    def choice(self, vocabulary: str, value: str) -> str:
        return value

    def param(self, name: str, value: str) -> str:
        """Word a plain-text parameter (e.g. a ruleset's citation or why), by its name."""
        return value


ENGLISH = English()


def render(stored: list[dict] | str, language: English = ENGLISH) -> str:
    """Word a stored text (a list of reasons; a legacy plain string as it is)."""
    if isinstance(stored, str):
        return stored
    return "".join(_render_reason(reason, language) for reason in stored or ())


def _render_reason(reason: dict, language: English) -> str:
    code, raw = reason.get("code", ""), reason.get("params") or {}
    params = {
        name: language.param(name, value)
        if isinstance(value, str)
        else _render_param(value, language)
        for name, value in raw.items()
    }
    if code in PLURALS:
        singular, plural, counter = PLURALS[code]
        template = language.ngettext(singular, plural, int(raw.get(counter, 0)))
    elif code in language.texts:
        template = language.gettext(language.texts[code])
    else:  # VERBATIM, or a code this version does not know: its parameters, as they are
        return str(params.get("text", "")) or " ".join(str(v) for v in params.values())
    try:
        return template % params
    except (KeyError, ValueError, TypeError):  # a broken translation: fall back to English
        return (language.texts.get(code) or PLURALS[code][1]) % params


def _render_param(value: Any, language: English) -> Any:
    if isinstance(value, list):
        return render(value, language)
    if isinstance(value, dict):
        if "code" in value:
            return _render_reason(value, language)
        if "date" in value:
            return language.date(date.fromisoformat(value["date"]))
        if "any_of" in value:
            return language.gettext(OR).join(value["any_of"])
        if "choice" in value:
            return language.choice(value["choice"], value["value"])
        if "message" in value:  # a message marked for translation elsewhere, or plain text
            return language.gettext(value["message"])
    return value
