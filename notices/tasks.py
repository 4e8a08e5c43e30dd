"""Celery tasks of the notices app: delivery after commit, and the sweep for lost deliveries."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from notices.services.notifications import notifications_deliver, notifications_deliver_pending


@shared_task(
    name="notices.tasks.notifications_deliver_task",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def notifications_deliver_task(notification_ids: list[int]) -> int:
    return notifications_deliver(notification_ids=notification_ids)


@shared_task(name="notices.tasks.notifications_deliver_pending_task")
def notifications_deliver_pending_task() -> int:
    """Hourly: any notice whose delivery task was lost (Redis was down when it was made)."""
    return notifications_deliver_pending(now=timezone.now())
