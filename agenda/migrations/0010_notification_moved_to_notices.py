# Notification now belongs to the notices app, which took over the table as it is.

from django.db import migrations


def content_type_to(app_label):
    """Move the model's content type (and so its permissions) to ``app_label``."""

    def move(apps, schema_editor):
        content_types = apps.get_model('contenttypes', 'ContentType').objects.using(
            schema_editor.connection.alias
        )
        other = 'agenda' if app_label == 'notices' else 'notices'
        # Once both exist (migrated back and forth), the other one is left stale.
        if not content_types.filter(app_label=app_label, model='notification').exists():
            content_types.filter(app_label=other, model='notification').update(
                app_label=app_label
            )

    return move


class Migration(migrations.Migration):

    dependencies = [
        ('agenda', '0009_document_annotations'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('notices', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Notification')],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to('notices'), content_type_to('agenda')),
    ]
