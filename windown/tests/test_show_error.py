"""A service's refusal reaches the user the same way in every view (windown.views.errors)."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from windown.views.errors import show_error


class PhoneForm(forms.Form):
    phone = forms.CharField(label="Support phone")


def request_with_messages():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_it_puts_a_fields_message_on_that_field_and_the_rest_above_the_form():
    form = PhoneForm({"phone": "x"})
    assert form.is_valid()
    show_error(ValidationError({"phone": "Too short.", "status": "Not here."}), form=form)
    assert form.errors == {"phone": ["Too short."], "__all__": ["Not here."]}


def test_it_puts_a_message_without_a_field_above_the_form():
    form = PhoneForm({"phone": "x"})
    form.is_valid()
    show_error(ValidationError("Only a draft can change."), form=form)
    assert form.non_field_errors() == ["Only a draft can change."]


def test_as_messages_each_one_names_its_fields_label():
    request = request_with_messages()
    error = ValidationError({"phone": "Too short.", "__all__": "Refused.", "other": "Odd."})
    show_error(error, form=PhoneForm(), request=request)
    assert [str(m) for m in get_messages(request)] == [
        "Support phone: Too short.",
        "Refused.",
        "other: Odd.",
    ]


def test_it_needs_a_form_or_a_request():
    with pytest.raises(TypeError):
        show_error(ValidationError("x"))


def test_an_invalid_role_change_is_reported_on_the_team_page(client_for, director, member):
    target = member("legal")
    client = client_for(director)
    response = client.post(
        reverse("windown:membership-change", kwargs={"slug": "acme", "pk": target.pk}),
        {"role": "pilot"},
        follow=True,
    )
    assert response.status_code == 200
    texts = [str(m) for m in response.context["messages"]]
    assert len(texts) == 1 and texts[0].startswith("Role: ")
    target.refresh_from_db()
    assert target.role == "legal"
