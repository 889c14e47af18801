"""The hand-written composer against the standard library, on generated notices.

`notices/composer.py` joins MIME bytes itself for speed. For generated recipients, wind-downs
and templates (names with CR/LF, quotes and non-Latin scripts, long words, every language,
long subjects) the bytes it composes, parsed by Python's email parser with the default
policy, must read exactly like the standard library's EmailMessage built from the same inputs:
same headers, same text and HTML bodies. And every line must end in CRLF and fit 998 octets.
"""

from __future__ import annotations

import datetime as dt
import email
import time
from email import policy
from email.message import EmailMessage

from django.core.mail.message import sanitize_address
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from notices.composer import Composer
from notices.defaults import default_template
from notices.messages import from_address, render_for
from notices.models import Campaign, Delivery, Language, NoticeTemplate, Recipient
from notices.tokens import unsubscribe_url
from windown.models import WindDown

LANGUAGES = [code for code, _ in Language.choices]
SCRIPTS = [
    "Jürgen Müller",
    "山田 花子",
    "王小明",
    "Ольга Петрова",
    "محمد الأمين",
    "Ἀλέξανδρος",
    "김민준",
    "José Núñez",
    "Zoë O'Brien-Łukasiewicz",
    "🙂",
]
AWKWARD = [
    "=?utf-8?q?spoofed?=",
    "\r\n",
    "\n",
    "\r",
    '"',
    "'",
    "\\",
    ",",
    ";",
    "<",
    ">",
    "@",
    "(",
    ")",
    "=?utf-8?b?",
    "?=",
]
LONG_WORDS = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzäöüßéçñ漢字かなДЖЯ"),
    min_size=60,
    max_size=300,
)
# Anything a CSV can carry into a name except NUL (PostgreSQL refuses it; the import replaces it).
ANY_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)
NAMES = st.lists(
    st.one_of(st.sampled_from(SCRIPTS), st.sampled_from(AWKWARD), LONG_WORDS, ANY_TEXT),
    max_size=6,
).map(lambda parts: " ".join(parts)[:200])
# A company's legal name is one line (a form field), but any script and punctuation.
COMPANIES = st.lists(
    st.one_of(
        st.sampled_from(
            [*SCRIPTS, "Acme, Inc.", 'The "Best" GmbH', "A&B (HK) Ltd.", "Müller & Söhne"]
        ),
        st.text(
            st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=8
        ),
    ),
    min_size=1,
    max_size=4,
).map(lambda parts: (" ".join(parts).strip() or "Acme")[:200])
LOCAL = st.from_regex(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]{1,20}(\.[a-z0-9_+-]{1,10}){0,2}", fullmatch=True
)
DOMAINS = st.sampled_from(
    [
        "example.com",
        "mail.example.co.uk",
        "bücher.de",
        "例え.jp",
        "shop.xn--p1ai",
        "пример.рф",
        "sub.domain.example",
    ]
)
SUBJECTS = st.one_of(
    st.just(None),  # the shipped subject of the language
    st.lists(st.one_of(st.sampled_from(SCRIPTS), LONG_WORDS, ANY_TEXT), max_size=8).map(
        lambda parts: " ".join(parts) + " {{ customer_name }} \u2013 {{ company_name }}"
    ),
)


def notice(*, company, name, language, local, domain, subject, from_email, reply_to):
    winddown = WindDown(
        pk=7,
        slug="acme-closing",
        company_legal_name=company,
        company_local_name="株式会社アクメ" if len(company) % 2 else "",
        deletion_deadline=dt.date(2027, 3, 31),
        support_email="support@acme.example",
        support_phone="+49 30 1234567",
    )
    campaign = Campaign(
        pk=3, winddown=winddown, from_email=from_email, reply_to=reply_to, name="Closure"
    )
    templates = {}
    for code in LANGUAGES:
        fields = default_template(code)
        if subject is not None and code == language:
            fields["subject"] = subject
        templates[code] = NoticeTemplate(campaign=campaign, **fields)
    recipient = Recipient(
        pk=4242,
        winddown=winddown,
        email=f"{local}@{domain}",
        name=name,
        language=language,
        customer_ref="C-1",
    )
    delivery = Delivery(
        pk=99,
        campaign=campaign,
        recipient=recipient,
        message_id="<notice.3.4242.abcdef@windown.example>",
    )
    return campaign, templates, delivery


def standard(campaign, templates, delivery) -> EmailMessage:
    """The same notice built with the standard library (the message, not its bytes).

    Not its bytes read back: CPython 3.11's parser puts a space between two encoded words of
    a display name that its own generator folded (an RFC 2047 reader must drop it). The
    subject is kept as rendered: assigning a str header decodes what looks like an encoded
    word in it, and a customer's name must be read as typed.
    """
    recipient = delivery.recipient
    rendered = render_for(campaign, recipient, templates)
    winddown = campaign.winddown
    reply_to = campaign.reply_to or campaign.support_email or winddown.support_email
    message = EmailMessage(policy=policy.default)
    message["From"] = from_address(campaign)
    message["To"] = sanitize_address(recipient.email, "utf-8")
    message["Reply-To"] = reply_to
    message["Subject"] = rendered.subject
    message.rendered_subject = rendered.subject
    message["Message-ID"] = delivery.message_id
    message["List-Unsubscribe"] = f"<{unsubscribe_url(recipient)}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    # after the content: set_content() clears every Content-* header
    language = recipient.language
    message["Content-Language"] = "zh-Hans" if language == "zh-hans" else language
    return message


def composed_and_standard(campaign, templates, delivery):
    """Compose both within one second (the links' tokens carry a timestamp in seconds)."""
    while True:
        second = int(time.time())
        data = Composer(campaign, templates).compose(delivery).data
        expected = standard(campaign, templates, delivery)
        if int(time.time()) == second:
            return data, expected


def addresses(header) -> list[tuple[str, str]]:
    return [(a.display_name, a.addr_spec) for a in header.addresses]


HEADERS = ["Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post", "Content-Language"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    company=COMPANIES,
    name=NAMES,
    language=st.sampled_from(LANGUAGES),
    local=LOCAL,
    domain=DOMAINS,
    subject=SUBJECTS,
    from_email=st.sampled_from(["", "Notices <notices@acme.example>", "plain@acme.example"]),
    reply_to=st.sampled_from(["", "help@acme.example"]),
)
@example(  # an encoded word typed as a name must be read back as typed
    company="Acme",
    name="=?utf-8?q?Your_bank?=",
    language="en",
    local="a",
    domain="example.com",
    subject="Hi {{ customer_name }}",
    from_email="",
    reply_to="",
)
@example(  # a long ASCII subject and a name broken over lines
    company='The "Best", Inc.',
    name="Anna\r\nBcc: everyone@example.com",
    language="de",
    local="o'brien+x",
    domain="bücher.de",
    subject="word " * 60 + "{{ customer_name }}",
    from_email="",
    reply_to="help@acme.example",
)
def test_it_composes_what_the_standard_library_composes(**inputs):
    campaign, templates, delivery = notice(**inputs)
    data, expected = composed_and_standard(campaign, templates, delivery)

    lines = data.split(b"\r\n")
    assert lines[-1] == b"", "the message ends with CRLF"
    assert not any(b"\r" in line or b"\n" in line for line in lines), "a bare CR or LF"
    assert max(map(len, lines)) <= 998, "a line longer than 998 octets"
    assert data.split(b"\r\n\r\n", 1)[0].isascii(), "a header that is not ASCII"

    message = email.message_from_bytes(data, policy=policy.default)
    assert not message.defects
    for name in ("From", "To", "Reply-To"):
        assert addresses(message[name]) == addresses(expected[name]), name
    assert str(message["Subject"]) == expected.rendered_subject
    for name in HEADERS:
        assert str(message[name]) == str(expected[name]), name
    assert message["Date"].datetime is not None
    assert message.get_content_type() == "multipart/alternative"
    assert message["MIME-Version"] == "1.0"
    for kind in ("plain", "html"):
        part, reference = message.get_body((kind,)), expected.get_body((kind,))
        assert not part.defects
        assert part.get_content_type() == f"text/{kind}"
        assert part.get_content_charset() == "utf-8"
        assert part.get_content().replace("\r\n", "\n") == reference.get_content().replace(
            "\r\n", "\n"
        ), kind
