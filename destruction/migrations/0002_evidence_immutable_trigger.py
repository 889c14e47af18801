"""On PostgreSQL, refuse any change to the evidence of a verified or certified job.

Adding, replacing or removing an evidence file once the job is verified is refused by the
service; this trigger makes the database refuse it too (e.g. from a shell or the admin).
Kept in its own migration (only this SQL) so it can follow a regenerated 0001_initial.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION destruction_evidence_immutable() RETURNS trigger AS $$
DECLARE
    job_status text;
BEGIN
    SELECT status INTO job_status FROM destruction_destructionjob
        WHERE id = (CASE WHEN TG_OP = 'INSERT' THEN NEW.job_id ELSE OLD.job_id END);
    IF job_status IN ('verified', 'certified') THEN
        RAISE EXCEPTION 'evidence of a % destruction job cannot be changed: % refused',
            job_status, TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.job_id <> OLD.job_id THEN
        SELECT status INTO job_status FROM destruction_destructionjob WHERE id = NEW.job_id;
        IF job_status IN ('verified', 'certified') THEN
            RAISE EXCEPTION 'evidence cannot be moved to a % job', job_status
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER destruction_evidence_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON destruction_evidence
    FOR EACH ROW EXECUTE FUNCTION destruction_evidence_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS destruction_evidence_immutable ON destruction_evidence;
DROP FUNCTION IF EXISTS destruction_evidence_immutable();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("destruction", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
