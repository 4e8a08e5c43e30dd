"""The iCalendar feed of a user's sessions (RFC 5545), under the access rule like any list."""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib.auth.models import User
from django.utils import timezone
from icalendar import Calendar, Event

from agenda.models import CalendarFeed, Session
from agenda.selectors.sessions import session_list
from agenda.services.calendar import calendar_token_hash
from consult.actors import Actor

PRODID = "-//Crisis Consultation Platform//Sessions//EN"
STATUS: dict[str, str] = {
    Session.Status.DRAFT: "TENTATIVE",
    Session.Status.CANCELLED: "CANCELLED",
}


def calendar_feed_get(*, token: str) -> CalendarFeed | None:
    """The feed a token opens, if its user is still active; None otherwise."""
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=calendar_token_hash(token), user__is_active=True)
        .first()
    )


def calendar_feed_of(*, user: Actor) -> CalendarFeed | None:
    if not isinstance(user, User):
        return None
    return CalendarFeed.objects.filter(user=user).first()


def calendar_ics(*, user: Actor, uid_domain: str, now: datetime | None = None) -> bytes:
    """The sessions ``user`` may read, as an iCalendar document with times in UTC."""
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Consultation sessions")
    for session in session_list(user=user).order_by("starts_at"):
        event = Event()
        event.add("uid", f"session-{session.public_id}@{uid_domain}")
        event.add("dtstamp", now.astimezone(UTC))
        event.add("last-modified", session.updated_at.astimezone(UTC))
        event.add("sequence", session.schedule_revision)
        event.add("dtstart", session.starts_at.astimezone(UTC))
        event.add("dtend", session.ends_at.astimezone(UTC))
        event.add("summary", f"{session.number}{': ' + session.title if session.title else ''}")
        event.add("location", session.venue)
        event.add("status", STATUS.get(session.status, "CONFIRMED"))
        event.add("description", f"{session.get_kind_display()} session, {session.quarter}.")
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
