"""The one way a view shows a service's ValidationError (or an invalid form) to the user."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest


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
