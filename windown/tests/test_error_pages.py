"""403, 404 and 500 are styled pages in the user's language that say why and offer the way back."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from windown.roles import Role


@pytest.mark.parametrize(
    ("language", "heading", "english_heading"),
    [
        ("en", "This page is not open to your role", None),
        ("zh-hans", "您的角色无权打开此页面", "This page is not open to your role"),
    ],
)
def test_a_link_the_role_cannot_use_shows_a_styled_403_in_the_users_language(
    client_for, member, language, heading, english_heading
):
    auditor = member(Role.AUDITOR)
    client = client_for(auditor)
    url = reverse("windown:winddown-settings", kwargs={"slug": auditor.winddown.slug})
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 403
    assert heading in page and "windown.css" in page and 'href="/"' in page
    assert "403 Forbidden" not in page
    if english_heading:
        assert english_heading not in page


def test_an_unknown_address_is_a_styled_404_in_chinese(client_for, director):
    response = client_for(director).get("/w/no-such-winddown/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Something went wrong on our side"), ("zh-hans", "我们这边出现了错误")],
)
def test_a_server_error_is_a_styled_page_in_the_users_language(rf, language, text):
    with translation.override(language):
        response = server_error(rf.get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert text in page and "windown.css" in page and "Traceback" not in page
