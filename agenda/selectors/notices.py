"""Reads of a user's own notices: the e-mails the platform sent them, on a page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from agenda.models import Notification
from agenda.selectors.sessions import session_list


def notification_list(user: Any, *, unread: bool | None = None) -> QuerySet[Notification]:
    """``user``'s notices about sessions they may still read, newest first.

    A notice is addressed to one person; nobody else's is ever listed. Once
    the session is no longer readable to them (membership or accreditation
    ended), its notices are not shown either.
    """
    if not user.is_authenticated:
        return Notification.objects.none()
    notices = Notification.objects.filter(
        user=user, session__in=session_list(user).order_by().values("pk")
    ).select_related("session")
    if unread is not None:
        notices = notices.filter(read_at__isnull=unread)
    return notices.order_by("-sent_at", "-pk")
