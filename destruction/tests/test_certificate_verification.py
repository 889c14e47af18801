"""Verifying a certificate: green on every line when genuine, red with the reason when not."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from destruction.services.certificate_verification import certificate_verify, inclusion_check
from destruction.services.certificates import certificate_revoke
from destruction.tests.fixtures_verification import one_byte_changed, pdf_of
from windown.checkpoints import note_verify
from windown.models import AuditEvent
from windown.tests.test_audit_chain import tamper
from windown.tests.test_checkpoints import rewrite_from

CHANGES = ["content", "signature", "validation data", "end"]


def lines(report):
    return {check.name: check.ok for check in report.checks}


def test_an_issued_certificate_is_green_on_every_line(issued):
    report = certificate_verify(pdf_of(issued))

    assert report.ok, report.problems
    assert lines(report) == {
        "signature": True,
        "chain": True,
        "unmodified": True,
        "record": True,
        "revocation": True,
        "inclusion": True,
    }
    assert report.serial == issued.serial and report.sha256 == issued.sha256


@pytest.mark.parametrize("where", CHANGES)
def test_a_one_byte_change_turns_it_red_with_the_reason(issued, where):
    report = certificate_verify(one_byte_changed(pdf_of(issued), where))

    assert not report.ok
    assert all(check.reason for check in report.problems)
    # whatever pyHanko tolerates, the file is no longer the one windown issued
    assert report.sha256 != issued.sha256
    if where == "validation data":  # outside the signature: only the stored SHA-256 tells
        assert [check.name for check in report.problems] == ["record"]


def test_the_page_verifies_an_upload_without_an_account(client, issued):
    upload = io.BytesIO(pdf_of(issued))
    upload.name = f"{issued.serial}.pdf"

    response = client.post(reverse("verify:verify"), {"pdf": upload})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="verify-result" class="verify-valid"' in page
    assert issued.serial in page and page.count('class="check ok"') == 6


def test_the_page_shows_a_changed_byte_in_red_with_the_reason(client, issued):
    upload = io.BytesIO(one_byte_changed(pdf_of(issued), "content"))
    upload.name = "tampered.pdf"

    response = client.post(reverse("verify:verify"), {"pdf": upload})

    page = response.content.decode()
    assert 'class="verify-invalid"' in page
    assert "The digest does not match" in page


def test_the_page_speaks_chinese(client, issued):
    upload = io.BytesIO(one_byte_changed(pdf_of(issued), "content"))
    upload.name = "tampered.pdf"

    response = client.post(
        reverse("verify:verify"), {"pdf": upload}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    page = response.content.decode()
    assert "验证销毁证明" in page and "无效" in page


def test_serial_and_sha256_verify_the_stored_certificate(client, issued):
    url = reverse("verify:verify")
    good = client.post(url, {"serial": issued.serial, "sha256": issued.sha256})
    assert 'class="verify-valid"' in good.content.decode()

    wrong = hashlib.sha256(b"another file").hexdigest()
    bad = client.post(url, {"serial": issued.serial, "sha256": wrong})
    assert 'class="verify-invalid"' in bad.content.decode()
    assert "is not that of the PDF issued as" in bad.content.decode()


def test_the_qr_target_shows_the_serials_status(client, issued, director):
    response = client.get(reverse("verify:serial", args=[issued.serial]))
    assert response.status_code == 200
    assert issued.sha256 in response.content.decode()

    certificate_revoke(certificate=issued, actor=director, reason="Wrong job attached")
    page = client.get(reverse("verify:serial", args=[issued.serial])).content.decode()
    assert "Revoked" in page and "Wrong job attached" in page
    assert client.get(reverse("verify:serial", args=["WD-1999-000001"])).status_code == 404


def test_a_revoked_certificate_verifies_red_as_revoked(issued, director):
    certificate_revoke(certificate=issued, actor=director, reason="Wrong job attached")

    report = certificate_verify(pdf_of(issued))

    assert not report.ok
    assert [check.name for check in report.problems] == ["revocation"]
    assert "Wrong job attached" in report.problems[0].reason


def test_the_page_is_rate_limited(client, settings, issued):
    settings.DESTRUCTION_VERIFY_PAGE_RATE = "2/m"
    url = reverse("verify:serial", args=[issued.serial])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_an_edited_audit_row_fails_the_inclusion_check_and_names_the_event(issued):
    event = AuditEvent.objects.get(
        winddown=issued.winddown, action="destruction.certificate_issued"
    )
    tamper("UPDATE windown_auditevent SET payload = %s WHERE id = %s", ['{"edited": 1}', event.pk])

    report = certificate_verify(pdf_of(issued))

    assert [check.name for check in report.problems] == ["inclusion"]
    assert f"event #{event.seq}" in report.problems[0].reason


def test_a_rehashed_rewrite_of_an_earlier_event_fails_the_inclusion_check(issued):
    event = AuditEvent.objects.get(
        winddown=issued.winddown, action="destruction.certificate_issued"
    )
    rewrite_from(issued.winddown, 2, {"rewritten": True})

    report = certificate_verify(pdf_of(issued))

    assert [check.name for check in report.problems] == ["inclusion"]
    assert f"event #{event.seq}" in report.problems[0].reason
    assert "rewritten between event #1" in report.problems[0].reason


def test_the_command_exits_0_when_valid_and_1_with_the_reason_when_not(issued, tmp_path):
    good = tmp_path / "good.pdf"
    good.write_bytes(pdf_of(issued))
    out = io.StringIO()
    call_command("verify_certificate", str(good), stdout=out)
    assert f"VALID {issued.serial}" in out.getvalue()

    bad = tmp_path / "bad.pdf"
    bad.write_bytes(one_byte_changed(pdf_of(issued), "content"))
    with pytest.raises(CommandError, match="digest does not match") as failed:
        call_command("verify_certificate", str(bad), stdout=io.StringIO())
    assert failed.value.returncode == 1

    with pytest.raises(CommandError) as usage:
        call_command("verify_certificate", str(tmp_path / "missing.pdf"))
    assert usage.value.returncode == 2


def test_the_inclusion_check_refuses_a_wrong_proof_or_an_unsigned_checkpoint(issued):
    record = issued.record
    assert inclusion_check(record, note_check=note_verify).ok

    proof = dict(record["inclusion_proof"])
    proof["leaf_index"] += 1
    moved = inclusion_check({**record, "inclusion_proof": proof}, note_check=note_verify)
    assert not moved.ok and "does not lead to the checkpoint's root" in moved.reason

    proof = dict(record["inclusion_proof"], event_hash="00" * 32)
    other = inclusion_check({**record, "inclusion_proof": proof}, note_check=note_verify)
    assert not other.ok

    forged = record["checkpoint"].replace("\n\n", "\n\n\u2014 forger AAAA\n").rsplit("\n", 2)[0]
    unsigned = inclusion_check({**record, "checkpoint": forged}, note_check=note_verify)
    assert not unsigned.ok and "not signed by this installation's key" in unsigned.reason
