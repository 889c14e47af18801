"""The one way a view shows a service's ValidationError (or an invalid form) to the user,
and the page shown when the database is unreachable (windown/unavailable.py)."""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


def show_error(
    error: ValidationError,
    *,
    form: forms.BaseForm | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Show `error`: on `form` when the view renders it again, as messages when it redirects.

    On a form, a message naming a field lands on that field and the rest above the form. As
    messages (pass `request`), each one is prefixed with its field's label (from `form` when
    given). An invalid form in a redirecting view: `ValidationError(form.errors.as_data())`.
    """
    if request is None:
        if form is None:
            raise TypeError("show_error needs the form to fill or the request to message")
        _on_form(form, error)
        return
    fields = getattr(form, "fields", {})
    for field, texts in _by_field(error).items():
        label = "" if field == NON_FIELD_ERRORS else str(_label(fields, field))
        for text in texts:
            messages.error(request, f"{label}: {text}" if label else text)


def _label(fields: dict, field: str) -> str:
    return getattr(fields.get(field), "label", None) or field


def _on_form(form: forms.BaseForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _by_field(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {NON_FIELD_ERRORS: error.messages}


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 while the database is unreachable: JSON for the API, else a page in the user's language.

    Reads nothing from the database (no session, no user): the language comes from the
    language cookie or Accept-Language.
    """
    retry_after = settings.WINDOWN_UNAVAILABLE_RETRY_AFTER
    with translation.override(translation.get_language_from_request(request)):
        if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
            detail = _("The service is temporarily unavailable. Try again later.")
            response = JsonResponse(
                {"detail": str(detail), "code": "service_unavailable"}, status=503
            )
        else:
            try:
                html = render_to_string("errors/unavailable.html", {"retry_after": retry_after})
            except Exception:  # e.g. static files not collected: still a page, not a 500
                log.exception("The 503 page could not be rendered")
                html = _("windown is temporarily unavailable. Try again in a minute.")
            response = HttpResponse(html, status=503)
        response.headers["Content-Language"] = translation.get_language()
    response.headers["Retry-After"] = str(retry_after)
    response.headers["Cache-Control"] = "no-store"
    patch_vary_headers(response, ["Accept-Language", "Cookie", "Accept"])
    return response
