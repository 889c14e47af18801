"""The certificate's record: everything the certificate states, as canonical JSON (record.json).

The record is built from the database at issuance, stored on the certificate and embedded in the
PDF unchanged. Codes are stored with their English labels; the PDF prints both languages.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext_lazy

from compliance.models import Decision
from compliance.reasons import in_english
from destruction.models import DestructionJob, JobItem, ProcessorRequest
from destruction.selectors.jobs import decision_of, evidence_of
from windown.models import Membership

FORMAT = "windown-certificate/1"
IEEE_2883 = {"clear": "Clear", "purge": "Purge", "destroy": "Destruct"}
ATTESTATION = gettext_lazy(
    "%(company)s attests that the items listed in this certificate were sanitized by the method "
    "stated, that the sanitization was verified as stated, and that this record is complete and "
    "true."
)


def _attestation(company: str) -> dict[str, str]:
    texts = {}
    for key, language in (("en", "en"), ("zh_hans", "zh-hans")):
        with translation.override(language):
            texts[key] = str(ATTESTATION) % {"company": company}
    return texts


def record_json(record: dict[str, Any]) -> bytes:
    """Serialise a record canonically: sorted keys, UTF-8, no insignificant whitespace."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _label(model, field: str, value: str) -> str:
    with translation.override("en"):
        return str(dict(model._meta.get_field(field).choices).get(value, value)) if value else ""


def _person(job: DestructionJob, role: str) -> dict[str, str]:
    return {part: getattr(job, f"{role}_{part}") for part in ("name", "title", "contact")}


def _member(membership: Membership | None) -> dict[str, str] | None:
    if membership is None:
        return None
    return {
        "name": membership.user.get_full_name() or membership.user.email,
        "email": membership.user.email,
        "role": membership.role,
    }


def _user(user) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


def _decision(decision: Decision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "id": decision.pk,
        "status": decision.status,
        "disposition": getattr(decision, "effective_disposition", decision.disposition),
        "ruleset_version": decision.ruleset.version,
        "basis": in_english(decision.basis_reasons),  # records are written in English
        "approved_by": _user(decision.approved_by),
        "approved_at": _plain(decision.approved_at),
        "override_reason": decision.override_reason,
        "overridden_by": _user(decision.overridden_by),
        "second_approver": _user(decision.second_approver),
    }


def _processor(request: ProcessorRequest) -> dict[str, Any]:
    return {
        "processor": request.processor_name,
        "status": request.status,
        "attested": request.attested,
        "attester": {
            "name": request.attester_name,
            "role": request.attester_role,
            "email": request.attester_email,
        },
        "answered_at": _plain(request.answered_at),
        "remarks": request.answer_remarks,
        "certificate": {"name": request.certificate_name, "sha256": request.certificate_sha256},
        "answers": [
            {
                "category": item.category.key,
                "jurisdictions": item.jurisdictions,
                "answer": item.answer,
                "retention_basis": item.retention_basis,
                "refusal_reason": item.refusal_reason,
            }
            for item in request.items.all()
        ],
    }


def _item(item: JobItem) -> dict[str, Any]:
    holding = item.holding
    system = item.system or (holding.system if holding else None)
    if item.processor_request_id:
        system = system or item.processor_request.system
    categories, jurisdictions, decisions = [], [], []
    if holding is not None:
        categories, jurisdictions = [holding.category.key], [holding.jurisdiction]
        decisions = [decision_of(holding)]
    elif item.kind == JobItem.Kind.ARCHIVE_SHRED:
        archived = item.archive.decision.holding
        categories, jurisdictions = [archived.category.key], [archived.jurisdiction]
        decisions = [Decision.objects.with_effective().get(pk=item.archive.decision_id)]
    elif item.processor_request_id:
        answers = item.processor_request.items.all()
        categories = sorted({a.category.key for a in answers})
        jurisdictions = sorted({j for a in answers for j in a.jurisdictions})
    elif system is not None:  # media: what the system held, and the decisions that allowed it
        held = list(system.holdings.select_related("category", "decision__ruleset"))
        categories = sorted({h.category.key for h in held})
        jurisdictions = sorted({h.jurisdiction for h in held})
        decisions = [decision_of(h) for h in held]
    return {
        "id": item.pk,
        "kind": item.kind,
        "label": item.label,
        "manufacturer": item.manufacturer or (system.make if system else ""),
        "model": item.model or (system.model if system else ""),
        "serial_number": item.serial_number or (system.serial_number if system else ""),
        "asset_number": item.asset_number or (system.asset_number if system else ""),
        "media_type": item.media_type,
        "media_type_label": _label(JobItem, "media_type", item.media_type),
        "source": {
            "system": system.name if system else "",
            "kind": system.kind if system else "",
            "holding_source": holding.source if holding else "",
        },
        "data_categories": categories,
        "jurisdictions": [str(j) for j in jurisdictions],
        "outcome": item.outcome,
        "exception": item.exception_text,
        "decisions": [d for d in map(_decision, decisions) if d],
        "processor": _processor(item.processor_request) if item.processor_request_id else None,
        "archive": item.archive.reference if item.archive_id else "",
    }


def _vendor(job: DestructionJob) -> dict[str, Any] | None:
    if job.vendor is None:
        return None
    return {
        "name": job.vendor.name,
        "certifications": [
            {
                "scheme": c.scheme,
                "number": c.number,
                "issuer": c.issuer,
                "valid_from": _plain(c.valid_from),
                "expires_on": _plain(c.expires_on),
                "copy_sha256": c.copy_sha256,
            }
            for c in job.vendor.certifications.all()
        ],
        "override": {
            "reason": job.vendor_override_reason,
            "by": _user(job.vendor_override_by),
            "at": _plain(job.vendor_override_at),
        }
        if job.vendor_overridden
        else None,
    }


def job_items(job: DestructionJob):
    return job.items.select_related(
        "holding__system",
        "holding__category",
        "system",
        "archive__decision__holding__category",
        "processor_request__system",
    ).prefetch_related(
        Prefetch(
            "holding__decision",
            queryset=Decision.objects.with_effective().select_related(
                "ruleset", "approved_by", "overridden_by", "second_approver"
            ),
        ),
        "processor_request__items__category",
    )


def record_build(
    *,
    job: DestructionJob,
    serial: str,
    issued_at: datetime,
    issued_by: Membership,
    replaces: str,
    root_fingerprint: str,
    tsa_url: str,
) -> dict[str, Any]:
    """Return everything the certificate states about `job` (without checkpoint and proof)."""
    winddown = job.winddown
    items = [_item(item) for item in job_items(job)]
    company = winddown.company_legal_name
    return {
        "format": FORMAT,
        "serial": serial,
        "issued_at": _plain(issued_at),
        "issued_by": _member(issued_by),
        "replaces": replaces,
        "issuer": {
            "company_legal_name": company,
            "company_local_name": winddown.company_local_name,
            "registration_country": str(winddown.registration_country),
            "company_form": winddown.company_form,
            "tax_registrations": winddown.tax_registrations,
        },
        "winddown": {
            "slug": winddown.slug,
            "deletion_deadline": _plain(winddown.deletion_deadline),
        },
        "job": {
            "reference": job.reference,
            "title": job.title,
            "sanitization_level": job.sanitization_level,
            "ieee_2883": IEEE_2883.get(job.sanitization_level, ""),
            "technique": job.technique,
            "technique_label": _label(DestructionJob, "technique", job.technique),
            "technique_parameters": {k: _plain(v) for k, v in job.technique_parameters.items()},
            "verification_query_result": job.verification_query_result,
            "tool": job.tool,
            "tool_version": job.tool_version,
            "location": job.location,
            "started_at": _plain(job.started_at),
            "finished_at": _plain(job.finished_at),
            "performer": _person(job, "performer"),
            "validator": _person(job, "validator"),
            "witness": _person(job, "witness"),
            "verification": {
                "method": job.verification_method,
                "sample_percent": _plain(job.verification_sample_percent),
                "result": job.verification_result,
                "verified_at": _plain(job.verified_at),
            },
        },
        "items": items,
        "custody": [
            {
                "from": h.from_party,
                "to": h.to_party,
                "at": _plain(h.handed_over_at),
                "place": h.place,
                "seal_ids": h.seal_ids,
                "notes": h.notes,
            }
            for h in job.handovers.all()
        ],
        "vendor": _vendor(job),
        "authorisation": {
            "decision_ids": sorted({d["id"] for i in items for d in i["decisions"]}),
            "ruleset_versions": sorted(
                {d["ruleset_version"] for i in items for d in i["decisions"]}
            ),
            "gates_at_performance": job.gates_at_performance,
        },
        "evidence": [
            {
                "name": e.original_name,
                "kind": e.kind,
                "size": e.size,
                "sha256": e.sha256,
                "uploaded_at": _plain(e.uploaded_at),
            }
            for e in evidence_of(job).order_by("uploaded_at", "pk")
        ],
        "attestation": _attestation(company),
        "signature": {
            "root_certificate_sha256": root_fingerprint,
            "timestamp_authority": tsa_url,
            "signing_time": "RFC 3161 timestamp" if tsa_url else "claimed by the signer",
        },
    }
