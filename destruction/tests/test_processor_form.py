"""The processor's confirmation form: answers once, then locks; refuses bad links and answers."""

import datetime as dt
import hashlib
import threading

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from destruction.models import ProcessorRequest, ProcessorRequestItem
from destruction.processor_links import make_token
from destruction.services.processor_answers import RequestLocked, processor_request_answer
from destruction.services.processors import processor_request_cancel
from destruction.tests.factories_processors import sent_request
from windown.models import AuditEvent


def link(request, expires=None) -> str:
    expires = expires or request.deadline + dt.timedelta(days=30)
    token = make_token(request.pk, expires)
    return f"/w/{request.winddown.slug}/destruction/processor-confirm/{token}/"


def items(request) -> dict[str, ProcessorRequestItem]:
    return {item.category.key: item for item in request.items.select_related("category")}


def answer_data(request, **overrides) -> dict:
    by_key = items(request)
    data = {
        f"answer_{by_key['user.contact.email'].pk}": "deleted",
        f"answer_{by_key['user.name'].pk}": "retained",
        f"retention_basis_{by_key['user.name'].pk}": "HGB § 257 (commercial letters, 6 years)",
        "attester_name": "Ulla Berg",
        "attester_role": "Data Protection Officer",
        "attester_email": "ulla.berg@mailer.example",
        "attested": "on",
        "remarks": "Backups roll off within 30 days.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def snapshot(request) -> tuple:
    request.refresh_from_db()
    return (
        request.status,
        request.answered_at,
        request.attester_name,
        request.certificate_sha256,
        sorted(request.items.values_list("answer", "retention_basis", "refusal_reason")),
        AuditEvent.objects.filter(winddown=request.winddown).count(),
    )


@pytest.fixture
def request_sent(it, clock):
    return sent_request(it)


def test_it_records_the_processors_answer_and_locks_the_form(client, request_sent):
    url = link(request_sent)
    certificate = b"%PDF-1.7\n" + b"certificate of deletion\n" * 100

    response = client.post(
        url,
        {
            **answer_data(request_sent),
            "certificate": SimpleUploadedFile("../../cert.pdf", certificate),
        },
    )

    assert response.status_code == 302
    request_sent.refresh_from_db()
    assert request_sent.status == ProcessorRequest.Status.ANSWERED
    assert request_sent.answered_at is not None and request_sent.attested
    assert request_sent.attester_email == "ulla.berg@mailer.example"
    by_key = items(request_sent)
    assert by_key["user.contact.email"].answer == "deleted"
    assert by_key["user.name"].answer == "retained"
    assert by_key["user.name"].retention_basis == "HGB § 257 (commercial letters, 6 years)"
    assert request_sent.certificate_sha256 == hashlib.sha256(certificate).hexdigest()
    assert request_sent.certificate_content_type == "application/pdf"
    assert request_sent.certificate_name == "cert.pdf"
    with default_storage.open(request_sent.certificate_path) as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == request_sent.certificate_sha256
    event = AuditEvent.objects.get(action="destruction.processor_request_answered")
    assert event.actor_label == "processor:ulla.berg@mailer.example"
    assert event.payload["answers"]["user.name"]["answer"] == "retained"

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="answer"' in html and "<form" not in html
    assert "Ulla Berg" in html and "HGB § 257" in html


def test_it_refuses_a_second_submission_and_changes_nothing(client, request_sent):
    url = link(request_sent)
    assert client.post(url, answer_data(request_sent)).status_code == 302
    before = snapshot(request_sent)
    by_key = items(request_sent)

    second = client.post(
        url,
        answer_data(
            request_sent,
            **{
                f"answer_{by_key['user.name'].pk}": "deleted",
                "attester_name": "Mallory",
            },
        ),
    )

    assert second.status_code == 409
    assert "already been answered" in second.content.decode()
    assert snapshot(request_sent) == before


def test_it_refuses_the_second_of_two_answers_given_through_the_service(request_sent):
    answers = {item.pk: {"answer": "deleted"} for item in items(request_sent).values()}
    stale = ProcessorRequest.objects.get(pk=request_sent.pk)  # loaded before the first answer
    processor_request_answer(
        request=request_sent,
        answers=answers,
        attester_name="A",
        attester_role="DPO",
        attester_email="a@mailer.example",
        attested=True,
    )
    before = snapshot(request_sent)

    with pytest.raises(RequestLocked):
        processor_request_answer(
            request=stale,
            answers={item.pk: {"answer": "no_records"} for item in items(stale).values()},
            attester_name="B",
            attester_role="DPO",
            attester_email="b@mailer.example",
            attested=True,
        )

    assert snapshot(request_sent) == before


@pytest.mark.django_db(transaction=True)
def test_it_accepts_exactly_one_of_two_simultaneous_submissions(winddown, member, clock):
    it = member("it")
    request = sent_request(it)
    answers = {item.pk: {"answer": "deleted"} for item in items(request).values()}
    barrier, outcomes = threading.Barrier(2), []

    def submit(name: str) -> None:
        stale = ProcessorRequest.objects.get(pk=request.pk)
        barrier.wait(timeout=10)
        try:
            processor_request_answer(
                request=stale,
                answers=answers,
                attester_name=name,
                attester_role="DPO",
                attester_email=f"{name.lower()}@mailer.example",
                attested=True,
            )
            outcomes.append(("won", name))
        except RequestLocked:
            outcomes.append(("locked", name))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in ("Alice", "Bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(o for o, _ in outcomes) == ["locked", "won"]
    winner = next(name for outcome, name in outcomes if outcome == "won")
    request.refresh_from_db()
    assert request.attester_name == winner
    assert AuditEvent.objects.filter(action="destruction.processor_request_answered").count() == 1


def test_it_refuses_a_tampered_link_with_a_friendly_page(client, request_sent):
    url = link(request_sent)
    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = url.replace(token, token.replace("eyJwIjo", "eyJwIjp"))
    before = snapshot(request_sent)

    for response in (client.get(forged), client.post(forged, answer_data(request_sent))):
        assert response.status_code == 403
        assert "This link is not valid" in response.content.decode()
    assert snapshot(request_sent) == before


def test_it_refuses_an_expired_link_with_a_friendly_page(client, request_sent, clock):
    url = link(request_sent, expires=dt.date(2026, 12, 20))
    assert client.get(url).status_code == 200
    clock.advance(days=20)  # 2026-12-21
    before = snapshot(request_sent)

    for response in (client.get(url), client.post(url, answer_data(request_sent))):
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
    assert snapshot(request_sent) == before


def test_it_says_a_withdrawn_request_needs_no_answer(client, request_sent, it):
    processor_request_cancel(by=it, request=request_sent, reason="Contract moved to a successor")
    before = snapshot(request_sent)

    response = client.post(link(request_sent), answer_data(request_sent))

    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert snapshot(request_sent) == before


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ("retention_basis", "retention_basis", "Name the law that requires you to keep it."),
        ("refused", "refusal_reason", "Give the reason for refusing."),
        ("no_answer", "answer", "Choose an answer for this category."),
        ("attested", "attested", "Confirm that the answer is true and complete."),
        ("attester_name", "attester_name", "This field is required."),
        ("attester_email", "attester_email", "Enter your email address."),
    ],
)
def test_it_requires_the_legal_basis_reasons_and_attestation(
    client, request_sent, override, field, message
):
    name_pk = items(request_sent)["user.name"].pk
    overrides = {
        "retention_basis": {f"retention_basis_{name_pk}": ""},
        "refused": {f"answer_{name_pk}": "refused"},
        "no_answer": {f"answer_{name_pk}": None, f"retention_basis_{name_pk}": None},
        "attested": {"attested": None},
        "attester_name": {"attester_name": "  "},
        "attester_email": {"attester_email": "not-an-email"},
    }[override]
    before = snapshot(request_sent)

    response = client.post(link(request_sent), answer_data(request_sent, **overrides))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot(request_sent) == before


def test_it_enforces_the_legal_basis_of_a_retained_category_in_the_database(request_sent):
    from django.db import IntegrityError, transaction

    item = items(request_sent)["user.name"]
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcessorRequestItem.objects.filter(pk=item.pk).update(answer="retained")


def test_it_limits_how_often_one_client_may_open_the_form(client, request_sent, settings):
    settings.DESTRUCTION_PROCESSOR_PAGE_RATE = "3/m"
    url = link(request_sent)

    statuses = [client.get(url).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_it_shows_the_form_in_the_processors_language(client, it, clock):
    request = sent_request(it, language="zh-hans")

    html = client.get(link(request)).content.decode()

    assert "已删除" in html and "依法保留" in html and "提交确认" in html
    assert 'lang="zh-hans"' in html


def test_it_explains_a_missing_reason_in_the_processors_language(client, it, clock):
    request = sent_request(it, language="de")
    name_pk = items(request)["user.name"].pk
    before = snapshot(request)

    response = client.post(
        link(request),
        answer_data(request, **{f"answer_{name_pk}": "refused", "attested": None}),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte nennen Sie den Grund der Ablehnung." in html
    assert "Bitte bestätigen Sie, dass die Angaben richtig und vollständig sind." in html
    assert snapshot(request) == before


def test_it_refuses_a_certificate_over_the_size_limit_and_keeps_nothing(
    client, request_sent, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.DESTRUCTION_PROCESSOR_CERTIFICATE_MAX_BYTES = 1024
    before = snapshot(request_sent)

    response = client.post(
        link(request_sent),
        {
            **answer_data(request_sent),
            "certificate": SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 2048),
        },
    )

    assert response.status_code == 400
    assert "The certificate file is too large." in response.content.decode()
    assert snapshot(request_sent) == before
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_it_refuses_a_certificate_that_is_not_a_pdf_or_an_image(client, request_sent):
    before = snapshot(request_sent)

    response = client.post(
        link(request_sent),
        {
            **answer_data(request_sent),
            "certificate": SimpleUploadedFile("cert.pdf", b"MZ\x90\x00 not a pdf at all"),
        },
    )

    assert response.status_code == 400
    assert "The certificate must be a PDF, PNG or JPEG file." in response.content.decode()
    assert snapshot(request_sent) == before


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        (["deleted", "no_records"], "destroyed"),
        (["deleted", "retained"], "destroyed_with_exceptions"),
        (["retained", "refused"], "failed"),
    ],
)
def test_the_answer_gives_the_job_items_outcome(request_sent, answers, outcome):
    from destruction.selectors.processors import processor_request_outcome

    assert processor_request_outcome(request_sent) is None
    given = dict(zip(items(request_sent).values(), answers, strict=True))
    processor_request_answer(
        request=request_sent,
        answers={
            item.pk: {"answer": a, "retention_basis": "AO § 147", "refusal_reason": "Dispute"}
            for item, a in given.items()
        },
        attester_name="Ulla",
        attester_role="DPO",
        attester_email="ulla@mailer.example",
        attested=True,
    )
    request_sent.refresh_from_db()

    assert processor_request_outcome(request_sent) == outcome
