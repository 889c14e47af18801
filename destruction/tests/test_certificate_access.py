"""Who may do what with certificates: director and IT issue, only the director revokes, legal and
the auditor read and download, support and custodians see nothing. Expected outcomes are the
literal tables below; a denied request changes nothing, and every download is audited."""

import pytest
from django.db import transaction

from destruction.models import Certificate, DestructionJob
from destruction.services.certificates import certificate_issue
from destruction.tests.factories_certificates import verified_job
from windown.models import AuditEvent
from windown.tests.access import DENIED, Endpoint, access_table, call, one_of_each_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_ca")]


def _ids(m) -> dict:
    return {
        "serial": Certificate.objects.get(winddown=m.winddown).serial,
        "job": DestructionJob.objects.get(winddown=m.winddown, status="verified").pk,
    }


def page(path):
    return lambda m: f"/w/{m.winddown.slug}/destruction/" + path.format(**_ids(m))


def api(path):
    return lambda m: f"/api/v1/winddowns/{m.winddown.slug}/" + path.format(**_ids(m))


def job_id(m):
    return {"job": _ids(m)["job"]}


V, D, I, R = (  # noqa: E741
    "destruction.view",
    "destruction.certificate.download",
    "destruction.certificate.issue",
    "destruction.certificate.revoke",
)
REASON = lambda m: {"reason": "wrong witness"}  # noqa: E731
UI_ENDPOINTS = [
    Endpoint("certificate list", V, url=page("certificates/")),
    Endpoint("certificate detail", V, url=page("certificates/{serial}/")),
    Endpoint("certificate pdf", D, url=page("certificates/{serial}/pdf/")),
    Endpoint("certificate issue", I, "post", url=page("jobs/{job}/certificate/")),
    Endpoint("bulk issue", I, "post", url=page("certificates/issue-verified/")),
    Endpoint("revoke", R, "post", url=page("certificates/{serial}/revoke/"), data=REASON),
    Endpoint("reissue", R, "post", url=page("certificates/{serial}/reissue/"), data=REASON),
]
UI_TABLE = access_table(
    """
                            director legal it support custodian auditor
    GET certificate list           x     x  x       .         .       x
    GET certificate detail         x     x  x       .         .       x
    GET certificate pdf            x     x  x       .         .       x
    POST certificate issue         x     .  x       .         .       .
    POST bulk issue                x     .  x       .         .       .
    POST revoke                    x     .  .       .         .       .
    POST reissue                   x     .  .       .         .       .
    """,
    UI_ENDPOINTS,
)
API_ENDPOINTS = [
    Endpoint("certificates", V, url=api("certificates/")),
    Endpoint("certificate", V, url=api("certificates/{serial}/")),
    Endpoint("pdf", D, url=api("certificates/{serial}/pdf/")),
    Endpoint("issue", I, "post", url=api("certificates/"), data=job_id),
    Endpoint("job certify", I, "post", url=api("destruction/jobs/{job}/certify/")),
    Endpoint("revoke", R, "post", url=api("certificates/{serial}/revoke/"), data=REASON),
    Endpoint("reissue", R, "post", url=api("certificates/{serial}/reissue/"), data=REASON),
]
API_TABLE = access_table(
    """
                            director legal it support custodian auditor
    GET certificates               x     x  x       .         .       x
    GET certificate                x     x  x       .         .       x
    GET pdf                        x     x  x       .         .       x
    POST issue                     x     .  x       .         .       .
    POST job certify               x     .  x       .         .       .
    POST revoke                    x     .  .       .         .       .
    POST reissue                   x     .  .       .         .       .
    """,
    API_ENDPOINTS,
)
ROLES = ("director", "legal", "it", "support", "custodian", "auditor")


@pytest.fixture
def people(winddown, member, legal):
    people = one_of_each_role(winddown, member)
    it = people["it"]
    certificate_issue(job=verified_job(winddown, it=it, legal=legal), actor=people["director"])
    verified_job(winddown, it=it, legal=legal, title="Second")
    return people


def _state():
    return (
        list(Certificate.objects.order_by("pk").values_list("serial", "status")),
        list(DestructionJob.objects.order_by("pk").values_list("status", flat=True)),
        AuditEvent.objects.exclude(action__endswith="_downloaded").count(),
    )


def _check(table, endpoints, client, membership, role, *, api=False):
    for endpoint in endpoints:
        with transaction.atomic():  # every endpoint starts from the same state
            before, downloads = (
                _state(),
                AuditEvent.objects.filter(action="destruction.certificate_downloaded").count(),
            )
            response = call(client, endpoint, membership, api=api)
            if role not in table[str(endpoint)]:
                assert response.status_code == DENIED, (str(endpoint), role)
                assert _state() == before, (str(endpoint), role)
            else:
                assert response.status_code in (200, 201, 302), (str(endpoint), role)
                if endpoint.method == "post":
                    assert _state() != before, f"{endpoint}: nothing changed"
                if endpoint.name in ("certificate pdf", "pdf"):
                    assert response["Content-Type"] == "application/pdf"
                    assert (
                        AuditEvent.objects.filter(
                            action="destruction.certificate_downloaded"
                        ).count()
                        == downloads + 1
                    )
            transaction.set_rollback(True)


@pytest.mark.parametrize("role", ROLES)
def test_the_ui_and_the_api_enforce_the_tables(people, client_for, api_for, role):
    membership = people[role]
    _check(UI_TABLE, UI_ENDPOINTS, client_for(membership), membership, role)
    _check(API_TABLE, API_ENDPOINTS, api_for(membership), membership, role, api=True)


def test_a_member_of_another_winddown_gets_404(people, other_winddown, client_for, api_for):
    outsider = other_winddown.memberships.get(role="director")
    serial = Certificate.objects.get().serial
    assert client_for(outsider).get(f"/w/acme/destruction/certificates/{serial}/").status_code in (
        403,
        404,
    )
    response = api_for(outsider).get(f"/api/v1/winddowns/acme/certificates/{serial}/pdf/")
    assert response.status_code == 404
