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

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone

from agenda.models import Agenda, AgendaItem, Invitation, Objection, Session
from agenda.services.notifications import session_summary
from audit.models import AuditEntry
from audit.services import audit_record
from consult.access import Distribution, active_party_ids, require_secretariat
from consult.errors import ApplicationError
from consult.quarters import Quarter
from consult.times import format_in_zone, utc_text
from consult.validation import check_choice, clean_text
from members.models import Party
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
# Orders are renumbered through this offset so the (agenda, order) unique
# constraint holds after every single-row update.
_REORDER_OFFSET = 10_000


def objection_window_days() -> int:
    return int(settings.AGENDA_OBJECTION_WINDOW_DAYS)


def _locked_agenda(session: Session) -> Agenda:
    agenda, _ = Agenda.objects.select_for_update().get_or_create(session=session)
    agenda.session = session
    return agenda


def _editable_agenda(session: Session) -> Agenda:
    if session.status in FINISHED_SESSION_STATES:
        raise ApplicationError(
            f"Session {session.number} is {session.get_status_display().lower()}; "
            "its agenda can no longer change."
        )
    agenda = _locked_agenda(session)
    if agenda.status == Agenda.Status.ADOPTED:
        raise ApplicationError(
            f"The agenda of {session.number} is adopted; later changes need a new circulation. "
            "Reopen it first."
        )
    if agenda.status == Agenda.Status.CIRCULATED:
        raise ApplicationError(
            f"The agenda of {session.number} is circulated for objections; reopen it to change "
            "it, then circulate it again."
        )
    return agenda


def _bump(agenda: Agenda, *fields: str) -> None:
    agenda.revision += 1
    agenda.save(update_fields=["revision", *fields])


def _renumber(agenda: Agenda, ordered_pks: Sequence[int]) -> None:
    items = AgendaItem.objects.filter(agenda=agenda)
    items.update(order=F("order") + _REORDER_OFFSET)
    for position, pk in enumerate(ordered_pks, start=1):
        items.filter(pk=pk).update(order=position)


@transaction.atomic
def agenda_item_add(
    *,
    session: Session,
    user: Any,
    title: str,
    kind: str,
    description: str = "",
    proposer: Party | None = None,
    distribution: str | None = None,
    chatham_house: bool = False,
    starts_at: datetime | None = None,
    duration_minutes: int | None = None,
) -> AgendaItem:
    """Append an item to the draft agenda; its distribution defaults to the session's."""
    require_secretariat(user, "build the agenda")
    agenda = _editable_agenda(session)
    _check_timetable(session, starts_at, duration_minutes)
    distribution = distribution or session.distribution
    item = AgendaItem(
        agenda=agenda,
        session=session,
        order=(agenda.items.aggregate(last=Max("order"))["last"] or 0) + 1,
        title=clean_text(title, field="title", label="The title", max_length=200, visible=True),
        kind=check_choice(kind, AgendaItem.Kind, field="kind", label="Kind"),
        description=(description or "").strip(),
        proposer=proposer,
        distribution=check_choice(
            distribution, Distribution, field="distribution", label="Distribution"
        ),
        chatham_house=chatham_house,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
    )
    _refuse_delegation_distribution(item.distribution)
    item.save()
    _bump(agenda)
    audit_record(
        kind=AuditEntry.Kind.CHANGE,
        user=user,
        obj=item,
        summary=f"Added item {item.order} to the agenda of {session.number}.",
    )
    return item


def _check_timetable(
    session: Session, starts_at: datetime | None, duration_minutes: int | None
) -> None:
    """An item's slot lies within its session; a length needs a starting time."""
    if starts_at is None:
        if duration_minutes is not None:
            raise ApplicationError(
                "Give the time the item is taken up as well as its length.",
                fields={"starts_at": ["Needed with a length."]},
            )
        return
    if not session.starts_at <= starts_at < session.ends_at:
        raise ApplicationError(
            f"The item must be taken up while {session.number} meets.",
            fields={"starts_at": ["Outside the session's opening hours."]},
        )
    if duration_minutes is None:
        return
    if duration_minutes < 1 or starts_at + timedelta(minutes=duration_minutes) > session.ends_at:
        raise ApplicationError(
            f"The item must end by the close of {session.number}.",
            fields={"duration_minutes": ["Longer than the rest of the session."]},
        )


def _refuse_delegation_distribution(distribution: str) -> None:
    if distribution == Distribution.DELEGATION:
        raise ApplicationError(
            "An agenda item cannot be restricted to one delegation; choose public, "
            "participants, seat-holders or secretariat.",
            fields={"distribution": ["Not available for agenda items."]},
        )


@transaction.atomic
def agenda_item_update(
    *,
    item: AgendaItem,
    user: Any,
    title: str | None = None,
    kind: str | None = None,
    description: str | None = None,
    proposer: Party | None = None,
    clear_proposer: bool = False,
    distribution: str | None = None,
    chatham_house: bool | None = None,
    is_open: bool | None = None,
    set_timetable: bool = False,
    starts_at: datetime | None = None,
    duration_minutes: int | None = None,
) -> AgendaItem:
    """Change the given fields of an item of a draft agenda (``None`` leaves a field as it is).

    With ``set_timetable``, ``starts_at`` and ``duration_minutes`` replace the item's slot
    (``None`` clears them).
    """
    require_secretariat(user, "edit the agenda")
    agenda = _editable_agenda(item.session)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if title is not None:
        item.title = clean_text(
            title, field="title", label="The title", max_length=200, visible=True
        )
    if kind is not None:
        item.kind = check_choice(kind, AgendaItem.Kind, field="kind", label="Kind")
    if description is not None:
        item.description = description.strip()
    if proposer is not None or clear_proposer:
        item.proposer = proposer
    if distribution is not None:
        item.distribution = check_choice(
            distribution, Distribution, field="distribution", label="Distribution"
        )
        _refuse_delegation_distribution(item.distribution)
    if chatham_house is not None:
        item.chatham_house = chatham_house
    if is_open is not None:
        item.is_open = is_open
    if set_timetable:
        _check_timetable(item.session, starts_at, duration_minutes)
        item.starts_at, item.duration_minutes = starts_at, duration_minutes
    item.save()
    _bump(agenda)
    audit_record(
        kind=AuditEntry.Kind.CHANGE,
        user=user,
        obj=item,
        summary=f"Changed item {item.order} of the agenda of {item.session.number}.",
    )
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, user: Any) -> None:
    """Delete an item of a draft agenda; the remaining items close ranks."""
    require_secretariat(user, "edit the agenda")
    agenda = _editable_agenda(item.session)
    invited = sorted(
        item.invitations.exclude(status=Invitation.Status.REVOKED).values_list(
            "party__code", flat=True
        )
    )
    if invited:
        # Their grants are derived from the invitations: revoking keeps them consistent.
        raise ApplicationError(
            f"Item {item.order} has ad hoc invitations ({', '.join(invited)}); "
            "revoke them before removing the item."
        )
    AgendaItem.objects.filter(pk=item.pk, agenda=agenda).delete()
    _renumber(agenda, list(agenda.items.order_by("order").values_list("pk", flat=True)))
    _bump(agenda)
    audit_record(
        kind=AuditEntry.Kind.CHANGE,
        user=user,
        obj=item,
        summary=f"Removed item {item.order} from the agenda of {agenda.session.number}.",
    )


@transaction.atomic
def agenda_item_reorder(*, session: Session, user: Any, item_ids: Sequence[UUID]) -> None:
    """Put the draft agenda's items in the order of ``item_ids`` (their public ids, all of them)."""
    require_secretariat(user, "reorder the agenda")
    agenda = _editable_agenda(session)
    current = dict(agenda.items.values_list("public_id", "pk"))
    wanted = [UUID(str(public_id)) for public_id in item_ids]
    if len(wanted) != len(set(wanted)) or set(wanted) != set(current):
        raise ApplicationError(
            "List every item of the agenda exactly once to reorder it.",
            fields={"items": ["Every item, once each."]},
        )
    _renumber(agenda, [current[public_id] for public_id in wanted])
    _bump(agenda)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, user: Any, offset: int) -> None:
    """Move an item up (negative ``offset``) or down the draft agenda."""
    ordered = list(
        AgendaItem.objects.filter(agenda_id=item.agenda_id)
        .order_by("order")
        .values_list("public_id", flat=True)
    )
    position = ordered.index(item.public_id)
    target = max(0, min(len(ordered) - 1, position + offset))
    ordered.insert(target, ordered.pop(position))
    agenda_item_reorder(session=item.session, user=user, item_ids=ordered)


@transaction.atomic
def agenda_circulate(*, session: Session, user: Any, window_days: int | None = None) -> Agenda:
    """Send the draft agenda to the seat-holders, who may object until the deadline."""
    require_secretariat(user, "circulate the agenda")
    agenda = _editable_agenda(session)
    days = objection_window_days() if window_days is None else window_days
    if not 1 <= days <= MAX_OBJECTION_WINDOW_DAYS:
        raise ApplicationError(
            f"The objection window must last 1 to {MAX_OBJECTION_WINDOW_DAYS} days.",
            fields={"window_days": [f"Between 1 and {MAX_OBJECTION_WINDOW_DAYS}."]},
        )
    if not agenda.items.exists():
        raise ApplicationError("An empty agenda cannot be circulated; add its items first.")
    now = timezone.now()
    agenda.status = Agenda.Status.CIRCULATED
    agenda.circulated_at = now
    agenda.objection_deadline = objection_deadline(session=session, now=now, days=days)
    agenda.adopted_at = None
    _bump(agenda, "status", "circulated_at", "objection_deadline", "adopted_at")
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
            f"{session.number} opens on "
            f"{format_in_zone(session.starts_at, zone, 'j F Y, H:i')} ({zone}); an objection "
            f"window must close by {format_in_zone(latest, zone, 'j F Y, H:i')}, which has "
            "passed. The agenda can no longer be circulated for objections.",
            fields={"window_days": ["No time left before the session opens."]},
        )
    return min(now + timedelta(days=days), latest)


def _notify_circulation(agenda: Agenda) -> None:
    """Tell the seat-holders' delegates once per circulation; the items stay on the platform,
    where each reader sees those the rule allows."""
    session = agenda.session
    assert agenda.objection_deadline is not None
    seated = seat_holder_parties(quarter=Quarter.parse(session.quarter)).values("pk")
    notifications_create(
        session=session,
        users=delegation_users(party_ids=seated),
        key=f"agenda-circulated-{agenda.revision}",
        subject=f"Provisional agenda of {session.number} circulated for objections",
        body=(
            f"The secretariat has circulated the provisional agenda of {session.number}. "
            "Delegations holding a seat may object until "
            f"{utc_text(agenda.objection_deadline, 'd F Y, H:i')}, on the platform.\n\n"
            f"{session_summary(session)}"
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
        return f"The agenda of {number} is already adopted."
    if agenda.status != Agenda.Status.CIRCULATED or agenda.objection_deadline is None:
        return f"The agenda of {number} must be circulated for objections before adoption."
    if now < agenda.objection_deadline:
        return (
            "The objection window is open until "
            f"{utc_text(agenda.objection_deadline, 'd F Y, H:i')}; "
            "adopt the agenda after it closes."
        )
    waiting = pending_objections(agenda).count()
    if waiting:
        return (
            f"{waiting} objection{'s' if waiting > 1 else ''} await{'' if waiting > 1 else 's'} "
            "an answer; answer them, or reopen the agenda to change it, before adoption."
        )
    return None


def objection_refusal(agenda: Agenda | None, *, number: str, now: datetime) -> str | None:
    """Why no objection can be raised to the agenda now, or None while its window is open.

    The objection service raises it; the objection page offers its form only
    when it is None.
    """
    if agenda is not None and agenda.status == Agenda.Status.ADOPTED:
        return f"The agenda of {number} is adopted; objections are closed."
    if agenda is None or agenda.status != Agenda.Status.CIRCULATED:
        return f"The agenda of {number} has not been circulated; there is nothing to object to yet."
    if agenda.objection_deadline is None:
        return f"The agenda of {number} has not been circulated; there is nothing to object to yet."
    if now > agenda.objection_deadline:
        return (
            "The objection window closed on "
            f"{utc_text(agenda.objection_deadline, 'd F Y, H:i')}; "
            "objections are no longer accepted."
        )
    return None


@transaction.atomic
def agenda_adopt(*, session: Session, user: Any) -> Agenda:
    """Adopt a circulated agenda once its window closed and every objection was answered."""
    require_secretariat(user, "adopt the agenda")
    agenda = _locked_agenda(session)
    now = timezone.now()
    refusal = agenda_adoption_refusal(agenda, now=now)
    if refusal is not None:
        raise ApplicationError(refusal)
    agenda.status = Agenda.Status.ADOPTED
    agenda.adopted_at = now
    _bump(agenda, "status", "adopted_at")
    audit_record(
        kind=AuditEntry.Kind.TRANSITION,
        user=user,
        obj=session,
        summary=f"The agenda of {session.number} was adopted.",
    )
    return agenda


@transaction.atomic
def agenda_reopen(*, session: Session, user: Any) -> Agenda:
    """Send a circulated or adopted agenda back to draft; it needs a new circulation."""
    require_secretariat(user, "reopen the agenda")
    if session.status in FINISHED_SESSION_STATES:
        raise ApplicationError(
            f"Session {session.number} is {session.get_status_display().lower()}; "
            "its agenda can no longer change."
        )
    agenda = _locked_agenda(session)
    if agenda.status == Agenda.Status.DRAFT:
        raise ApplicationError(f"The agenda of {session.number} is already a draft.")
    agenda.status = Agenda.Status.DRAFT
    agenda.circulated_at = None
    agenda.objection_deadline = None
    agenda.adopted_at = None
    _bump(agenda, "status", "circulated_at", "objection_deadline", "adopted_at")
    audit_record(
        kind=AuditEntry.Kind.TRANSITION,
        user=user,
        obj=session,
        summary=f"The agenda of {session.number} was reopened.",
    )
    return agenda


@transaction.atomic
def objection_raise(
    *,
    session: Session,
    user: Any,
    text: str,
    item: AgendaItem | None = None,
    party: Party | None = None,
) -> Objection:
    """A seat-holder delegation objects to the circulated agenda (or one item) in the window.

    The same text from the same delegation on the same item in one circulation
    is one objection: sending it again (a double click, a retried request)
    answers the objection already raised.
    """
    agenda = _locked_agenda(session)
    refusal = objection_refusal(agenda, number=session.number, now=timezone.now())
    if refusal is not None:
        raise ApplicationError(refusal)
    objector = _objecting_party(session=session, user=user, party=party)
    if item is not None and item.agenda_id != agenda.pk:
        raise ApplicationError(
            "That item is not on this agenda.", fields={"item": ["Not an item of this agenda."]}
        )
    text = clean_text(text, field="text", label="The objection's text", max_length=5000)
    objection, _ = Objection.objects.get_or_create(
        agenda=agenda,
        party=objector,
        digest=objection_digest(agenda=agenda, item=item, text=text),
        defaults={"item": item, "text": text, "raised_by": user},
    )
    return objection


def objection_digest(*, agenda: Agenda, item: AgendaItem | None, text: str) -> str:
    assert agenda.circulated_at is not None
    key = "\n".join([agenda.circulated_at.isoformat(), str(item.public_id) if item else "", text])
    return hashlib.sha256(key.encode()).hexdigest()


def _objecting_party(*, session: Session, user: Any, party: Party | None) -> Party:
    quarter = Quarter.parse(session.quarter)
    seated = list(seat_holder_parties(quarter=quarter).filter(pk__in=active_party_ids(user)))
    if not seated:
        raise PermissionDenied(
            f"Only delegations holding a seat in {quarter} may object to the agenda."
        )
    if party is not None:
        if party not in seated:
            raise PermissionDenied(
                f"You do not belong to a delegation of {party.code} holding a seat in {quarter}."
            )
        return party
    if len(seated) > 1:
        raise ApplicationError(
            "You belong to several seat-holding delegations; say on whose behalf you object.",
            fields={"party": ["Choose the delegation."]},
        )
    return seated[0]


@transaction.atomic
def objection_answer(*, objection: Objection, user: Any, response: str) -> Objection:
    """The secretariat records its answer to an objection (adoption waits for every answer)."""
    require_secretariat(user, "answer objections")
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.answered_at is not None:
        raise ApplicationError("This objection has already been answered.")
    objection.response = clean_text(response, field="response", label="The answer", max_length=5000)
    objection.answered_by = user
    objection.answered_at = timezone.now()
    objection.save(update_fields=["response", "answered_by", "answered_at"])
    return objection


@transaction.atomic
def agenda_items_carry_over(
    *, from_session: Session, to_session: Session, user: Any
) -> list[AgendaItem]:
    """Carry the open items of a session to a later one ("matters still under consideration").

    Each open item is copied to the end of the later session's draft agenda and
    closed where it was; running it twice carries nothing twice.
    """
    require_secretariat(user, "carry items over")
    if to_session.pk == from_session.pk or to_session.starts_at <= from_session.starts_at:
        raise ApplicationError(
            f"Items carry forward only: {to_session.number} does not follow {from_session.number}."
        )
    agenda = _editable_agenda(to_session)
    open_items = list(
        AgendaItem.objects.select_for_update()
        .filter(session=from_session, is_open=True)
        .exclude(carried_to__session=to_session)
        .order_by("order")
    )
    next_order = (agenda.items.aggregate(last=Max("order"))["last"] or 0) + 1
    carried = []
    for offset, original in enumerate(open_items):
        carried.append(
            AgendaItem(
                agenda=agenda,
                session=to_session,
                order=next_order + offset,
                title=original.title,
                kind=original.kind,
                description=original.description,
                proposer_id=original.proposer_id,
                distribution=original.distribution,
                chatham_house=original.chatham_house,
                carried_from=original,
            )
        )
    AgendaItem.objects.bulk_create(carried)
    AgendaItem.objects.filter(pk__in=[item.pk for item in open_items]).update(is_open=False)
    if carried:
        _bump(agenda)
    return carried
