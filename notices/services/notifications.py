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


def notifications_deliver(*, notification_ids: list[int]) -> int:
    """Send the undelivered notices among ``notification_ids``; returns how many left.

    Each notice is claimed, sent and recorded in a transaction of its own, its row locked
    while it is sent (``SKIP LOCKED``: a second deliverer takes the others). A worker killed
    mid-way leaves the notices it sent recorded and the rest undelivered for the next
    deliverer; only a kill between the mail server's acceptance and the commit (one round
    trip) sends one twice, with the same Message-ID, which mail clients show once.
    """
    sent = 0
    connection = None
    try:
        for notification_id in sorted(set(notification_ids)):
            with transaction.atomic():
                notification = (
                    Notification.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("user")
                    .filter(pk=notification_id, delivered_at__isnull=True)
                    .first()
                )
                if notification is None:
                    continue  # delivered, or being delivered by another worker
                if notification.user.email:
                    if connection is None:
                        connection = mailers.default
                        connection.open()
                    connection.send_messages([_message(notification)])
                    sent += 1
                Notification.objects.filter(pk=notification.pk).update(delivered_at=timezone.now())
    finally:
        if connection is not None:
            connection.close()
    return sent


def _message(notification: Notification) -> EmailMessage:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "consult.invalid"
    return EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.user.email],
        # The same on a resend, so a copy sent twice is recognisably one message.
        headers={"Message-ID": f"<notice-{notification.pk}@{domain}>"},
    )


def notifications_deliver_pending(
    *,
    now: datetime,
    key_prefix: str = "",
    grace: timedelta = PENDING_GRACE,
    max_age: timedelta = PENDING_MAX_AGE,
) -> int:
    """Send the notices left undelivered for a while (their task was never sent because Redis
    was down when they were made, or their worker died); older ones are news no more. A
    caller with news that cannot wait (the crisis alert) asks sooner for its own keys.
    Returns how many left."""
    pending = Notification.objects.filter(
        delivered_at__isnull=True,
        sent_at__lt=now - grace,
        sent_at__gte=now - max_age,
        key__startswith=key_prefix,
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
