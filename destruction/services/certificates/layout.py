"""What the certificate's pages show, derived from its record only (so the PDF = the record)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils import translation

from destruction.models import DestructionJob, JobItem
from destruction.models.sanitization import SanitizationLevel
from destruction.services.gates import gate_titles
from windown.models import WindDown


def _choice(choices, value: str) -> str:
    """Return a choice's label as "中文 / English" (or the value if it is not a choice)."""
    if not value:
        return ""
    return _both(dict(choices).get(value, value))


def _both(label) -> str:
    with translation.override("en"):
        english = str(label)
    with translation.override("zh-hans"):
        chinese = str(label)
    return english if english == chinese else f"{chinese} / {english}"


def _gates(results: list[dict]) -> list[dict[str, Any]]:
    """Summarise the gates stored at performance: per gate, how many checks passed."""
    titles = {number: _both(title) for number, title in gate_titles().items()}
    by_gate: dict[int, dict[str, Any]] = defaultdict(lambda: {"passed": 0, "total": 0})
    for result in results:
        gate = by_gate[result["gate"]]
        gate["gate"], gate["name"] = result["gate"], titles.get(result["gate"], result["name"])
        gate["total"] += 1
        gate["passed"] += bool(result["passed"])
        if not result["passed"]:
            gate.setdefault("failures", []).append(result["message"])
    return [by_gate[g] for g in sorted(by_gate)]


def certificate_context(record: dict[str, Any]) -> dict[str, Any]:
    job = record["job"]
    items = [
        {
            **item,
            "kind_label": _choice(JobItem.Kind.choices, item["kind"]),
            "media_label": _choice(JobItem.MediaType.choices, item["media_type"]),
            "outcome_label": _choice(JobItem.Outcome.choices, item["outcome"]),
            "identity": " · ".join(
                p
                for p in (
                    item["manufacturer"],
                    item["model"],
                    item["serial_number"] and f"S/N {item['serial_number']}",
                    item["asset_number"] and f"Asset {item['asset_number']}",
                )
                if p
            ),
        }
        for item in record["items"]
    ]
    decisions = {d["id"]: d for item in record["items"] for d in item["decisions"]}
    proof = record.get("inclusion_proof", {})
    return {
        "record": record,
        "company_form": _choice(
            WindDown._meta.get_field("company_form").choices, record["issuer"]["company_form"]
        ),
        "level": _choice(SanitizationLevel.choices, job["sanitization_level"]),
        "technique": _choice(DestructionJob._meta.get_field("technique").choices, job["technique"]),
        "parameters": [
            (DestructionJob._meta.get_field(name).verbose_name, value)
            for name, value in job["technique_parameters"].items()
        ],
        "verification_method": _choice(
            DestructionJob.VerificationMethod.choices, job["verification"]["method"]
        ),
        "items": items,
        "processors": [item for item in items if item["processor"]],
        "decisions": sorted(decisions.values(), key=lambda d: d["id"]),
        "gates": _gates(record["authorisation"]["gates_at_performance"]),
        "checkpoint_lines": record.get("checkpoint", "").splitlines()[:3],
        "proof": proof,
        "many_items": len(items) > 12,
    }
