"""Build the email of a processor request (instruction or reminder) from its language's template.

Multipart text + HTML, the email row's stable Message-ID (a retried send reuses it), reminders
threaded under the instruction, non-ASCII subjects RFC 2047-encoded by Django.
"""

from __future__ import annotations

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django_countries import countries

from destruction.models import ProcessorEmail, ProcessorRequest
from destruction.processor_links import confirmation_url
from notices.defaults import category_labels
from notices.messages import format_date
from windown.headers import EmailMultiAlternatives

BUTTON = {"en": "Confirm the deletion", "de": "Löschung bestätigen", "zh-hans": "确认删除"}
SPECIAL = {
    "en": {"US-CA": "California (US)", "OTHER": "other"},
    "de": {"US-CA": "Kalifornien (USA)", "OTHER": "sonstige"},
    "zh-hans": {"US-CA": "美国加利福尼亚州", "OTHER": "其他"},
}


def jurisdiction_names(codes: list[str], language: str) -> str:
    """Name each jurisdiction in `language`, followed by its code."""
    names = []
    with translation.override(language):
        for code in codes:
            name = SPECIAL[language].get(code) or countries.name(code) or code
            names.append(f"{name} ({code})")
    return ", ".join(names)


def record_count(value: int, language: str) -> str:
    with translation.override(language):
        return formats.number_format(value, use_l10n=True, force_grouping=True)


def category_label(category, language: str) -> str:
    if language == ProcessorRequest.Language.ZH_HANS and category.label_zh:
        return category.label_zh
    if language == ProcessorRequest.Language.DE:
        return category_labels("de").get(category.key, category.label_en)
    return category.label_en


def email_context(request: ProcessorRequest, email: ProcessorEmail) -> dict:
    language = request.language
    winddown = request.winddown
    company = winddown.company_legal_name
    if language == ProcessorRequest.Language.ZH_HANS and winddown.company_local_name:
        company = winddown.company_local_name
    sender = request.created_by.user if request.created_by else None
    return {
        "language": language,
        "reference": request.reference,
        "company_name": company,
        "processor_name": request.processor_name,
        "contact_name": request.contact_name,
        "system_name": request.system.name,
        "legal_basis": request.legal_basis,
        "message": request.message,
        "deadline": format_date(request.deadline, language),
        "sent_date": format_date(request.sent_at.date(), language) if request.sent_at else "",
        "link": confirmation_url(request, email.link_expires),
        "link_expires": format_date(email.link_expires, language),
        "reminder": email.kind == ProcessorEmail.Kind.REMINDER,
        "number": email.number,
        "sender_name": (sender.display_name or sender.email) if sender else company,
        "categories": [
            {
                "key": item.category.key,
                "label": category_label(item.category, language),
                "jurisdictions": jurisdiction_names(item.jurisdictions, language),
                "records": record_count(item.records_total, language),
            }
            for item in request.items.select_related("category")
        ],
    }


def build_processor_email(email: ProcessorEmail) -> EmailMultiAlternatives:
    """Assemble the multipart/alternative message of one processor email."""
    request = email.request
    context = email_context(request, email)
    folder = f"destruction/processor_email/{request.language}"
    subject = " ".join(render_to_string(f"{folder}/subject.txt", context).split())
    text = render_to_string(f"{folder}/body.txt", context).strip() + "\n"
    html = render_to_string(
        "destruction/processor_email/body.html",
        {**context, "subject": subject, "text": text, "button": BUTTON[request.language]},
    )
    headers = {
        "Message-ID": email.message_id,
        "Content-Language": request.language if request.language != "zh-hans" else "zh-Hans",
        "Auto-Submitted": "auto-generated",
    }
    first = request.emails.filter(kind=ProcessorEmail.Kind.INSTRUCTION).first()
    if first is not None and first.pk != email.pk:
        headers["In-Reply-To"] = headers["References"] = first.message_id
    reply_to = request.created_by.user.email if request.created_by else ""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=formataddr(
            (request.winddown.company_legal_name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
        ),
        to=[email.to],
        reply_to=[reply_to] if reply_to else None,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message
