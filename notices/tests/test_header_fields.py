"""Values that go into email headers are refused at save time if they hold line breaks or
control characters, whichever way they are saved; internationalised addresses are accepted
where the mail transport can carry them (checked against the real aiosmtpd sink)."""

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError

from notices.models import Campaign, NoticeTemplate
from notices.services.campaigns import campaign_create
from notices.tests.helpers import drain, recipients, started_campaign
from notices.tests.smtp_sink import Sink, free_port
from windown import headers

HOSTILE = ["\r\nBcc: victim@example.com", "\nX-Injected: 1", "\r", "\x00", "\x1b[31m", "\u2028"]
# (model, field, a valid value the hostile suffix is appended to)
HEADER_FIELDS = [
    (Campaign, "from_email", "Acme <noreply@acme.example>"),
    (Campaign, "reply_to", "help@acme.example"),
    (Campaign, "support_email", "help@acme.example"),
    (NoticeTemplate, "subject", "Your data at {{ company_name }}"),
    ("winddown", "company_legal_name", "Acme Trading Ltd"),
    ("winddown", "company_local_name", "艾克美贸易有限公司"),
    ("winddown", "support_email", "help@acme.example"),
]


@pytest.mark.parametrize("suffix", HOSTILE, ids=[repr(s) for s in HOSTILE])
@pytest.mark.parametrize("model, field, good", HEADER_FIELDS, ids=[f[1] for f in HEADER_FIELDS])
def test_a_header_field_with_a_line_break_or_control_character_is_refused(
    director, model, field, good, suffix
):
    model = type(director.winddown) if model == "winddown" else model
    validators = model._meta.get_field(field).validators
    for validator in validators:
        validator(good)  # the plain value passes
    with pytest.raises(ValidationError):
        for validator in validators:
            validator(good + suffix)


# DRF strips leading and trailing whitespace (a lone trailing CR is then harmless).
INNER = ["\r\nBcc: victim@example.com", "\nX-Injected: 1", "\rX", "\x00x"]


@pytest.mark.parametrize("suffix", INNER, ids=[repr(s) for s in INNER])
def test_the_api_and_the_service_refuse_it_and_save_nothing(director, api_for, suffix):
    api = api_for(director)
    for field in ("from_email", "reply_to", "support_email"):
        body = {"name": "Notice", field: "help@acme.example" + suffix}
        response = api.post("/api/v1/winddowns/acme/notices/campaigns/", body, format="json")
        body = response.json()  # a NUL byte is refused before any field (ApiInputGuard)
        assert response.status_code == 400, response.content
        assert field in body or "NUL" in body.get("detail", ""), body
        with pytest.raises(ValidationError):
            campaign_create(by=director, name="Notice", **{field: "a@acme.example" + suffix})
    assert not Campaign.objects.exists()
    response = api.patch(
        "/api/v1/winddowns/acme/", {"company_legal_name": "Acme" + suffix}, format="json"
    )
    assert response.status_code == 400


def test_an_idn_domain_is_accepted_and_sent_as_punycode(director, smtp_sink):
    recipients(director.winddown, 2)
    campaign = started_campaign(
        director, from_email="艾克美 <noreply@艾克美.中国>", reply_to="help@例子.测试"
    )
    drain(campaign)
    assert smtp_sink.count() == 2
    raw = smtp_sink.raw[0].decode("ascii")  # still a plain ASCII message
    assert "noreply@xn--" in raw and "help@xn--" in raw


class SinkOffering(Sink):
    """The tests' aiosmtpd sink, offering SMTPUTF8 (RFC 6531) or not."""

    def __init__(self, smtputf8: bool):
        super().__init__()
        self.smtputf8 = smtputf8

    def start(self):
        self.port = free_port()
        self.controller = Controller(
            self, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=self.smtputf8
        )
        self.controller.start()
        return self


@pytest.fixture
def sink_offering(settings):
    started = []

    def start(smtputf8: bool) -> Sink:
        sink = SinkOffering(smtputf8).start()
        started.append(sink)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        headers._checked.clear()
        return sink

    yield start
    for sink in started:
        sink.stop()
    headers._checked.clear()


def test_a_utf8_local_part_is_refused_with_the_reason_when_the_server_lacks_smtputf8(
    director, sink_offering
):
    sink_offering(smtputf8=False)
    with pytest.raises(ValidationError, match="SMTPUTF8"):
        campaign_create(by=director, name="Notice", reply_to="客服@例子.中国")
    assert not Campaign.objects.exists()


def test_a_utf8_local_part_is_accepted_and_delivered_where_the_server_offers_smtputf8(
    director, sink_offering
):
    sink = sink_offering(smtputf8=True)
    recipients(director.winddown, 2)
    campaign = started_campaign(director, from_email="客服 <客服@例子.中国>")
    drain(campaign)
    errors = set(campaign.deliveries.values_list("status", "last_error"))
    assert sink.count() == 2, errors
    assert "客服@xn--" in sink.raw[0].decode("utf-8")


def test_without_smtp_the_setting_says_whether_utf8_local_parts_are_accepted(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    validate = headers.HeaderAddressValidator()
    settings.WINDOWN_EMAIL_SMTPUTF8 = False
    with pytest.raises(ValidationError, match="SMTPUTF8"):
        validate("客服@例子.中国")
    settings.WINDOWN_EMAIL_SMTPUTF8 = True
    validate("客服@例子.中国")


def test_a_customer_name_with_a_line_break_cannot_add_a_header_to_the_subject(director, smtp_sink):
    from notices.models import Recipient

    recipients(director.winddown, 1)
    Recipient.objects.update(name="Eve\r\nBcc: victim@example.com")
    campaign = campaign_create(by=director, name="Notice")
    campaign.templates.update(subject="Hello {{ customer_name }}")
    from notices.services.campaigns import campaign_start

    drain(campaign_start(by=director, campaign=campaign))
    raw = smtp_sink.raw[0].decode()
    assert "\r\nBcc:" not in raw and smtp_sink.messages[0]["Bcc"] is None
    assert smtp_sink.messages[0]["Subject"].startswith("Hello Eve")
