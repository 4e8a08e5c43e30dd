"""Sessions: numbering, scheduling, the status workflow and extraordinary sessions.

Overlap and numbering are check-then-act, so every write that places a
session in time first takes one transaction-scoped advisory lock on
PostgreSQL: two secretaries, or two beats, serialise there and the second
sees what the first committed. The partial unique constraint
``one_regular_session_per_quarter`` and the unique ``number`` stay as the
backstop on databases without advisory locks (the embedded SQLite, which
serialises writers anyway).
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.models import Agenda, Invitation, Session
from agenda.services.invitations import invitation_create
from agenda.services.notifications import session_delegates_notify, worded
from audit.models import AuditEntry
from audit.services import audit_record
from consult.access import Distribution, require_secretariat
from consult.actors import Actor
from consult.errors import ApplicationError
from consult.quarters import Quarter
from consult.times import format_in_zone, utc_text
from consult.validation import check_visible
from members.models import ChairTerm, Party, Seat

NUMBER_PREFIX = "CCB"
SCHEDULE_LOCK_KEY = 0x43434253  # "CCBS": one key for every write that places a session in time

TRANSITIONS: dict[str, frozenset[str]] = {
    Session.Status.DRAFT: frozenset({Session.Status.SCHEDULED, Session.Status.CANCELLED}),
    Session.Status.SCHEDULED: frozenset({Session.Status.IN_SESSION, Session.Status.CANCELLED}),
    Session.Status.IN_SESSION: frozenset({Session.Status.HELD, Session.Status.CANCELLED}),
    Session.Status.HELD: frozenset({Session.Status.CLOSED, Session.Status.CANCELLED}),
    Session.Status.CLOSED: frozenset(),
    Session.Status.CANCELLED: frozenset(),
}
EDITABLE_STATUSES = (Session.Status.DRAFT, Session.Status.SCHEDULED)


def schedule_lock() -> None:
    """Serialise writes that place sessions in time, until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEDULE_LOCK_KEY])


def session_times_check(*, starts_at: datetime, ends_at: datetime, venue_timezone: str) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ApplicationError(
            _("Give start and end with their time zone."),
            fields={"starts_at": [_("Time zone missing.")]},
        )
    if ends_at <= starts_at:
        raise ApplicationError(
            _("A session must end after it starts."), fields={"ends_at": [_("Before the start.")]}
        )
    if venue_timezone not in zoneinfo.available_timezones():
        raise ApplicationError(
            _("%(zone)r is not a time zone; use a name such as Europe/Vienna.")
            % {"zone": venue_timezone},
            fields={"venue_timezone": [_("Unknown time zone.")]},
        )


def _check_overlap(
    *, starts_at: datetime, ends_at: datetime, exclude: Session | None = None
) -> None:
    others = Session.objects.exclude(status=Session.Status.CANCELLED)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    clash = (
        others.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).order_by("starts_at").first()
    )
    if clash is not None:
        raise ApplicationError(
            _("The session would overlap %(number)s (%(start)s to %(end)s).")
            % {
                "number": clash.number,
                "start": format_in_zone(clash.starts_at, "UTC", "d M Y H:i"),
                "end": utc_text(clash.ends_at, "d M Y H:i"),
            },
            fields={"starts_at": [_("Overlaps %(number)s.") % {"number": clash.number}]},
        )


def session_quarter(*, starts_at: datetime, venue_timezone: str) -> Quarter:
    """The quarter of a session is the quarter of its first day at the venue."""
    return Quarter.of(starts_at.astimezone(zoneinfo.ZoneInfo(venue_timezone)))


def _regular_number(quarter: Quarter) -> str:
    base = f"{NUMBER_PREFIX}/{quarter.year}/Q{quarter.q}"
    taken = set(Session.objects.filter(number__startswith=base).values_list("number", flat=True))
    if base not in taken:
        return base
    # Only a cancelled session can hold the plain number here (the partial
    # unique constraint allows one live regular session per quarter).
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


def _extraordinary_number(year: int) -> str:
    prefix = f"{NUMBER_PREFIX}/{year}/X"
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    used = [
        int(match[1])
        for number in Session.objects.filter(number__startswith=prefix).values_list(
            "number", flat=True
        )
        if (match := pattern.match(number))
    ]
    return f"{prefix}{max(used, default=0) + 1}"


def _chair_seat(quarter: Quarter) -> Seat | None:
    term = ChairTerm.objects.filter(quarter=str(quarter)).select_related("seat").first()
    return term.seat if term else None


@transaction.atomic
def session_create(
    *,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    venue: str,
    user: Actor | None,
    venue_timezone: str = "Europe/Vienna",
    title: str = "",
    distribution: str = Distribution.PARTICIPANTS,
    status: str = Session.Status.DRAFT,
    requested_by: Party | None = None,
    request_reason: str = "",
) -> Session:
    """Place a session in time, number it, give it its quarter's chair and an empty agenda."""
    require_secretariat(user, _("create sessions"))
    if kind not in Session.Kind.values:
        raise ApplicationError(
            _("Unknown session kind %(kind)r.") % {"kind": kind},
            fields={"kind": [_("Unknown.")]},
        )
    if distribution not in (
        Distribution.PUBLIC,
        Distribution.PARTICIPANTS,
        Distribution.SEAT_HOLDERS,
        Distribution.SECRETARIAT,
    ):
        raise ApplicationError(
            _("A session is public, for participants, for seat-holders or for the secretariat."),
            fields={"distribution": [_("Not a session level.")]},
        )
    if not venue.strip():
        raise ApplicationError(_("Name the venue."), fields={"venue": [_("Required.")]})
    session_times_check(starts_at=starts_at, ends_at=ends_at, venue_timezone=venue_timezone)
    schedule_lock()
    _check_overlap(starts_at=starts_at, ends_at=ends_at)
    quarter = session_quarter(starts_at=starts_at, venue_timezone=venue_timezone)
    if kind == Session.Kind.REGULAR:
        live = (
            Session.objects.filter(kind=Session.Kind.REGULAR, quarter=str(quarter))
            .exclude(status=Session.Status.CANCELLED)
            .first()
        )
        if live is not None:
            raise ApplicationError(
                _("%(quarter)s already has its regular session, %(number)s.")
                % {"quarter": quarter, "number": live.number},
                fields={"starts_at": [_("Quarter taken.")]},
            )
        number = _regular_number(quarter)
    else:
        local_start = starts_at.astimezone(zoneinfo.ZoneInfo(venue_timezone))
        number = _extraordinary_number(local_start.year)
    session = Session.objects.create(
        number=number,
        kind=kind,
        quarter=str(quarter),
        title=check_visible(title.strip(), field="title", label=_("The title")),
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue.strip(),
        venue_timezone=venue_timezone,
        chair=_chair_seat(quarter),
        status=status,
        distribution=distribution,
        requested_by=requested_by,
        request_reason=request_reason,
    )
    Agenda.objects.create(session=session)
    audit_record(
        kind=AuditEntry.Kind.CHANGE,
        user=user,
        obj=session,
        summary=f"Created session {session.number} ({session.get_status_display().lower()}).",
    )
    return session


@transaction.atomic
def session_update(
    *,
    session: Session,
    user: Actor | None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    venue: str | None = None,
    venue_timezone: str | None = None,
    title: str | None = None,
    distribution: str | None = None,
) -> Session:
    """Change a session; a new date or venue is notified once to every invited delegate."""
    require_secretariat(user, _("change sessions"))
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status not in EDITABLE_STATUSES:
        raise ApplicationError(
            _("%(number)s is %(status)s; only draft or scheduled sessions can be changed.")
            % {"number": session.number, "status": session.get_status_display().lower()}
        )
    new_starts = starts_at or session.starts_at
    new_ends = ends_at or session.ends_at
    new_zone = venue_timezone or session.venue_timezone
    new_venue = venue.strip() if venue is not None else session.venue
    if not new_venue:
        raise ApplicationError(_("Name the venue."), fields={"venue": [_("Required.")]})
    session_times_check(starts_at=new_starts, ends_at=new_ends, venue_timezone=new_zone)
    if new_starts != session.starts_at and new_starts <= timezone.now():
        raise ApplicationError(
            _(
                "%(number)s cannot be moved into the past: the new opening, "
                "%(opening)s (%(zone)s), has passed."
            )
            % {
                "number": session.number,
                "opening": format_in_zone(new_starts, new_zone, "j F Y, H:i"),
                "zone": new_zone,
            },
            fields={"starts_at": [_("In the past.")]},
        )
    quarter = session_quarter(starts_at=new_starts, venue_timezone=new_zone)
    if session.kind == Session.Kind.REGULAR and str(quarter) != session.quarter:
        raise ApplicationError(
            _("%(number)s is the regular session of %(quarter)s; it cannot move to %(new)s.")
            % {"number": session.number, "quarter": session.quarter, "new": quarter},
            fields={"starts_at": [_("Outside the session's quarter.")]},
        )
    rescheduled = (
        new_starts != session.starts_at
        or new_ends != session.ends_at
        or new_venue != session.venue
        or new_zone != session.venue_timezone
    )
    if rescheduled:
        schedule_lock()
        _check_overlap(starts_at=new_starts, ends_at=new_ends, exclude=session)
        session.schedule_revision += 1
    session.starts_at, session.ends_at = new_starts, new_ends
    session.venue, session.venue_timezone = new_venue, new_zone
    session.quarter = str(quarter)
    if title is not None:
        session.title = check_visible(title.strip(), field="title", label=_("The title"))
    if distribution is not None:
        if distribution == Distribution.DELEGATION:
            raise ApplicationError(
                _("A session cannot belong to one delegation."),
                fields={"distribution": [_("Not a session level.")]},
            )
        session.distribution = distribution
    session.save()
    if rescheduled:
        session_delegates_notify(
            session=session,
            key=f"change-{session.schedule_revision}",
            subject=worded(lambda: _("%(number)s: new date or venue") % {"number": session.number}),
            intro=worded(
                lambda: (
                    _("The date or venue of %(number)s has changed.") % {"number": session.number}
                )
            ),
        )
    audit_record(
        kind=AuditEntry.Kind.CHANGE,
        user=user,
        obj=session,
        summary=f"Changed session {session.number}.",
    )
    return session


@transaction.atomic
def session_transition(*, session: Session, to_status: str, user: Actor | None) -> Session:
    """Move a session along draft → scheduled → in session → held → closed, or cancel it."""
    require_secretariat(user, _("change a session's status"))
    session = Session.objects.select_for_update().get(pk=session.pk)
    if to_status not in Session.Status.values:
        raise ApplicationError(
            _("Unknown status %(status)r.") % {"status": to_status},
            fields={"status": [_("Unknown.")]},
        )
    allowed = TRANSITIONS[session.status]
    if to_status not in allowed:
        target = Session.Status(to_status).label.lower()
        current = session.get_status_display().lower()
        options = ", ".join(sorted(Session.Status(s).label.lower() for s in allowed)) or _("none")
        raise ApplicationError(
            _(
                "%(number)s is %(current)s; it cannot become %(target)s "
                "(possible next steps: %(options)s)."
            )
            % {"number": session.number, "current": current, "target": target, "options": options},
            fields={"status": [_("Not allowed from the current status.")]},
        )
    session.status = to_status
    session.save(update_fields=["status", "updated_at"])
    session_delegates_notify(
        session=session,
        key=f"status-{to_status}",
        subject=worded(
            lambda: (
                _("%(number)s: %(status)s")
                % {"number": session.number, "status": session.get_status_display().lower()}
            )
        ),
        intro=worded(
            lambda: (
                _("%(number)s is now %(status)s.")
                % {"number": session.number, "status": session.get_status_display().lower()}
            )
        ),
    )
    audit_record(
        kind=AuditEntry.Kind.TRANSITION,
        user=user,
        obj=session,
        summary=f"{session.number} is now {session.get_status_display().lower()}.",
    )
    return session


def session_invite_table(*, session: Session) -> list[Invitation]:
    """Invite the quarter's seat-holders (members) and observer seats not yet invited."""
    from members.selectors.seats import seat_holder_parties

    quarter = Quarter.parse(session.quarter)
    invited = set(
        Invitation.objects.filter(session=session, item__isnull=True)
        .exclude(status=Invitation.Status.REVOKED)
        .values_list("party_id", flat=True)
    )
    created = []
    wanted: list[tuple[Party, str]] = [
        (party, Invitation.Kind.MEMBER)
        for party in seat_holder_parties(quarter=quarter).select_related("delegation")
    ]
    wanted += [
        (seat.party, Invitation.Kind.OBSERVER)
        for seat in Seat.objects.filter(is_observer=True).select_related("party__delegation")
    ]
    for party, kind in wanted:
        if party.pk in invited or not hasattr(party, "delegation"):
            continue
        invited.add(party.pk)
        created.append(
            invitation_create(
                session=session,
                party=party,
                kind=kind,
                user=None,
                reason_code=Invitation.ReasonCode.SEAT_HOLDER
                if kind == Invitation.Kind.MEMBER
                else Invitation.ReasonCode.OBSERVER_SEAT,
                notify=False,
            )
        )
    return created
