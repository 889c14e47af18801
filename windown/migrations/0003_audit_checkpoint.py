"""Signed checkpoints of the audit log; on PostgreSQL, like the audit trail, append-only.

A rewritten log could otherwise be signed again after deleting the checkpoints it contradicts.
TRUNCATE passes only where the database sets `windown.allow_truncate` (the test database).
"""

import django.db.models.deletion
from django.db import migrations, models


CREATE = """
CREATE OR REPLACE FUNCTION windown_checkpoint_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('windown.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'windown_checkpoint is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER windown_checkpoint_no_update_delete
    BEFORE UPDATE OR DELETE ON windown_checkpoint
    FOR EACH ROW EXECUTE FUNCTION windown_checkpoint_append_only();
CREATE TRIGGER windown_checkpoint_no_truncate
    BEFORE TRUNCATE ON windown_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION windown_checkpoint_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS windown_checkpoint_no_truncate ON windown_checkpoint;
DROP TRIGGER IF EXISTS windown_checkpoint_no_update_delete ON windown_checkpoint;
DROP FUNCTION IF EXISTS windown_checkpoint_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('windown', '0002_audit_append_only'),
    ]

    operations = [
        migrations.CreateModel(
            name='Checkpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('tree_size', models.PositiveBigIntegerField(verbose_name='events covered')),
                ('root_hash', models.CharField(max_length=64, verbose_name='Merkle root (hex)')),
                ('signed_text', models.TextField(verbose_name='signed checkpoint')),
                ('created_at', models.DateTimeField(verbose_name='signed at')),
                ('winddown', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='audit_checkpoints', to='windown.winddown', verbose_name='wind-down')),
            ],
            options={
                'verbose_name': 'audit checkpoint',
                'verbose_name_plural': 'audit checkpoints',
                'ordering': ['winddown', '-tree_size'],
                'constraints': [models.UniqueConstraint(fields=('winddown', 'tree_size'), name='checkpoint_one_per_tree_size')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
