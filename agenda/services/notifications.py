"""Session notices: who of a session is told (every delegate of an invited party) and what.

Recording and delivering a notice, once per (user, session, key), is the notices
app's (``notices.services.notifications``); this module words the session's. A notice is
worded for each recipient in their language, so its texts are lazy (``worded``): they are
formatted only when the notices app renders them under the recipient's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

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


def worded(text: Callable[[], str]) -> Promise:
    """``text()`` as a lazy string: called (and so translated, its dates formatted) each time
    it is read, in the language then active."""
    # django-stubs types a lazy call as its result type; it is a Promise until read.
    return cast(Promise, lazy(text, str)())


def session_summary(session: Session) -> str:
    """The session's number, title, venue, times and status, in the active language."""
    zone = session.venue_timezone
    local_format = "l j F Y, H:i"
    lines = [
        f"{session.number}{': ' + session.title if session.title else ''}",
        _("Venue: %(venue)s") % {"venue": session.venue},
        _("From %(opening)s to %(closing)s (%(zone)s); %(utc)s UTC.")
        % {
            "opening": format_in_zone(session.starts_at, zone, local_format),
            "closing": format_in_zone(session.ends_at, zone, local_format),
            "zone": zone,
            "utc": format_in_zone(session.starts_at, "UTC", "j F Y, H:i"),
        },
        _("Status: %(status)s.") % {"status": session.get_status_display()},
    ]
    return "\n".join(lines)


def session_delegates_notify(
    *, session: Session, key: str, subject: str | Promise, intro: str | Promise
) -> int:
    """Notify every delegate of every invited party once under ``key``, each in their
    language when ``subject`` and ``intro`` are lazy."""
    body = format_lazy("{}\n\n{}\n", intro, worded(lambda: session_summary(session)))
    return len(
        notifications_create(
            session=session,
            users=invited_delegates(session=session),
            key=key,
            subject=subject,
            body=body,
        )
    )
