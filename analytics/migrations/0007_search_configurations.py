"""Texts whose language is not recorded are indexed in "russian french" (see
SearchEntry): the entries written in "russian" alone are re-indexed here, so
French words are found at once rather than at the next nightly rebuild."""

from typing import Any

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

WEIGHTED = (
    "setweight(to_tsvector('{config}'::regconfig, COALESCE(title, '')), 'A')"
    " || setweight(to_tsvector('{config}'::regconfig, COALESCE(body, '')), 'B')"
)
# Papers keep the configuration of their recorded language.
UNRECORDED = "kind <> 'document' AND config = %s"


def _reindex(schema_editor: BaseDatabaseSchemaEditor, old: str, new: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    first, *others = new.split()
    vector = WEIGHTED.format(config=first)
    for config in others:
        vector = f"{vector} || ts_delete({WEIGHTED.format(config=config)}, tsvector_to_array({vector}))"
    schema_editor.execute(
        f"UPDATE analytics_searchentry SET config = %s, vector = {vector} WHERE {UNRECORDED}",
        [new, old],
    )


def forwards(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _reindex(schema_editor, "russian", "russian french")


def backwards(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _reindex(schema_editor, "russian french", "russian")


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0006_search_exercises"),
    ]

    operations = [
        migrations.AlterField(
            model_name="searchentry",
            name="config",
            field=models.CharField(
                help_text="PostgreSQL text search configurations, space-separated, the first one first.",
                max_length=32,
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
