"""On PostgreSQL, the database itself refuses to change or delete an audit entry,
whoever asks through the platform's connection. Only the retention prune
deletes, having set ``audit.pruning`` for its own transaction
(``SET LOCAL``). TRUNCATE (the test database's flush) is not a row event.
SQLite has no such guard; the model and its queryset refuse there."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_entry_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('audit.pruning', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_immutable
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_entry_immutable ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_immutable();
"""


def _run(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
