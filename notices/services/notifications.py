"""E-mail notices, each sent once per (user, session, key).

The ``notify_once`` constraint is the guard: a notice is recorded in the
caller's transaction, so a rolled-back change notifies nobody, and delivery
runs after commit in a task that claims undelivered rows with ``SKIP LOCKED``,
so two beats or a retried task never send a notice twice. What a notice says
is the caller's (agenda words session notices, briefings pack notices); a
caller that marks its words for translation (``gettext_lazy``, ``format_lazy``)
has each notice worded in its recipient's preferred language.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, mailers
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from consult.actors import Actor
from consult.queue import send_on_commit
from members.selectors.profiles import profile_languages
from notices.models import Notification

# Undelivered notices past the grace period had their task lost; past the
# maximum age they are left alone.
PENDING_GRACE = timedelta(minutes=10)
PENDING_MAX_AGE = timedelta(days=2)


@transaction.atomic
def notifications_create(
    *,
    session: models.Model,
    users: Iterable[User],
    key: str,
    subject: str | Promise,
    body: str | Promise,
) -> list[Notification]:
    """Record one notice per user who has not had this one yet, and deliver them after commit.

    A lazy ``subject`` or ``body`` is worded for each user in their preferred language."""
    users = list(users)
    languages = profile_languages(user_ids=[user.pk for user in users])

    def worded(user: User) -> tuple[str, str]:
        with translation.override(languages[user.pk]):
            return str(subject), str(body)

    already = set(
        Notification.objects.filter(
            session_id=session.pk, key=key, user_id__in=[user.pk for user in users]
        ).values_list("user_id", flat=True)
    )
    fresh = [
        Notification(user=user, session_id=session.pk, key=key, subject=texts[0], body=texts[1])
        for user in users
        if user.pk not in already
        for texts in [worded(user)]
    ]
    # A concurrent writer may insert the same notice between the read and the
    # insert; the constraint drops the duplicate and delivery claims rows by
    # lock, so each notice still leaves once.
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    created = list(
        Notification.objects.filter(
            session_id=session.pk,
            key=key,
            user_id__in=[n.user_id for n in fresh],
            delivered_at__isnull=True,
        )
    )
    if created:
        ids = [n.pk for n in created]

        def enqueue() -> None:
            from notices.tasks import notifications_deliver_task

            notifications_deliver_task.delay(ids)

        # Left undelivered when Redis is down; notifications_deliver_pending sends them.
        send_on_commit(enqueue, what="Notification delivery")
    return created


@transaction.atomic
def notifications_deliver(*, notification_ids: list[int]) -> int:
    """Send the undelivered notices among ``notification_ids``; returns how many left."""
    claimed = list(
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("user")
        .filter(pk__in=notification_ids, delivered_at__isnull=True)
    )
    messages = [
        EmailMessage(
            subject=notification.subject,
            body=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.user.email],
        )
        for notification in claimed
        if notification.user.email
    ]
    if messages:
        mailers.default.send_messages(messages)
    Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(delivered_at=timezone.now())
    return len(messages)


def notifications_deliver_pending(*, now: datetime) -> int:
    """Send the notices left undelivered for a while (their task was never sent because Redis
    was down when they were made); older ones are news no more. Returns how many left."""
    pending = Notification.objects.filter(
        delivered_at__isnull=True,
        sent_at__lt=now - PENDING_GRACE,
        sent_at__gte=now - PENDING_MAX_AGE,
    ).values_list("pk", flat=True)
    return notifications_deliver(notification_ids=list(pending))


@transaction.atomic
def notifications_mark_read(*, user: Actor, notification_ids: Iterable[int]) -> int:
    """Mark ``user``'s own notices among ``notification_ids`` as read; returns how many."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(
        user=user, pk__in=list(notification_ids), read_at__isnull=True
    ).update(read_at=timezone.now())
