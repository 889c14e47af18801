"""Every command that acts for a person chooses that member the same way (`--as EMAIL`)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inventory.tests.sheets import csv_bytes, row
from notices.models import Campaign
from notices.services.campaigns import campaign_create
from notices.tests.helpers import far_deadline, recipients
from windown.models import AuditEvent
from windown.roles import Role

RECIPIENTS = (
    "email,name,language,jurisdiction,customer_ref,has_open_order\nanna@example.com,,en,DE,,\n"
)


@pytest.fixture
def files(tmp_path):
    datamap = tmp_path / "map.csv"
    datamap.write_bytes(csv_bytes([row()]))
    people = tmp_path / "people.csv"
    people.write_text(RECIPIENTS, encoding="utf-8")
    return {"import_datamap": datamap, "import_recipients": people}


def run(name, files, *extra):
    if name == "campaign_start":
        return call_command(name, str(Campaign.objects.get().pk), *extra)
    return call_command(name, "acme", str(files[name]), *extra)


AUDITED = {
    "import_datamap": "inventory.datamap_imported",
    "import_recipients": "notices.recipients_imported",
    "campaign_start": "notices.campaign_started",
}
COMMANDS = list(AUDITED)


@pytest.fixture
def campaign(director, winddown):
    far_deadline(winddown)
    recipients(winddown, 1, prefix="known")
    return campaign_create(by=director, name="Closure")


@pytest.mark.parametrize("name", COMMANDS)
def test_it_acts_as_the_member_named_in_any_letter_case(name, files, campaign, member):
    colleague = member(Role.DIRECTOR)
    run(name, files, "--as", colleague.user.email.upper())
    assert AuditEvent.objects.get(action=AUDITED[name]).actor == colleague.user


@pytest.mark.parametrize("name", COMMANDS)
def test_without_as_it_acts_as_the_first_director(name, files, campaign, director, member):
    member(Role.DIRECTOR)  # a later director
    run(name, files)
    assert AuditEvent.objects.get(action=AUDITED[name]).actor == director.user


@pytest.mark.parametrize("name", COMMANDS)
def test_a_stranger_is_refused_and_nothing_happens(name, files, campaign, other_winddown):
    outsider = other_winddown.memberships.get(role=Role.DIRECTOR)
    with pytest.raises(CommandError, match="is not a member of acme"):
        run(name, files, "--as", outsider.user.email)
    assert not AuditEvent.objects.filter(action=AUDITED[name]).exists()


@pytest.mark.parametrize("name", COMMANDS)
def test_a_member_without_the_right_is_refused_by_the_service(name, files, campaign, member):
    auditor = member(Role.AUDITOR)
    with pytest.raises(CommandError, match=r"Your role \(Auditor\) may not "):
        run(name, files, "--as", auditor.user.email)
    assert not AuditEvent.objects.filter(action=AUDITED[name]).exists()


@pytest.mark.parametrize("name", ["import_datamap", "import_recipients"])
def test_an_unknown_winddown_is_named(name, files, db):
    with pytest.raises(CommandError, match="No wind-down 'acme'"):
        run(name, files)
