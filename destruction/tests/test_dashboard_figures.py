"""The destruction panel's deletion figures are kept while the audit chain stays where it was
(destruction.selectors.jobs): every audited change shows at once, and nothing is read again
while nothing changed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.services.holds import hold_place
from destruction.selectors.jobs import destruction_summary
from destruction.tests.factories_certificates import verified_job

pytestmark = pytest.mark.django_db


def test_the_deletion_figures_follow_every_audited_change(winddown, director, it, legal):
    assert destruction_summary(winddown)["holdings_destroyed"] == 0
    job = verified_job(winddown, it=it, legal=legal, items=2)
    holdings = [item.holding for item in job.items.select_related("holding")]
    figures = destruction_summary(winddown)
    assert figures["holdings_to_delete"] == figures["holdings_destroyed"] == 2
    assert figures["records_destroyed"] == sum(h.records_total for h in holdings) > 0

    with CaptureQueriesContext(connection) as queries:
        assert destruction_summary(winddown) == figures
    assert not [q for q in queries if "compliance_decision" in q["sql"]]  # not read again

    hold_place(by=legal, reference="LIT-1", reason="a claim", systems=[holdings[0].system])
    held = destruction_summary(winddown)  # a held holding is no longer in force to delete
    assert held["holdings_to_delete"] == held["holdings_destroyed"] == 1
