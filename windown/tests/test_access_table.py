"""The access tables are read strictly: a missing, extra or malformed row fails the module."""

import pytest

from windown.tests.access import Endpoint, access_table

ENDPOINTS = [Endpoint("team", "team.view"), Endpoint("invite", "team.manage", "post")]
HEAD = "director legal it support custodian auditor"
SWAPPED = "director legal it support auditor custodian"


def test_it_reads_who_may_use_each_endpoint():
    table = access_table(f"{HEAD}\nGET team x x x x x x\nPOST invite x . . . . .", ENDPOINTS)
    assert table == {
        "GET team": {"director", "legal", "it", "support", "custodian", "auditor"},
        "POST invite": {"director"},
    }


@pytest.mark.parametrize(
    "table",
    [
        f"{HEAD}\nGET team x x x x x x",  # an endpoint without a row
        f"{HEAD}\nGET team x x x x x x\nPOST invite x . . . . .\nGET other x x x x x x",
        f"{HEAD}\nGET team x x x x x x\nPOST invite x . . . .",  # a mark missing
        f"{HEAD}\nGET team x x x x x x\nPOST invite x ? . . . .",
        f"{HEAD}\nGET team x x x x x x\nGET team x x x x x x\nPOST invite x . . . . .",
        f"{SWAPPED}\nGET team x x x x x x\nPOST invite x . . . . .",  # columns in another order
    ],
)
def test_it_refuses_a_table_that_does_not_match_the_endpoints(table):
    with pytest.raises(ValueError):
        access_table(table, ENDPOINTS)
