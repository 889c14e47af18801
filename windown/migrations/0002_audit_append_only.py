"""On PostgreSQL, reject UPDATE, DELETE and TRUNCATE on the audit trail at the database level.

TRUNCATE passes only where the database has `windown.allow_truncate = on` set by its owner
(the test suite sets it on its throwaway test database, whose tables it empties after each
transactional test); no production database has it.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION windown_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('windown.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'windown_auditevent is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER windown_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON windown_auditevent
    FOR EACH ROW EXECUTE FUNCTION windown_audit_append_only();
CREATE TRIGGER windown_auditevent_no_truncate
    BEFORE TRUNCATE ON windown_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION windown_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS windown_auditevent_no_truncate ON windown_auditevent;
DROP TRIGGER IF EXISTS windown_auditevent_no_update_delete ON windown_auditevent;
DROP FUNCTION IF EXISTS windown_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("windown", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
