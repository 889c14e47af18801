"""Notice templates: shipped in six languages, rendered in a sandbox, checked at save time."""

import pytest
from django.core.exceptions import ValidationError

from notices.models import Language, NoticeTemplate
from notices.rendering import validate_template
from notices.services.campaigns import campaign_create, template_save
from notices.services.recipients import notice_preview

pytestmark = pytest.mark.django_db

ATTACKS = [
    "{{ settings.SECRET_KEY }}",
    "{{ customer_name.__class__.__mro__ }}",
    "{{ customer_name.upper() }}",
    "{{ config }}",
    "{{ self }}",
    "{{ lipsum.__globals__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ customer_name['__class__'] }}",
    "{% for c in ''.__class__.__subclasses__() %}{{ c }}{% endfor %}",
    "{% import 'os' as os %}",
    "{% include 'base.html' %}",
    "{% set x = 1 %}",
    "{{ customer_name|attr('__class__') }}",
    "{{ range(10) }}",
    "{% macro m() %}{% endmacro %}",
    "{{ unknown_variable }}",
    "{{ customer_name",
]


@pytest.mark.parametrize("source", ATTACKS)
def test_it_refuses_templates_that_reach_beyond_the_whitelist(source):
    assert validate_template(source)
    assert validate_template(source, html=True)


def test_it_refuses_to_save_a_template_that_reaches_settings(director):
    campaign = campaign_create(by=director, name="Notice")
    with pytest.raises(ValidationError) as error:
        template_save(
            by=director,
            campaign=campaign,
            language="en",
            subject="Hello {{ settings.SECRET_KEY }}",
            text_body="{{ customer_name.__class__ }}",
            html_body="<p>{{ customer_name }}</p>",
        )
    assert set(error.value.message_dict) == {"subject", "text_body"}
    assert "settings" not in NoticeTemplate.objects.get(campaign=campaign, language="en").subject


def test_it_saves_a_template_with_whitelisted_variables_and_filters(director):
    campaign = campaign_create(by=director, name="Notice", with_default_templates=False)
    template = template_save(
        by=director,
        campaign=campaign,
        language="de",
        subject="{{ company_name|upper }}",
        text_body="{% if customer_name %}Hallo {{ customer_name }}{% endif %}",
        html_body="<p>{{ customer_name|default('Kunde') }}</p>",
    )
    assert template.pk


@pytest.mark.parametrize("language", Language.values)
def test_the_shipped_notice_renders_in_every_language(director, language):
    campaign = campaign_create(by=director, name="Notice")
    notice = notice_preview(by=director, campaign=campaign, language=language)
    assert "Acme Trading Ltd" in notice.subject
    assert "/notices/p/" in notice.text and "/notices/p/" in notice.html
    assert "2027" in notice.text  # the deletion date
    assert "{{" not in notice.text + notice.html
    assert "<h3>" in notice.html and "<script" not in notice.html


def test_html_escapes_the_customers_name(director, winddown):
    from notices.messages import render_for
    from notices.tests.factories import RecipientFactory

    hostile = RecipientFactory(winddown=winddown, name="<script>alert(1)</script>", language="fr")
    campaign = campaign_create(by=director, name="Notice")
    notice = render_for(campaign, hostile)
    assert "<script>" not in notice.html and "&lt;script&gt;" in notice.html
    assert "<script>alert(1)</script>" in notice.text


def test_the_editor_shows_the_sandbox_refusal_on_the_field(client_for, director):
    from django.urls import reverse

    campaign = campaign_create(by=director, name="Notice")
    url = reverse(
        "notices:template-edit", kwargs={"slug": "acme", "pk": campaign.pk, "language": "en"}
    )
    response = client_for(director).post(
        url,
        {
            "subject": "{{ company_name }}",
            "text_body": "{{ request.user }}",
            "html_body": "<p>ok</p>",
        },
    )
    assert response.status_code == 200
    assert "attribute access (a.b) is not allowed" in response.content.decode()
    assert NoticeTemplate.objects.get(campaign=campaign, language="en").text_body != (
        "{{ request.user }}"
    )
