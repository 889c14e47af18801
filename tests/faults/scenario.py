"""Set up a fault scenario in the private database: `python -m tests.faults.scenario KIND N`.

Runs as its own process (the test process stays on the test database): prints the id of the
started campaign or of the queued import job.
"""

from __future__ import annotations

import io
import sys

import django


def _director():
    from windown.models import Membership
    from windown.roles import Role
    from windown.tests.factories import UserFactory, make_winddown

    user = UserFactory()
    winddown = make_winddown(director=user)
    return Membership.objects.get(winddown=winddown, user=user, role=Role.DIRECTOR)


def campaign(count: int, rate_limit: int) -> int:
    from notices.services.campaigns import campaign_create, campaign_start
    from notices.tests.helpers import far_deadline, recipients

    director = _director()
    recipients(director.winddown, count)
    far_deadline(director.winddown)
    started = campaign_create(by=director, name="Closure notice", rate_limit=rate_limit)
    return campaign_start(by=director, campaign=started).pk


def recipients_import(count: int) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from notices.services.import_jobs import import_job_create

    director = _director()
    lines = ["email,name,language,jurisdiction,customer_ref,has_open_order"]
    lines += [f"person{i}@example.com,Person {i},en,DE,C{i},no" for i in range(count)]
    data = io.BytesIO(("\n".join(lines) + "\n").encode())
    upload = SimpleUploadedFile("customers.csv", data.getvalue(), content_type="text/csv")
    return import_job_create(by=director, upload=upload).pk


def certificates(count: int) -> int:
    """Create `count` verified jobs and a signing CA, then queue their bulk issuance."""
    import os
    from pathlib import Path

    from destruction.services.certificates.bulk import certificates_issue_bulk
    from destruction.tasks import certificate_issue_job
    from destruction.tests.factories_certificates import verified_job
    from windown.localca import local_ca_create
    from windown.roles import Role
    from windown.tests.factories import MembershipFactory

    local_ca_create(directory=Path(os.environ["WINDOWN_SIGNING_DIR"]), organization="Faults")
    director = _director()
    winddown = director.winddown
    it = MembershipFactory(winddown=winddown, role=Role.IT)
    legal = MembershipFactory(winddown=winddown, role=Role.LEGAL)
    for number in range(count):
        verified_job(winddown, it=it, legal=legal, items=2, title=f"Fault job {number}")
    certificates_issue_bulk(  # no transaction here: each task is queued at once
        actor=director,
        enqueue=lambda job, member: certificate_issue_job.delay(job, member),
    )
    return winddown.pk


if __name__ == "__main__":
    django.setup()
    kind, *numbers = sys.argv[1:]
    if kind == "campaign":
        print(campaign(int(numbers[0]), int(numbers[1])))
    elif kind == "certificates":
        print(certificates(int(numbers[0])))
    elif kind == "import":
        print(recipients_import(int(numbers[0])))
    else:
        raise SystemExit(f"unknown scenario {kind}")
