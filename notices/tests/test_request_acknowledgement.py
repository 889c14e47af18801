"""A customer who files a request gets an email that states what was asked and the due date,
in their language, once, sent through a real SMTP server and retried when it fails."""

from smtplib import SMTPRecipientsRefused

import pytest

from notices.models import SubjectRequest
from notices.services.acknowledgements import request_acknowledge
from notices.services.requests import request_submit
from notices.tests.factories import RecipientFactory
from notices.tests.smtp_sink import Sink
from notices.tokens import personal_url
from windown.models import AuditEvent

pytestmark = pytest.mark.django_db


def _file(winddown, **recipient):
    customer = RecipientFactory(winddown=winddown, **recipient)
    return request_submit(
        recipient=customer, type="export", message="Please send me my order history."
    )


def test_the_acknowledgement_states_what_was_asked_and_the_due_date(winddown, smtp_sink):
    request = _file(winddown, language="en", name="Olivia Brown", jurisdiction="DE")
    assert request_acknowledge(request.pk) is True
    (message,) = smtp_sink.messages
    body = message.get_body(("plain",)).get_content()
    assert message["To"] == request.recipient.email
    assert f"#{request.pk}" in message["Subject"]
    assert "Request a copy of my data" in body and "Please send me my order history." in body
    assert request.due_date.strftime("%Y") in body and "Dear Olivia Brown" in body
    assert personal_url(request.recipient).rsplit(":", 2)[0] in body  # the token, not its time
    assert message["Auto-Submitted"] == "auto-replied"
    event = AuditEvent.objects.get(action="notices.request_acknowledged")
    assert event.object_id == str(request.pk)


def test_it_speaks_the_customers_language(winddown, smtp_sink):
    request = _file(winddown, language="zh-hans", name="王小明", jurisdiction="CN")
    request_acknowledge(request.pk)
    body = smtp_sink.messages[0].get_body(("plain",)).get_content()
    assert "我们已通过您的个人页面收到以下请求" in body and "王小明" in body
    assert f"{request.due_date.year}年" in body  # the date written the Chinese way


def test_it_is_sent_once_even_when_the_task_runs_again(winddown, smtp_sink):
    request = _file(winddown)
    assert request_acknowledge(request.pk) is True
    assert request_acknowledge(request.pk) is False
    assert smtp_sink.count() == 1


def test_a_mail_server_that_refuses_leaves_it_to_be_retried(winddown, settings):
    refusing = Sink(answer=lambda address, attempt: "451 Try again later" if attempt == 1 else None)
    refusing.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", refusing.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        request = _file(winddown)
        with pytest.raises(SMTPRecipientsRefused):  # an SMTPException: the task retries it
            request_acknowledge(request.pk)
        assert SubjectRequest.objects.get(pk=request.pk).acknowledged_at is None
        assert request_acknowledge(request.pk) is True  # the retry goes through
        assert refusing.count() == 1
    finally:
        refusing.stop()


def test_the_task_retries_on_the_errors_a_mail_server_raises():
    from smtplib import SMTPException

    from notices.tasks import request_acknowledge as task

    assert set(task.autoretry_for) == {OSError, SMTPException}
    assert task.max_retries >= 10 and task.acks_late
