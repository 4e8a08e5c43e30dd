"""Reads of a user's own notices: the e-mails the platform sent them, on a page."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from consult import access
from consult.actors import Actor
from notices.models import Notification

# A notice is read as its session is: the session's own rule (its distribution, the
# invitations' grants, an ad hoc party's view grant), through the notice's foreign key.
SESSION_OF_NOTICE = {
    "distribution": "session__distribution",
    "session": "session",
    "session_view": True,
}


def notification_list(*, user: Actor, unread: bool | None = None) -> QuerySet[Notification]:
    """``user``'s notices about sessions they may still read, newest first.

    A notice is addressed to one person; nobody else's is ever listed. Once
    the session is no longer readable to them (membership or accreditation
    ended), its notices are not shown either.
    """
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return Notification.objects.none()
    notices = access.visible(
        Notification.objects.filter(user=user), user, **SESSION_OF_NOTICE
    ).select_related("session")
    if unread is not None:
        notices = notices.filter(read_at__isnull=unread)
    return notices.order_by("-sent_at", "-pk")
