"""Say in plain language what a decision means for the data (shown on the decision's page)."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compliance.models import Decision
from compliance.models.decisions import Disposition
from compliance.reasons import citation


def _date(day) -> str:
    return date_format(day) if day else ""


def _what(disposition: str, retain_until, delete_by, keep: list, drop: list) -> str:
    retain_until, delete_by = _date(retain_until), _date(delete_by)
    if disposition == Disposition.DELETE_NOW:
        return _(
            "These records must never be kept (secrets, full card numbers): delete them now, "
            "whatever else applies."
        )
    if disposition == Disposition.DELETE and retain_until:
        return _(
            "A retention duty keeps these records until %(until)s: keep them until then, then "
            "delete them by %(date)s (not before)."
        ) % {"until": retain_until, "date": delete_by}
    if disposition == Disposition.DELETE:
        return _("No obligation keeps these records: delete them by %(date)s.") % {
            "date": delete_by
        }
    if disposition == Disposition.ARCHIVE:
        text = _(
            "A statutory retention duty applies: archive these records encrypted and offline, "
            "restricted to storage and security, until %(until)s, then delete them by %(date)s."
        ) % {"until": retain_until, "date": delete_by}
        if keep:
            text += " " + _("The archive keeps: %(keep)s.") % {"keep": ", ".join(keep)}
        if drop:
            text += " " + _("Dropped, not kept in the archive: %(drop)s.") % {
                "drop": ", ".join(drop)
            }
        return text
    return _(
        "An open matter (order, return, complaint, dispute or chargeback) needs these "
        "records: keep them whole until it is resolved; then they are evaluated again."
    )


def decision_sentences(decision: Decision) -> list[str]:
    """Return the explanation, one sentence per line: what happens, why, who decided."""
    sentences = [
        _what(
            decision.disposition,
            decision.retain_until,
            decision.delete_by,
            decision.keep_fields,
            decision.drop_fields,
        )
    ]
    applied = [o["citation"] for o in decision.considered if o["applied"]]
    if applied:
        sentences.append(
            _("Rules that apply: %(rules)s.") % {"rules": citation("; ".join(applied))}
        )
    if decision.conflict:
        sentences.append(
            _("Obligations disagree in a way the machine must not settle: legal decides.")
        )
    status = decision.status
    if status == Decision.Status.APPROVED:
        sentences.append(
            _("Legal (%(who)s) approved this proposal on %(when)s.")
            % {"who": decision.approved_by, "when": _date(decision.approved_at)}
        )
    elif status in (Decision.Status.PENDING_SECOND_APPROVAL, Decision.Status.OVERRIDDEN):
        override = _what(
            decision.override_disposition,
            decision.override_retain_until,
            decision.override_delete_by,
            [],
            [],
        )
        sentences.append(
            _("Legal (%(who)s) overrode the proposal: %(what)s Reason: %(reason)s")
            % {"who": decision.overridden_by, "what": override, "reason": decision.override_reason}
        )
        if status == Decision.Status.OVERRIDDEN:
            sentences.append(
                _("A second legal member (%(who)s) approved the override: it is in force.")
                % {"who": decision.second_approver}
            )
        else:
            sentences.append(_("The override takes effect once another legal member approves it."))
    elif status == Decision.Status.STALE:
        sentences.append(_("Something it depends on changed: it is being evaluated again."))
    else:
        sentences.append(_("Proposed by the engine; legal has not reviewed it yet."))
    return sentences
