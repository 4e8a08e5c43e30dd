# The Notification model moves here from agenda; its table, agenda_notification, stays.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('agenda', '0009_document_annotations'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(help_text='e.g. reminder-7d, change-3', max_length=80)),
                        ('subject', models.CharField(max_length=200)),
                        ('body', models.TextField(blank=True)),
                        ('sent_at', models.DateTimeField(auto_now_add=True)),
                        ('delivered_at', models.DateTimeField(blank=True, help_text='Set once the e-mail left; a retried delivery skips it.', null=True)),
                        ('read_at', models.DateTimeField(blank=True, help_text='When its reader opened it on the notices page.', null=True)),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='agenda.session')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'agenda_notification',
                        'indexes': [models.Index(fields=['user', 'read_at'], name='agenda_noti_user_id_ed1577_idx')],
                        'constraints': [models.UniqueConstraint(fields=('user', 'session', 'key'), name='notify_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
