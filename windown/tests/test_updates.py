"""The one audited field update: whitelist, validation, save, and an audit event of the diff."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from windown.models import AuditEvent, WindDown
from windown.updates import refuse_unknown_fields, update_audited

EDITABLE = ["company_legal_name", "support_phone", "deletion_deadline"]


def update(winddown, director, **changes):
    return update_audited(
        instance=winddown,
        changes=changes,
        editable=EDITABLE,
        winddown=winddown,
        actor=director.user,
        action="test.updated",
        payload={"slug": winddown.slug},
    )


def test_it_saves_the_change_and_audits_only_what_changed(winddown, director):
    diff = update(
        winddown, director, company_legal_name="Acme Trading Ltd", support_phone="+86 755 1"
    )
    assert diff == {"support_phone": ["", "+86 755 1"]}
    assert WindDown.objects.get(pk=winddown.pk).support_phone == "+86 755 1"
    event = AuditEvent.objects.get(action="test.updated")
    assert event.actor == director.user and event.object_id == str(winddown.pk)
    assert event.payload == {"slug": "acme", "changes": {"support_phone": ["", "+86 755 1"]}}


def test_it_records_dates_as_they_read_back(winddown, director):
    before = winddown.deletion_deadline
    update(winddown, director, deletion_deadline=dt.date(2028, 1, 31))
    event = AuditEvent.objects.get(action="test.updated")
    assert event.payload["changes"] == {"deletion_deadline": [before.isoformat(), "2028-01-31"]}


def test_it_audits_nothing_when_nothing_changed(winddown, director):
    assert update(winddown, director, company_legal_name=winddown.company_legal_name) == {}
    assert not AuditEvent.objects.filter(action="test.updated").exists()


def test_it_refuses_a_field_outside_the_whitelist_and_changes_nothing(winddown, director):
    with pytest.raises(ValidationError) as refused:
        update(winddown, director, support_phone="+1", status=WindDown.Status.CLOSED)
    assert refused.value.message_dict == {"status": ["This field cannot be changed here."]}
    fresh = WindDown.objects.get(pk=winddown.pk)
    assert (fresh.status, fresh.support_phone) == (WindDown.Status.PLANNING, "")
    assert not AuditEvent.objects.filter(action="test.updated").exists()


def test_it_refuses_an_invalid_value_with_the_models_message_and_saves_nothing(winddown, director):
    with pytest.raises(ValidationError) as refused:
        update(winddown, director, company_legal_name="")
    assert "company_legal_name" in refused.value.message_dict
    assert WindDown.objects.get(pk=winddown.pk).company_legal_name == "Acme Trading Ltd"
    assert not AuditEvent.objects.filter(action="test.updated").exists()


def test_a_service_may_word_validation_itself(winddown, director):
    def validate(instance):
        raise ValidationError("Not today.")

    with pytest.raises(ValidationError, match="Not today"):
        update_audited(
            instance=winddown,
            changes={"support_phone": "+1"},
            editable=EDITABLE,
            winddown=winddown,
            actor=director.user,
            action="test.updated",
            validate=validate,
        )
    assert WindDown.objects.get(pk=winddown.pk).support_phone == ""


def test_refuse_unknown_fields_names_every_unknown_field():
    with pytest.raises(ValidationError) as refused:
        refuse_unknown_fields({"name": 1, "status": 2, "id": 3}, ["name"])
    assert sorted(refused.value.message_dict) == ["id", "status"]
    refuse_unknown_fields({"name": 1}, ["name"])  # nothing to refuse
