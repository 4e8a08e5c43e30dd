import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult.settings")

app = Celery("consult")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _close_stale_connections(task: object = None, **_: object) -> None:
    # Workers are long-lived: a connection broken while idle must not fail the next task.
    # An eager task runs on its caller's connection, inside the caller's transaction.
    if getattr(getattr(task, "request", None), "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


task_prerun.connect(_close_stale_connections, weak=False)
task_postrun.connect(_close_stale_connections, weak=False)
