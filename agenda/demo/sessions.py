"""Demo sessions on top of the members demo: the current quarter's regular session
(scheduled), the planner's next regular sessions, an extraordinary session convened
at Russia's request, and the invitations of the table. Then the agenda papers demo
(``agenda.demo.documents``) fills the agendas and papers.

Idempotent: what exists is left alone, so running it twice changes nothing.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.utils import timezone

from agenda.models import ExtraordinaryRequest, Session
from agenda.services.extraordinary import (
    extraordinary_request_create,
    session_convene_extraordinary,
)
from agenda.services.planning import (
    DEFAULT_TIMEZONE,
    DEFAULT_VENUE,
    regular_session_slot,
    sessions_plan_ahead,
)
from agenda.services.sessions import session_create, session_invite_table, session_transition
from consult.errors import ApplicationError
from consult.quarters import Quarter

SECRETARIAT_USERNAME = "secretariat"
REQUESTING_HEAD = "delegate-rus"
EXTRAORDINARY_REASON = (
    "A naval incident in the Black Sea: a collision between a patrol vessel and a "
    "merchant ship, with conflicting accounts of who crossed which line."
)


def _current_slot(quarter: Quarter, now: datetime) -> tuple[datetime, datetime]:
    """The quarter's default slot, or, when it has passed, a week from now if that
    is still inside the quarter (the demo's current session is still to come)."""
    starts, ends = regular_session_slot(quarter)
    if starts > now:
        return starts, ends
    zone = zoneinfo.ZoneInfo(DEFAULT_TIMEZONE)
    day = (now + timedelta(days=7)).astimezone(zone).date()
    if Quarter.of(day) != quarter:
        return starts, ends
    starts = datetime.combine(day, time(10, 0), tzinfo=zone)
    return starts, datetime.combine(day + timedelta(days=1), time(17, 0), tzinfo=zone)


def _current_session(quarter: Quarter, now: datetime) -> Session:
    existing = (
        Session.objects.filter(kind=Session.Kind.REGULAR, quarter=str(quarter))
        .exclude(status=Session.Status.CANCELLED)
        .first()
    )
    if existing is not None:
        return existing
    starts, ends = _current_slot(quarter, now)
    session = session_create(
        kind=Session.Kind.REGULAR,
        starts_at=starts,
        ends_at=ends,
        venue=DEFAULT_VENUE,
        venue_timezone=DEFAULT_TIMEZONE,
        # No title: a regular session is named by its number, in every language.
        user=None,
    )
    session_invite_table(session=session)
    return session


def _schedule(session: Session, secretary: Any) -> None:
    if session.status == Session.Status.DRAFT:
        session_transition(session=session, to_status=Session.Status.SCHEDULED, user=secretary)


def _extraordinary(secretary: Any, now: datetime) -> Session | None:
    """Russia's head asks, the secretariat convenes two days later (within 72 hours)."""
    if Session.objects.filter(kind=Session.Kind.EXTRAORDINARY).exists():
        return None
    request = ExtraordinaryRequest.objects.filter(
        status=ExtraordinaryRequest.Status.PENDING
    ).first()
    head = get_user_model().objects.filter(username=REQUESTING_HEAD).first()
    if request is None and head is not None:
        request = extraordinary_request_create(user=head, reason=EXTRAORDINARY_REASON)
    zone = zoneinfo.ZoneInfo(DEFAULT_TIMEZONE)
    for days, hour in ((2, 10), (1, 10), (2, 18), (1, 18)):
        starts = datetime.combine(
            (now + timedelta(days=days)).astimezone(zone).date(), time(hour, 0), tzinfo=zone
        )
        try:
            return session_convene_extraordinary(
                user=secretary,
                starts_at=starts,
                ends_at=starts + timedelta(hours=4),
                venue=DEFAULT_VENUE,
                venue_timezone=DEFAULT_TIMEZONE,
                title="Incident in the Black Sea",
                reason="" if request is not None else EXTRAORDINARY_REASON,
                request=request,
                now=now,
            )
        except ApplicationError:
            # That slot is taken (or already past): the next candidate is tried.
            continue
    return None


def seed(*, stdout: TextIO | None = None) -> bool:
    """The sessions and invitations; False when the members demo has not run."""
    secretary = get_user_model().objects.filter(username=SECRETARIAT_USERNAME).first()
    if secretary is None:
        if stdout is not None:
            stdout.write("Sessions: skipped (run the members demo first).\n")
        return False
    now = timezone.now()
    quarter = demo_quarter(now)
    current = _current_session(quarter, now)
    planned = sessions_plan_ahead(now=now)
    _schedule(current, secretary)
    convened = _extraordinary(secretary, now)
    if stdout is not None:
        made = [session.number for session in planned]
        if convened is not None:
            made.append(convened.number)
        stdout.write(
            f"Sessions: {current.number} scheduled; "
            f"{', '.join(made) if made else 'nothing new'} created.\n"
        )
    return True


def demo_quarter(now: datetime | None = None) -> Quarter:
    """The quarter whose regular session the demo presents as the one to come: this
    quarter, unless its session's slot has passed and a week from now is already in the
    next quarter (the last days of a quarter): then the next one, this one being held."""
    now = now or timezone.now()
    quarter = Quarter.current()
    starts, _ = regular_session_slot(quarter)
    if starts > now:
        return quarter
    week_ahead = (now + timedelta(days=7)).astimezone(zoneinfo.ZoneInfo(DEFAULT_TIMEZONE))
    return quarter if Quarter.of(week_ahead.date()) == quarter else quarter + 1
