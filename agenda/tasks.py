"""Celery tasks of the agenda app: thin and idempotent."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from agenda.services.planning import session_reminders_send, sessions_plan_ahead


@shared_task(name="agenda.tasks.sessions_plan_ahead_task")
def sessions_plan_ahead_task() -> list[str]:
    return [session.number for session in sessions_plan_ahead(now=timezone.now())]


@shared_task(name="agenda.tasks.session_reminders_send_task")
def session_reminders_send_task() -> int:
    """Hourly: the reminders due."""
    return session_reminders_send(now=timezone.now())
