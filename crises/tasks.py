"""Celery tasks of the crisis toolkit: thin and idempotent."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from crises.services.alerts import alert_deliver, alerts_sweep
from crises.services.exercises import injects_release_due
from crises.services.reminders import round_reminders_send


@shared_task(
    name="crises.tasks.round_reminders_send_task",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def round_reminders_send_task() -> int:
    """Hourly: the 3-day and 1-day reminders to delegations that have not scored."""
    return round_reminders_send(now=timezone.now())


@shared_task(
    name="crises.tasks.alert_deliver_task",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def alert_deliver_task(alert_id: int) -> int:
    """After an alert is raised: record its recipients' notices (the e-mail follows)."""
    return alert_deliver(alert_id=alert_id)


@shared_task(name="crises.tasks.alerts_sweep_task")
def alerts_sweep_task() -> tuple[int, int]:
    """Every minute: deliveries a lost task or a dead worker left unsent, and the 5- and
    15-minute reminders to heads who have not acknowledged."""
    return alerts_sweep(now=timezone.now())


@shared_task(
    name="crises.tasks.injects_release_due_task",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def injects_release_due_task() -> int:
    """Each minute: the injects of running exercises whose scheduled time has come."""
    return injects_release_due(now=timezone.now())
