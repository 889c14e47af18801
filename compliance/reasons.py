"""Render the engine's stored reasons in the reader's language (see compliance.engine.reasons)."""

from __future__ import annotations

from datetime import date

from django.utils import formats, translation
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from compliance.engine import Effect
from compliance.engine import reasons as engine_reasons
from compliance.rulesets.texts import INSTRUMENTS

# compliance's own notes, in the engine's stored form (code + parameters)
NOTES = {
    "back_in_review": gettext_noop(
        "Back in review: the proposal changed (%(before)s → %(after)s) after %(cause)s; the "
        "previous review (%(status)s%(reviewer)s) no longer applies."
    ),
    "disposition_until": gettext_noop("%(disposition)s until %(until)s"),
    "by_user": gettext_noop(" by user #%(id)s"),
    "rejected_by": gettext_noop("Rejected by %(who)s: %(reason)s"),
    # why an evaluation ran (the other causes are plain messages, see cause())
    "matter_opened": gettext_noop("matter %(reference)s opened"),
    "matter_resolved": gettext_noop("matter %(reference)s resolved"),
    "matters_imported": gettext_noop("matters imported from %(filename)s"),
    "ruleset_published": gettext_noop("ruleset %(version)s published"),
}
# Why an evaluation ran: a message marked with gettext_noop, or a note (a list)
Cause = str | list

EFFECT_LABELS = {
    Effect.RETENTION_MINIMUM.value: _("Retention minimum"),
    Effect.ERASURE_DUTY.value: _("Erasure duty"),
    Effect.NEVER_KEEP.value: _("Never kept"),
    Effect.LEGAL_CLAIMS.value: _("Legal claims"),
    Effect.RECORD_INTEGRITY.value: _("Record integrity"),
}


def _vocabularies() -> dict[str, dict]:
    from compliance.models import Decision, Disposition, OpenMatter

    return {
        "effect": EFFECT_LABELS,
        "matter_type": dict(OpenMatter.Type.choices),
        "disposition": dict(Disposition.choices),
        "status": dict(Decision.Status.choices),
    }


class _ActiveLanguage(engine_reasons.English):
    """Words a text with Django's catalogues in the active language, its dates by DATE_FORMAT."""

    texts = {**engine_reasons.TEXTS, **NOTES}

    def gettext(self, message: str) -> str:
        return gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return ngettext(singular, plural, n)

    def date(self, value: date) -> str:
        return formats.date_format(value)

    def choice(self, vocabulary: str, value: str) -> str:
        return str(_vocabularies().get(vocabulary, {}).get(value, value))

    def param(self, name: str, value: str) -> str:
        # the ruleset's texts the engine quotes, stored in English (engine/evaluate.py)
        if name in ("label", "why", "instrument"):
            return ruleset_text(value)
        if name in ("citation", "cited"):
            return citation(value)
        return value


ACTIVE = _ActiveLanguage()


def render(stored: list | str | None) -> str:
    """Word a stored text (the engine's reasons, or a note) in the active language."""
    return engine_reasons.render(stored or [], ACTIVE)


def ruleset_text(text: str) -> str:
    """Word a ruleset's text (a summary, note, instrument, a law's label or why) in the active
    language; a text the catalogue does not know (an edited rule's) reads as written."""
    return gettext(text) if text else ""


# longest first, so that an instrument is not taken for a shorter one it begins with
_INSTRUMENTS = sorted(INSTRUMENTS, key=len, reverse=True)


def citation(text: str) -> str:
    """Word citations ("instrument, article", several joined by "; ") in the active language:
    the instrument translated, the article as it is."""
    return "; ".join(_citation(part) for part in text.split("; "))


def _citation(part: str) -> str:
    for instrument in _INSTRUMENTS:
        if part == instrument or part.startswith(f"{instrument}, "):
            return ruleset_text(instrument) + part[len(instrument) :]
    return part


def note(code: str, **params) -> list[dict]:
    """Return one of compliance's notes in stored form (render() words it)."""
    if code not in NOTES:
        raise ValueError(f"unknown note {code!r}")
    return [{"code": code, "params": params}]


def cause(reason: Cause) -> dict | list:
    """Return why an evaluation ran as a reason's parameter."""
    return reason if isinstance(reason, list) else message(reason)


def in_english(reason: Cause) -> str:
    """Word a cause in English (the audit trail's payload)."""
    if isinstance(reason, str):
        return reason
    with translation.override("en"):
        return render(reason)


def message(text: str) -> dict:
    """Return a parameter worded through the catalogue (a gettext_noop-marked text, or any)."""
    return {"message": text}


def choice(vocabulary: str, value: str) -> dict:
    return {"choice": vocabulary, "value": value}


def effect_label(effect: str) -> str:
    return str(EFFECT_LABELS.get(effect, effect))
