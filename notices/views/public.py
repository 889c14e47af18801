"""The customer's side: the personal page (signed, expiring link, no account) and unsubscribe."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signing import BadSignature
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from notices.defaults import page_texts
from notices.messages import LOCAL_SCRIPT_LANGUAGES, format_date
from notices.models import Language, Recipient, SubjectRequest
from notices.selectors import appeal_window_end, jurisdiction_summary
from notices.services.recipients import recipient_unsubscribe
from notices.services.requests import request_submit
from notices.tokens import PERSONAL_SALT, UNSUBSCRIBE_SALT, TokenExpired, read_token
from windown.ratelimit import over_rate, seconds_to_retry


def _client_language(request) -> str:
    header = request.headers.get("Accept-Language", "")
    for part in header.split(","):
        code = Language.normalise(part.split(";")[0])
        if code != Language.EN or part.strip().lower().startswith("en"):
            return code
    return Language.EN


def _context(recipient: Recipient) -> dict[str, str]:
    winddown = recipient.winddown
    company = winddown.company_legal_name
    if recipient.language in LOCAL_SCRIPT_LANGUAGES and winddown.company_local_name:
        company = winddown.company_local_name
    return {
        "company_name": company,
        "customer_name": recipient.name,
        "deletion_date": format_date(winddown.deletion_deadline, recipient.language),
        "support_email": winddown.support_email,
        "support_phone": winddown.support_phone,
    }


def _problem(request, status: int, key: str, language: str, context=None):
    texts = page_texts(language, context or {"company_name": "", "customer_name": ""})
    return render(
        request,
        "notices/public/problem.html",
        {"title": texts[f"{key}_title"], "text": texts[f"{key}_text"], "language": language},
        status=status,
    )


def _too_many(request, language: str):
    """The friendly 429, in the customer's language, saying when to try again."""
    seconds = seconds_to_retry()
    context = {"company_name": "", "customer_name": "", "retry_seconds": str(seconds)}
    response = _problem(request, 429, "limited", language, context)
    response["Retry-After"] = str(seconds)
    return response


def _recipient_language(recipient_id: int) -> str:
    language = Recipient.objects.filter(pk=recipient_id).values_list("language", flat=True)
    return language.first() or Language.EN


class _TokenView(View):
    """Open a signed link, rate-limited so that nobody can lock other customers out.

    A genuine link (a valid signature, expired or not) is limited per customer
    (NOTICES_PAGE_TOKEN_RATE): a client hammering its own link behind an address it shares
    with others slows only itself. A link that is not genuine (guessing) counts against the
    client's address (NOTICES_PAGE_RATE), which genuine links never touch.
    """

    salt = PERSONAL_SALT

    def dispatch(self, request, slug, token, **kwargs):
        try:
            recipient_id = read_token(token, salt=self.salt)
        except BadSignature:
            if over_rate(request, scope="notices:page", rate=settings.NOTICES_PAGE_RATE):
                return _too_many(request, _client_language(request))
            return _problem(request, 403, "forbidden", _client_language(request))
        except TokenExpired as expired:
            recipient_id = expired.recipient_id
            if self._limited(request, recipient_id):
                return _too_many(request, _recipient_language(recipient_id))
            recipient = Recipient.objects.filter(pk=recipient_id).first()
            language = recipient.language if recipient else _client_language(request)
            return _problem(request, 410, "gone", language)
        if self._limited(request, recipient_id):
            return _too_many(request, _recipient_language(recipient_id))
        recipient = (
            Recipient.objects.select_related("winddown")
            .filter(pk=recipient_id, winddown__slug=slug)
            .first()
        )
        if recipient is None:
            return _problem(request, 403, "forbidden", _client_language(request))
        self.recipient = recipient
        with translation.override(recipient.language):
            return super().dispatch(request, slug=slug, token=token, **kwargs)

    def _limited(self, request, recipient_id: int) -> bool:
        rate = settings.NOTICES_PAGE_TOKEN_RATE
        return over_rate(request, scope=f"notices:{self.salt}", rate=rate, key=str(recipient_id))

    def page(self, request, template: str, **extra):
        recipient = self.recipient
        context = _context(recipient)
        return render(
            request,
            template,
            {
                "t": page_texts(recipient.language, context),
                "language": recipient.language,
                "recipient": recipient,
                **context,
                **extra,
            },
        )


def _copy(request, subject_request, now) -> tuple[str, str] | None:
    """The download link and last day of a compiled copy the customer may still fetch."""
    export = getattr(subject_request, "export", None)
    if export is None or export.expires_at <= now:
        return None
    language = subject_request.recipient.language
    until = format_date(timezone.localdate(export.expires_at), language)
    return f"{request.path}requests/{subject_request.pk}/copy/", until


class PersonalPageView(_TokenView):
    """What happens to the customer's data, and their requests."""

    def get(self, request, slug, token, refused: str = ""):
        recipient = self.recipient
        submitted = recipient.requests.filter(pk=request.GET.get("sent") or 0).first()
        submitted_text = ""
        if submitted:
            due = format_date(submitted.due_date, recipient.language)
            submitted_text = page_texts(recipient.language, {"due_date": due})["submitted"]
        now = timezone.now()
        requests = [
            (r, format_date(r.due_date, recipient.language), _copy(request, r, now))
            for r in recipient.requests.select_related("export").order_by("-created_at")[:20]
        ]
        # A customer sent the completion receipt may appeal until its window ends.
        until = appeal_window_end(recipient)
        appeal_open = until is not None and timezone.localdate() <= until
        types = [t for t in SubjectRequest.Type.values if appeal_open or t != "appeal"]
        appeal_text = ""
        if appeal_open:
            appeal_until = format_date(until, recipient.language)
            appeal_text = page_texts(recipient.language, {"appeal_until": appeal_until})[
                "appeal_open"
            ]
        return self.page(
            request,
            "notices/public/personal_page.html",
            summary=jurisdiction_summary(recipient),
            types=types,
            requests=requests,
            submitted_text=submitted_text,
            appeal_text=appeal_text,
            refused_text=refused,
        )

    def post(self, request, slug, token):
        kind = request.POST.get("type", "")
        if kind not in SubjectRequest.Type.values:
            return self.get(request, slug, token)
        try:
            created = request_submit(
                recipient=self.recipient, type=kind, message=request.POST.get("message", "")
            )
        except ValidationError as error:
            return self.get(request, slug, token, refused=self._refusal(error))
        return redirect(f"{request.path}?sent={created.pk}")

    def _refusal(self, error: ValidationError) -> str:
        """The polite sentence for a late appeal (with the day the window closed), else none."""
        closed_window = getattr(error, "code", None) == "appeal_closed"
        until = (error.params or {}).get("appeal_until") if closed_window else None
        if until is None:  # no receipt, so no appeal was ever offered: the page as it is
            return ""
        language = self.recipient.language
        closed = format_date(until, language)
        return page_texts(language, {"appeal_until": closed})["appeal_closed"]


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(_TokenView):
    """RFC 8058 one-click unsubscribe: mail providers POST here without a CSRF token."""

    salt = UNSUBSCRIBE_SALT

    def get(self, request, slug, token):
        return self.page(request, "notices/public/unsubscribe.html", done=False)

    def post(self, request, slug, token):
        recipient_unsubscribe(recipient=self.recipient)
        return self.page(request, "notices/public/unsubscribe.html", done=True)
