"""The provisional agenda: drafted, circulated for objections, adopted, reopened.

The secretariat edits the agenda only while it is a draft. Circulating it
opens an objection window for the seat-holders; adopting it needs the window
closed and every objection of that circulation answered (the body is
consultative: an objection is answered, not a veto). An adopted agenda is
locked; changing it means reopening it, which sends it back to draft for a
new circulation. Every change bumps ``Agenda.revision`` in the same
transaction, so briefing packs know when to rebuild.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from agenda.models import Agenda, Objection, Session
from agenda.services.notifications import session_summary, worded
from audit.models import AuditEntry
from audit.services import audit_record
from consult.access import require_secretariat
from consult.actors import Actor
from consult.errors import ApplicationError
from consult.quarters import Quarter
from consult.times import format_in_zone, utc_text
from members.selectors.delegations import delegation_users
from members.selectors.seats import seat_holder_parties
from notices.services.notifications import notifications_create

MAX_OBJECTION_WINDOW_DAYS = 60
# The objection window closes this long before the session opens, so the
# secretariat can answer the last objections and adopt the agenda at the
# opening at the latest; an extraordinary session, convened within days,
# keeps hours.
OBJECTIONS_CLOSE_BEFORE_OPENING = {
    Session.Kind.REGULAR: timedelta(hours=24),
    Session.Kind.EXTRAORDINARY: timedelta(hours=3),
}
# Session states in which the agenda is history, not work in progress.
FINISHED_SESSION_STATES = frozenset(
    {Session.Status.HELD, Session.Status.CLOSED, Session.Status.CANCELLED}
)


def objection_window_days() -> int:
    return int(settings.AGENDA_OBJECTION_WINDOW_DAYS)


def agenda_lock(session: Session) -> Agenda:
    agenda, _ = Agenda.objects.select_for_update().get_or_create(session=session)
    agenda.session = session
    return agenda


def agenda_lock_editable(session: Session) -> Agenda:
    if session.status in FINISHED_SESSION_STATES:
        raise ApplicationError(
            gettext("Session %(number)s is %(status)s; its agenda can no longer change.")
            % {"number": session.number, "status": session.get_status_display().lower()}
        )
    agenda = agenda_lock(session)
    if agenda.status == Agenda.Status.ADOPTED:
        raise ApplicationError(
            gettext(
                "The agenda of %(number)s is adopted; later changes need a new circulation. "
                "Reopen it first."
            )
            % {"number": session.number}
        )
    if agenda.status == Agenda.Status.CIRCULATED:
        raise ApplicationError(
            gettext(
                "The agenda of %(number)s is circulated for objections; reopen it to change "
                "it, then circulate it again."
            )
            % {"number": session.number}
        )
    return agenda


def agenda_revision_bump(agenda: Agenda, *fields: str) -> None:
    agenda.revision += 1
    agenda.save(update_fields=["revision", *fields])


@transaction.atomic
def agenda_circulate(*, session: Session, user: Actor, window_days: int | None = None) -> Agenda:
    """Send the draft agenda to the seat-holders, who may object until the deadline."""
    require_secretariat(user, gettext("circulate the agenda"))
    agenda = agenda_lock_editable(session)
    days = objection_window_days() if window_days is None else window_days
    if not 1 <= days <= MAX_OBJECTION_WINDOW_DAYS:
        raise ApplicationError(
            gettext("The objection window must last 1 to %(max)s days.")
            % {"max": MAX_OBJECTION_WINDOW_DAYS},
            fields={
                "window_days": [
                    gettext("Between 1 and %(max)s.") % {"max": MAX_OBJECTION_WINDOW_DAYS}
                ]
            },
        )
    if not agenda.items.exists():
        raise ApplicationError(
            gettext("An empty agenda cannot be circulated; add its items first.")
        )
    now = timezone.now()
    agenda.status = Agenda.Status.CIRCULATED
    agenda.circulated_at = now
    agenda.objection_deadline = objection_deadline(session=session, now=now, days=days)
    agenda.adopted_at = None
    agenda_revision_bump(agenda, "status", "circulated_at", "objection_deadline", "adopted_at")
    _notify_circulation(agenda)
    audit_record(
        kind=AuditEntry.Kind.TRANSITION,
        user=user,
        obj=session,
        summary=f"The agenda of {session.number} was circulated.",
    )
    return agenda


def objection_window_latest_close(session: Session) -> datetime:
    """The last moment the session's objection window may close."""
    return session.starts_at - OBJECTIONS_CLOSE_BEFORE_OPENING[Session.Kind(session.kind)]


def objection_deadline(*, session: Session, now: datetime, days: int) -> datetime:
    """The window's close: ``days`` from now, clamped to close before the session opens.

    A window asked longer than the time left is shortened (and the circulation
    notice gives the actual deadline) rather than refused, so a default window
    of ten days still fits a session a week away; only when no window fits
    before the opening is the circulation refused.
    """
    latest = objection_window_latest_close(session)
    if latest <= now:
        zone = session.venue_timezone
        raise ApplicationError(
            gettext(
                "%(number)s opens on %(opening)s (%(zone)s); an objection window must close by "
                "%(latest)s, which has passed. The agenda can no longer be circulated for "
                "objections."
            )
            % {
                "number": session.number,
                "opening": format_in_zone(session.starts_at, zone, "j F Y, H:i"),
                "zone": zone,
                "latest": format_in_zone(latest, zone, "j F Y, H:i"),
            },
            fields={"window_days": [gettext("No time left before the session opens.")]},
        )
    return min(now + timedelta(days=days), latest)


def _notify_circulation(agenda: Agenda) -> None:
    """Tell the seat-holders' delegates once per circulation; the items stay on the platform,
    where each reader sees those the rule allows."""
    session = agenda.session
    assert agenda.objection_deadline is not None
    deadline = agenda.objection_deadline
    seated = seat_holder_parties(quarter=Quarter.parse(session.quarter)).values("pk")
    notifications_create(
        session=session,
        users=delegation_users(party_ids=seated),
        key=f"agenda-circulated-{agenda.revision}",
        subject=worded(
            lambda: (
                gettext("Provisional agenda of %(number)s circulated for objections")
                % {"number": session.number}
            )
        ),
        body=worded(
            lambda: (
                gettext(
                    "The secretariat has circulated the provisional agenda of %(number)s. "
                    "Delegations holding a seat may object until %(deadline)s, on the platform."
                )
                % {"number": session.number, "deadline": utc_text(deadline, "d F Y, H:i")}
                + "\n\n"
                + session_summary(session)
            )
        ),
    )


def pending_objections(agenda: Agenda) -> QuerySet[Objection]:
    """Objections of the current circulation that the secretariat has not answered."""
    if agenda.circulated_at is None:
        return Objection.objects.none()
    return agenda.objections.filter(answered_at__isnull=True, created_at__gte=agenda.circulated_at)


def agenda_adoption_refusal(agenda: Agenda, *, now: datetime) -> str | None:
    """Why the agenda cannot be adopted now, or None when it can.

    The adoption service raises it; the builder page offers the button only
    when it is None, and shows the reason otherwise.
    """
    number = agenda.session.number
    if agenda.status == Agenda.Status.ADOPTED:
        return gettext("The agenda of %(number)s is already adopted.") % {"number": number}
    if agenda.status != Agenda.Status.CIRCULATED or agenda.objection_deadline is None:
        return gettext(
            "The agenda of %(number)s must be circulated for objections before adoption."
        ) % {"number": number}
    if now < agenda.objection_deadline:
        return gettext(
            "The objection window is open until %(deadline)s; adopt the agenda after it closes."
        ) % {"deadline": utc_text(agenda.objection_deadline, "d F Y, H:i")}
    waiting = pending_objections(agenda).count()
    if waiting:
        return ngettext(
            "%(count)s objection awaits an answer; answer it, or reopen the agenda to change "
            "it, before adoption.",
            "%(count)s objections await an answer; answer them, or reopen the agenda to change "
            "it, before adoption.",
            waiting,
        ) % {"count": waiting}
    return None


@transaction.atomic
def agenda_adopt(*, session: Session, user: Actor) -> Agenda:
    """Adopt a circulated agenda once its window closed and every objection was answered."""
    require_secretariat(user, gettext("adopt the agenda"))
    agenda = agenda_lock(session)
    now = timezone.now()
    refusal = agenda_adoption_refusal(agenda, now=now)
    if refusal is not None:
        raise ApplicationError(refusal)
    agenda.status = Agenda.Status.ADOPTED
    agenda.adopted_at = now
    agenda_revision_bump(agenda, "status", "adopted_at")
    audit_record(
        kind=AuditEntry.Kind.TRANSITION,
        user=user,
        obj=session,
        summary=f"The agenda of {session.number} was adopted.",
    )
    return agenda


@transaction.atomic
def agenda_reopen(*, session: Session, user: Actor) -> Agenda:
    """Send a circulated or adopted agenda back to draft; it needs a new circulation."""
    require_secretariat(user, gettext("reopen the agenda"))
    if session.status in FINISHED_SESSION_STATES:
        raise ApplicationError(
            gettext("Session %(number)s is %(status)s; its agenda can no longer change.")
            % {"number": session.number, "status": session.get_status_display().lower()}
        )
    agenda = agenda_lock(session)
    if agenda.status == Agenda.Status.DRAFT:
        raise ApplicationError(
            gettext("The agenda of %(number)s is already a draft.") % {"number": session.number}
        )
    agenda.status = Agenda.Status.DRAFT
    agenda.circulated_at = None
    agenda.objection_deadline = None
    agenda.adopted_at = None
    agenda_revision_bump(agenda, "status", "circulated_at", "objection_deadline", "adopted_at")
    audit_record(
        kind=AuditEntry.Kind.TRANSITION,
        user=user,
        obj=session,
        summary=f"The agenda of {session.number} was reopened.",
    )
    return agenda
