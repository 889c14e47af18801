"""The processor's side: the confirmation form behind a signed, expiring link (no account).

Tampered links get 403, expired or withdrawn ones 410, too many hits 429; an answered request
shows its answer read-only, and a second submission is refused (409) without changing anything.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signing import BadSignature
from django.shortcuts import redirect, render
from django.utils import formats, timezone, translation
from django.views import View

from destruction.forms.processors import AnswerForm, page_texts
from destruction.models import ProcessorRequest
from destruction.processor_links import LinkExpired, read_token
from destruction.processor_mail import category_label, jurisdiction_names, record_count
from destruction.services.processor_answers import RequestLocked, processor_request_answer
from windown.ratelimit import over_rate

PUBLIC = "destruction/public/"


def _limited(request) -> bool:
    return over_rate(
        request, scope="destruction:processor-page", rate=settings.DESTRUCTION_PROCESSOR_PAGE_RATE
    )


def _language(request, processor_request=None) -> str:
    if processor_request is not None:
        return processor_request.language
    header = request.headers.get("Accept-Language", "").lower()
    for code in ("zh", "de"):
        if header.startswith(code):
            return "zh-hans" if code == "zh" else code
    return "en"


def _names(processor_request: ProcessorRequest | None) -> dict[str, str]:
    if processor_request is None:
        return {"company": "", "processor": "", "system": ""}
    winddown = processor_request.winddown
    company = winddown.company_legal_name
    if processor_request.language == "zh-hans" and winddown.company_local_name:
        company = winddown.company_local_name
    return {
        "company": company,
        "processor": processor_request.processor_name,
        "system": processor_request.system.name,
    }


def _problem(request, status: int, key: str, processor_request=None):
    language = _language(request, processor_request)
    texts = page_texts(language, **_names(processor_request))
    return render(
        request,
        f"{PUBLIC}problem.html",
        {"title": texts[f"{key}_title"], "text": texts[f"{key}_text"], "language": language},
        status=status,
    )


class ProcessorConfirmView(View):
    """Show the form (or the locked answer) and take the one submission."""

    def dispatch(self, request, slug, token):
        if _limited(request):
            return _problem(request, 429, "limited")
        try:
            request_id = read_token(token)
        except BadSignature:
            return _problem(request, 403, "forbidden")
        except LinkExpired as expired:
            found = ProcessorRequest.objects.filter(pk=expired.request_id).first()
            return _problem(request, 410, "gone", found)
        found = (
            ProcessorRequest.objects.select_related("winddown", "system")
            .filter(pk=request_id, winddown__slug=slug)
            .first()
        )
        if found is None:
            return _problem(request, 403, "forbidden")
        if found.status == ProcessorRequest.Status.CANCELLED:
            return _problem(request, 410, "cancelled", found)
        if found.status == ProcessorRequest.Status.DRAFT:
            return _problem(request, 403, "forbidden")
        self.processor_request = found
        self.texts = page_texts(found.language, **_names(found))
        with translation.override(found.language):
            return super().dispatch(request, slug=slug, token=token)

    def _page(self, request, *, form=None, status=200, locked_notice=False):
        processor_request = self.processor_request
        language = processor_request.language
        items = [
            {
                "item": item,
                "label": category_label(item.category, language),
                "jurisdictions": jurisdiction_names(item.jurisdictions, language),
                "records": record_count(item.records_total, language),
            }
            for item in processor_request.items.select_related("category")
        ]
        answered = processor_request.status == ProcessorRequest.Status.ANSWERED
        texts = dict(self.texts)
        if answered:
            with translation.override(language):
                when = formats.date_format(
                    timezone.localtime(processor_request.answered_at), "DATETIME_FORMAT"
                )
            texts["answered_text"] = texts["answered_text"].format(
                answered_at=when,
                attester=f"{processor_request.attester_name} ({processor_request.attester_role})",
            )
        rows = []
        if form is not None:
            for row in items:
                pk = row["item"].pk
                rows.append(
                    {
                        **row,
                        "answer": form[f"answer_{pk}"],
                        "basis": form[f"retention_basis_{pk}"],
                        "reason": form[f"refusal_reason_{pk}"],
                    }
                )
        with translation.override(language):
            deadline = formats.date_format(processor_request.deadline, "DATE_FORMAT")
        return render(
            request,
            f"{PUBLIC}processor_confirm.html",
            {
                "t": texts,
                "language": language,
                "pr": processor_request,
                "deadline": deadline,
                "items": items,
                "rows": rows,
                "form": form,
                "answered": answered,
                "locked_notice": locked_notice,
            },
            status=status,
        )

    def _add_errors(self, form, error: ValidationError) -> None:
        """Show the service's errors in the processor's language (by error code)."""
        fields = error.error_dict.items() if hasattr(error, "error_dict") else [(None, error)]
        for field, errors in fields:
            errors = errors if isinstance(errors, list) else errors.error_list
            for each in errors:
                text = self.texts.get(f"error_{each.code}") or " ".join(each.messages)
                form.add_error(field if field in form.fields else None, text)

    def get(self, request, slug, token):
        if self.processor_request.status == ProcessorRequest.Status.ANSWERED:
            return self._page(request)
        form = AnswerForm(request=self.processor_request, texts=self.texts)
        return self._page(request, form=form)

    def post(self, request, slug, token):
        processor_request = self.processor_request
        if processor_request.status == ProcessorRequest.Status.ANSWERED:
            return self._page(request, status=409, locked_notice=True)
        form = AnswerForm(request.POST, request.FILES, request=processor_request, texts=self.texts)
        if form.is_valid():
            data = form.cleaned_data
            try:
                processor_request_answer(
                    request=processor_request,
                    answers=form.answers(),
                    attester_name=data["attester_name"],
                    attester_role=data["attester_role"],
                    attester_email=data["attester_email"],
                    attested=data["attested"],
                    remarks=data["remarks"],
                    certificate=data.get("certificate"),
                )
            except RequestLocked:
                processor_request.refresh_from_db()
                return self._page(request, status=409, locked_notice=True)
            except ValidationError as error:
                self._add_errors(form, error)
            else:
                return redirect(request.path)
        return self._page(request, form=form, status=400)
