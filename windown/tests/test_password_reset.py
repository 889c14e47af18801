"""A person who forgot their password gets a link by email and can sign in again."""

import re

from django.core import mail
from django.urls import reverse


def test_a_forgotten_password_is_reset_through_the_emailed_link(client, director):
    response = client.post(reverse("password_reset"), {"email": director.user.email})
    assert response.status_code == 302
    [message] = mail.outbox
    path = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)
    form_page = client.get(path, follow=True)
    assert b'name="new_password1"' in form_page.content
    new_password = "a brand new passphrase 2026"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    # through the sign-in page (django-axes watches every authentication with its request)
    signed_in = client.post(
        reverse("login"), {"username": director.user.email, "password": new_password}
    )
    assert signed_in.status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []
