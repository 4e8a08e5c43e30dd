"""Session notices: who of a session is told (every delegate of an invited party) and what.

Recording and delivering a notice, once per (user, session, key), is the notices
app's (``notices.services.notifications``); this module words the session's.
"""

from __future__ import annotations

from typing import Any

from agenda.models import Invitation, Session
from consult.times import format_in_zone
from notices.services.notifications import notifications_create

LIVE_INVITATION_STATUSES = (Invitation.Status.SENT, Invitation.Status.ACCEPTED)


def invited_party_ids(*, session: Session) -> list[int]:
    """Parties with a live invitation (sent or accepted) to the session or one of its items."""
    return list(
        Invitation.objects.filter(session=session, status__in=LIVE_INVITATION_STATUSES)
        .values_list("party_id", flat=True)
        .distinct()
    )


def invited_delegates(*, session: Session) -> Any:
    """Users of the invited parties' delegations who read through them right now."""
    from members.selectors.delegations import delegation_users

    return delegation_users(party_ids=invited_party_ids(session=session))


def session_summary(session: Session) -> str:
    zone = session.venue_timezone
    local_format = "l j F Y, H:i"
    return (
        f"{session.number}{': ' + session.title if session.title else ''}\n"
        f"Venue: {session.venue}\n"
        f"From {format_in_zone(session.starts_at, zone, local_format)} "
        f"to {format_in_zone(session.ends_at, zone, local_format)} ({zone}); "
        f"{format_in_zone(session.starts_at, 'UTC', 'j F Y, H:i')} UTC.\n"
        f"Status: {session.get_status_display()}."
    )


def session_delegates_notify(*, session: Session, key: str, subject: str, intro: str) -> int:
    """Notify every delegate of every invited party once under ``key``."""
    body = f"{intro}\n\n{session_summary(session)}\n"
    return len(
        notifications_create(
            session=session,
            users=invited_delegates(session=session),
            key=key,
            subject=subject,
            body=body,
        )
    )
