"""Forms of the processor requests: IT's draft, the checklist, and the processor's answer."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from django import forms
from django.utils.translation import gettext_lazy as _

from destruction.models import ProcessorRequest, ProcessorRequestItem, RevocationItem
from inventory.models import DataSystem

TEXTS = Path(__file__).resolve().parent.parent / "processor_texts"


@cache
def _texts(language: str) -> dict[str, str]:
    with (TEXTS / f"{language}.yaml").open(encoding="utf-8") as file:
        return yaml.safe_load(file)


class _Later(dict):
    """Leave placeholders filled only later (the answer's date and attester) as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def page_texts(language: str, **values: str) -> dict[str, str]:
    """The confirmation page's texts in `language` (en, de, zh-hans), with names filled in."""
    if language not in ProcessorRequest.Language.values:
        language = ProcessorRequest.Language.EN
    return {key: text.format_map(_Later(values)) for key, text in _texts(language).items()}


class ProcessorRequestForm(forms.Form):
    system = forms.ModelChoiceField(DataSystem.objects.none(), label=_("System"))
    processor_name = forms.CharField(
        label=_("Processor"),
        max_length=200,
        required=False,
        help_text=_("Default: the data map's."),
    )
    processor_email = forms.EmailField(
        label=_("Processor's contact email"),
        required=False,
        help_text=_("Default: the data map's."),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=ProcessorRequest.Language.choices)
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Default: the configured number of days after sending."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Default: derived from the subjects' jurisdictions."),
    )
    message = forms.CharField(
        label=_("Note to the processor"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, winddown, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = DataSystem.objects.filter(winddown=winddown).order_by(
            "name"
        )


class ProcessorRequestEditForm(forms.Form):
    """A draft's contact, language, deadline, legal basis and note."""

    processor_name = forms.CharField(label=_("Processor"), max_length=200)
    processor_email = forms.EmailField(label=_("Processor's contact email"))
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=ProcessorRequest.Language.choices)
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    legal_basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 4}))
    message = forms.CharField(
        label=_("Note to the processor"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @classmethod
    def for_request(cls, request: ProcessorRequest, data=None):
        initial = {name: getattr(request, name) for name in cls.base_fields}
        return cls(data, initial=initial)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2})
    )


class RevocationForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RevocationItem.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class AnswerForm(forms.Form):
    """The processor's answer: one choice per category, then the attestation."""

    attester_name = forms.CharField(max_length=200, required=False)
    attester_role = forms.CharField(max_length=200, required=False)
    attester_email = forms.CharField(max_length=254, required=False)
    attested = forms.BooleanField(required=False)
    remarks = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    certificate = forms.FileField(required=False)

    def __init__(self, *args, request: ProcessorRequest, texts: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(request.items.select_related("category"))
        choices = [(value, texts[value]) for value in ProcessorRequestItem.Answer.values]
        for item in self.items:
            self.fields[f"answer_{item.pk}"] = forms.ChoiceField(
                choices=choices, required=False, widget=forms.RadioSelect, label=texts["answer"]
            )
            self.fields[f"retention_basis_{item.pk}"] = forms.CharField(
                required=False, max_length=2000, label=texts["retention_basis"]
            )
            self.fields[f"refusal_reason_{item.pk}"] = forms.CharField(
                required=False, max_length=2000, label=texts["refusal_reason"]
            )
        for name in ("attester_name", "attester_role", "attester_email", "remarks", "certificate"):
            self.fields[name].label = texts[name]
        self.fields["attested"].label = texts["attested"]

    def answers(self) -> dict[int, dict[str, str]]:
        data = self.cleaned_data
        return {
            item.pk: {
                "answer": data.get(f"answer_{item.pk}") or "",
                "retention_basis": data.get(f"retention_basis_{item.pk}") or "",
                "refusal_reason": data.get(f"refusal_reason_{item.pk}") or "",
            }
            for item in self.items
        }
