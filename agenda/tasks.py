"""Celery tasks of the agenda app: thin, idempotent, retried on transient failures."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from agenda.services.notifications import notifications_deliver, notifications_deliver_pending
from agenda.services.planning import session_reminders_send, sessions_plan_ahead


@shared_task(name="agenda.tasks.sessions_plan_ahead_task")
def sessions_plan_ahead_task() -> list[str]:
    return [session.number for session in sessions_plan_ahead(now=timezone.now())]


@shared_task(name="agenda.tasks.session_reminders_send_task")
def session_reminders_send_task() -> int:
    """Hourly: the reminders due, and any notice whose delivery task was lost."""
    now = timezone.now()
    return session_reminders_send(now=now) + notifications_deliver_pending(now=now)


@shared_task(
    name="agenda.tasks.notifications_deliver_task",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def notifications_deliver_task(notification_ids: list[int]) -> int:
    return notifications_deliver(notification_ids=notification_ids)
