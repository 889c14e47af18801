"""Serials come from a PostgreSQL sequence: unique under concurrent issuance, never reused."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from destruction.models import Certificate
from destruction.services.certificates import certificate_issue
from destruction.services.certificates.issue import _next_serial
from destruction.tests.factories_certificates import verified_job

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("signing_ca"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the sequence is PostgreSQL's"),
]


def run_in_threads(calls):
    """Run each call in its own thread (own connection), released together; return outcomes."""
    barrier, outcomes = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # the test inspects what each thread got
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_concurrent_issuance_gives_distinct_serials(winddown, it, legal, director):
    jobs = [verified_job(winddown, it=it, legal=legal, title=f"Job {i}") for i in range(4)]

    outcomes = run_in_threads(
        [lambda job=job: certificate_issue(job=job, actor=director) for job in jobs]
    )

    assert all(isinstance(o, Certificate) for o in outcomes), outcomes
    serials = [o.serial for o in outcomes]
    assert len(set(serials)) == 4
    assert Certificate.objects.count() == 4


def test_two_people_issuing_the_same_job_get_one_certificate(winddown, it, legal, director):
    job = verified_job(winddown, it=it, legal=legal)

    outcomes = run_in_threads(
        [lambda a=a: certificate_issue(job=job, actor=a) for a in (director, it)]
    )

    issued = [o for o in outcomes if isinstance(o, Certificate)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(issued) == 1 and len(refused) == 1, outcomes
    assert Certificate.objects.filter(job=job).count() == 1


def test_the_sequence_never_repeats_a_serial(db):
    outcomes = run_in_threads([lambda: [_next_serial(2026) for _ in range(25)] for _ in range(8)])
    serials = [s for batch in outcomes for s in batch]
    assert len(serials) == 200 and len(set(serials)) == 200
