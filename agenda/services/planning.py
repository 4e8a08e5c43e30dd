"""The periodic work of the cycle: keeping four regular sessions planned, and reminders.

Both run from Celery beat and may run twice at once (two beats during a
deploy, a redelivered task): planning serialises on the schedule lock and
re-reads under it, reminders rely on the ``notify_once`` constraint.
"""

from __future__ import annotations

import logging
import zoneinfo
from datetime import date, datetime, time, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils.translation import ngettext

from agenda.models import Session
from agenda.services.notifications import session_delegates_notify, worded
from agenda.services.sessions import schedule_lock, session_create, session_invite_table
from consult.errors import ApplicationError
from consult.quarters import Quarter

logger = logging.getLogger(__name__)

PLAN_AHEAD = 4
DEFAULT_VENUE = "Hofburg, Vienna"
DEFAULT_TIMEZONE = "Europe/Vienna"
REMINDER_DAYS = (1, 7, 30)
# A session whose default slot is taken (by an extraordinary session) moves by
# a week, at most this many times, and stays inside its quarter.
SLOT_ATTEMPTS = 4


def regular_session_slot(quarter: Quarter, *, weeks_later: int = 0) -> tuple[datetime, datetime]:
    """Default slot: the first Tuesday on or after the 10th of the quarter's middle month,
    10:00 on the first day to 17:00 on the second, venue time."""
    zone = zoneinfo.ZoneInfo(DEFAULT_TIMEZONE)
    tenth = date(quarter.year, quarter.first_day.month + 1, 10)
    tuesday = tenth + timedelta(days=(1 - tenth.weekday()) % 7 + 7 * weeks_later)
    starts = datetime.combine(tuesday, time(10, 0), tzinfo=zone)
    ends = datetime.combine(tuesday + timedelta(days=1), time(17, 0), tzinfo=zone)
    return starts, ends


def planning_horizon(*, now: datetime) -> list[Quarter]:
    """The quarters whose regular session should exist: four, from the current one on,
    unless the current quarter has none and its default slot is already past."""
    first = Quarter.of(now)
    has_current = Session.objects.filter(kind=Session.Kind.REGULAR, quarter=str(first)).exists()
    if not has_current and regular_session_slot(first)[0] <= now:
        first = first + 1
    return first.following(PLAN_AHEAD)


def _plan_quarter(quarter: Quarter, *, now: datetime) -> Session | None:
    """Create the quarter's regular session if it has none; return it when created."""
    with transaction.atomic():
        schedule_lock()
        existing = Session.objects.filter(kind=Session.Kind.REGULAR, quarter=str(quarter))
        live = existing.exclude(status=Session.Status.CANCELLED).first()
        if live is not None:
            if live.status in (Session.Status.DRAFT, Session.Status.SCHEDULED):
                session_invite_table(session=live)
            return None
        if existing.exists():
            # The secretariat cancelled this quarter's session; planning does not undo that.
            return None
        for attempt in range(SLOT_ATTEMPTS):
            starts, ends = regular_session_slot(quarter, weeks_later=attempt)
            if starts <= now or Quarter.of(starts) != quarter:
                break
            try:
                session = session_create(
                    kind=Session.Kind.REGULAR,
                    starts_at=starts,
                    ends_at=ends,
                    venue=DEFAULT_VENUE,
                    venue_timezone=DEFAULT_TIMEZONE,
                    user=None,
                )
            except ApplicationError as refusal:
                logger.info("Slot %s for %s refused: %s", starts, quarter, refusal.message)
                continue
            except IntegrityError:
                # Without advisory locks (SQLite) a concurrent planner may win the race.
                return None
            session_invite_table(session=session)
            return session
    logger.warning("No free slot for the regular session of %s.", quarter)
    return None


def sessions_plan_ahead(*, now: datetime) -> list[Session]:
    """Keep the next four regular sessions planned, with chair and seat-holders invited.

    Idempotent: a second run creates nothing, also when both run at once."""
    created = []
    for quarter in planning_horizon(now=now):
        session = _plan_quarter(quarter, now=now)
        if session is not None:
            created.append(session)
    return created


def _reminder_subject(number: str, days: int) -> str:
    return ngettext(
        "Reminder: %(number)s in %(days)s day", "Reminder: %(number)s in %(days)s days", days
    ) % {"number": number, "days": days}


def _reminder_intro(number: str, days: int) -> str:
    return ngettext(
        "%(number)s opens in less than %(days)s day.",
        "%(number)s opens in less than %(days)s days.",
        days,
    ) % {"number": number, "days": days}


def session_reminders_send(*, now: datetime) -> int:
    """Remind invited delegates 30, 7 and 1 days before scheduled sessions; each once."""
    sent = 0
    upcoming = Session.objects.filter(
        status=Session.Status.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=max(REMINDER_DAYS)),
    )
    for session in upcoming:
        left = session.starts_at - now
        # Only the closest threshold: a session planned 5 days ahead gets the
        # 7-day reminder, not a belated 30-day one as well.
        days = min(d for d in REMINDER_DAYS if left <= timedelta(days=d))
        with transaction.atomic():
            sent += session_delegates_notify(
                session=session,
                key=f"reminder-{days}d",
                subject=worded(partial(_reminder_subject, session.number, days)),
                intro=worded(partial(_reminder_intro, session.number, days)),
            )
    return sent
