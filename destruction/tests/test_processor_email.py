"""The instruction email: per language, well-formed, with a signed link that opens the form."""

import re
from email.header import decode_header, make_header

import pytest

from destruction.models import ProcessorEmail, ProcessorRequest
from destruction.services.processor_emails import processor_email_deliver
from destruction.tests.factories_processors import processor_system, sent_request
from windown.models import AuditEvent

SUBJECTS = {
    "en": "Deletion instruction from Acme Trading Ltd",
    "de": "Löschweisung von Acme Trading Ltd",
    "zh-hans": "数据删除指示",
}
BODY = {
    "en": ["Legal basis:", "GDPR art. 28(3)(g)", "PIPL art. 21", "§1798.105(c)", "Germany (DE)"],
    "de": ["Rechtsgrundlage:", "Deutschland (DE)", "Kalifornien (USA) (US-CA)", "bis zum"],
    "zh-hans": [
        "法律依据：",  # noqa: RUF001
        "德国 (DE)",
        "美国加利福尼亚州 (US-CA)",
        "2026年12月15日",
    ],
}


def sent_and_delivered(it, django_capture_on_commit_callbacks, **fields) -> ProcessorRequest:
    with django_capture_on_commit_callbacks(execute=True):
        return sent_request(it, **fields)


@pytest.mark.parametrize("language", ["en", "de", "zh-hans"])
def test_it_sends_a_well_formed_instruction_in_the_processors_language(
    language, it, clock, smtp_sink, eager_celery, django_capture_on_commit_callbacks, client
):
    request = sent_and_delivered(
        it, django_capture_on_commit_callbacks, language=language, contact_name="Dana"
    )

    assert smtp_sink.count() == 1
    message, raw = smtp_sink.messages[0], smtp_sink.raw[0]
    row = ProcessorEmail.objects.get(request=request)
    assert row.sent_at is not None and row.kind == "instruction"
    assert message["Message-ID"] == row.message_id
    assert message["To"] == "privacy@mailer.example"
    assert message["Content-Language"] == {"zh-hans": "zh-Hans"}.get(language, language)
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert SUBJECTS[language] in str(make_header(decode_header(message["Subject"])))
    if language != "en":  # non-ASCII subjects travel RFC 2047-encoded
        assert b"Subject: =?utf-8?" in raw or b"Subject: \r\n =?utf-8?" in raw
    for expected in BODY[language]:
        assert expected in text, expected
    assert f'lang="{language}"' in html
    link = re.search(r"http://localhost:8000(/w/acme/destruction/processor-confirm/\S+/)", text)
    assert link and link.group(0) in html
    page = client.get(link.group(1))
    assert page.status_code == 200
    assert "user.contact.email" in page.content.decode()
    assert AuditEvent.objects.filter(action="destruction.processor_request_email_sent").count() == 1


def test_it_sends_a_queued_email_only_once(
    it, clock, smtp_sink, eager_celery, django_capture_on_commit_callbacks
):
    request = sent_and_delivered(it, django_capture_on_commit_callbacks)
    email = request.emails.get()

    assert processor_email_deliver(email_id=email.pk) is False
    assert smtp_sink.count() == 1


def test_it_keeps_an_email_queued_with_the_error_when_the_server_refuses_it(
    it, clock, django_capture_on_commit_callbacks, settings
):
    from notices.tests.smtp_sink import Sink

    sink = Sink(answer=lambda address, attempt: "451 Try again later").start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    try:
        request = sent_request(it, system=processor_system(it.winddown))
        email = request.emails.get()
        assert processor_email_deliver(email_id=email.pk) is False
    finally:
        sink.stop()
    email.refresh_from_db()
    assert email.sent_at is None and "451" in email.error
