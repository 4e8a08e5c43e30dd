"""Items of the provisional agenda: added, changed, removed, reordered, carried over.

Items change only while the agenda is a draft; every change bumps
``Agenda.revision`` in the same transaction (see ``agenda.services.agendas``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext

from agenda.models import Agenda, AgendaItem, Invitation, Session
from agenda.models.agendas import AGENDA_ITEM_PARALLEL
from agenda.services.agendas import agenda_lock_editable, agenda_revision_bump
from audit.models import AuditEntry
from audit.services import audit_record
from consult.access import Distribution, require_secretariat
from consult.actors import Actor
from consult.errors import ApplicationError
from consult.parallel import translation_columns, translations_outdate
from consult.validation import check_choice, clean_text
from members.models import Party

# Orders are renumbered through this offset so the (agenda, order) unique
# constraint holds after every single-row update.
_REORDER_OFFSET = 10_000


def _renumber(agenda: Agenda, ordered_pks: Sequence[int]) -> None:
    items = AgendaItem.objects.filter(agenda=agenda)
    items.update(order=F("order") + _REORDER_OFFSET)
    for position, pk in enumerate(ordered_pks, start=1):
        items.filter(pk=pk).update(order=position)


@transaction.atomic
def agenda_item_add(
    *,
    session: Session,
    user: Actor,
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
    require_secretariat(user, gettext("build the agenda"))
    agenda = agenda_lock_editable(session)
    _check_timetable(session, starts_at, duration_minutes)
    distribution = distribution or session.distribution
    item = AgendaItem(
        agenda=agenda,
        session=session,
        order=(agenda.items.aggregate(last=Max("order"))["last"] or 0) + 1,
        title=clean_text(
            title, field="title", label=gettext("The title"), max_length=200, visible=True
        ),
        kind=check_choice(kind, AgendaItem.Kind, field="kind", label=gettext("Kind")),
        description=(description or "").strip(),
        proposer=proposer,
        distribution=check_choice(
            distribution, Distribution, field="distribution", label=gettext("Distribution")
        ),
        chatham_house=chatham_house,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
    )
    _refuse_delegation_distribution(item.distribution)
    item.save()
    agenda_revision_bump(agenda)
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
                gettext("Give the time the item is taken up as well as its length."),
                fields={"starts_at": [gettext("Needed with a length.")]},
            )
        return
    if not session.starts_at <= starts_at < session.ends_at:
        raise ApplicationError(
            gettext("The item must be taken up while %(number)s meets.")
            % {"number": session.number},
            fields={"starts_at": [gettext("Outside the session's opening hours.")]},
        )
    if duration_minutes is None:
        return
    if duration_minutes < 1 or starts_at + timedelta(minutes=duration_minutes) > session.ends_at:
        raise ApplicationError(
            gettext("The item must end by the close of %(number)s.") % {"number": session.number},
            fields={"duration_minutes": [gettext("Longer than the rest of the session.")]},
        )


def _refuse_delegation_distribution(distribution: str) -> None:
    if distribution == Distribution.DELEGATION:
        raise ApplicationError(
            gettext(
                "An agenda item cannot be restricted to one delegation; choose public, "
                "participants, seat-holders or secretariat."
            ),
            fields={"distribution": [gettext("Not available for agenda items.")]},
        )


@transaction.atomic
def agenda_item_update(
    *,
    item: AgendaItem,
    user: Actor,
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
    require_secretariat(user, gettext("edit the agenda"))
    agenda = agenda_lock_editable(item.session)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    authoritative = (item.title, item.description)
    if title is not None:
        item.title = clean_text(
            title, field="title", label=gettext("The title"), max_length=200, visible=True
        )
    if kind is not None:
        item.kind = check_choice(kind, AgendaItem.Kind, field="kind", label=gettext("Kind"))
    if description is not None:
        item.description = description.strip()
    if proposer is not None or clear_proposer:
        item.proposer = proposer
    if distribution is not None:
        item.distribution = check_choice(
            distribution, Distribution, field="distribution", label=gettext("Distribution")
        )
        _refuse_delegation_distribution(item.distribution)
    if chatham_house is not None:
        item.chatham_house = chatham_house
    if is_open is not None:
        item.is_open = is_open
    if set_timetable:
        _check_timetable(item.session, starts_at, duration_minutes)
        item.starts_at, item.duration_minutes = starts_at, duration_minutes
    if (item.title, item.description) != authoritative:
        # The authoritative text changed: every translation is outdated until rewritten.
        translations_outdate(item, AGENDA_ITEM_PARALLEL)
    item.save()
    agenda_revision_bump(agenda)
    audit_record(
        kind=AuditEntry.Kind.CHANGE,
        user=user,
        obj=item,
        summary=f"Changed item {item.order} of the agenda of {item.session.number}.",
    )
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, user: Actor) -> None:
    """Delete an item of a draft agenda; the remaining items close ranks."""
    require_secretariat(user, gettext("edit the agenda"))
    agenda = agenda_lock_editable(item.session)
    invited = sorted(
        item.invitations.exclude(status=Invitation.Status.REVOKED).values_list(
            "party__code", flat=True
        )
    )
    if invited:
        # Their grants are derived from the invitations: revoking keeps them consistent.
        raise ApplicationError(
            gettext(
                "Item %(order)s has ad hoc invitations (%(parties)s); "
                "revoke them before removing the item."
            )
            % {"order": item.order, "parties": ", ".join(invited)}
        )
    AgendaItem.objects.filter(pk=item.pk, agenda=agenda).delete()
    _renumber(agenda, list(agenda.items.order_by("order").values_list("pk", flat=True)))
    agenda_revision_bump(agenda)
    audit_record(
        kind=AuditEntry.Kind.CHANGE,
        user=user,
        obj=item,
        summary=f"Removed item {item.order} from the agenda of {agenda.session.number}.",
    )


@transaction.atomic
def agenda_item_reorder(*, session: Session, user: Actor, item_ids: Sequence[UUID]) -> None:
    """Put the draft agenda's items in the order of ``item_ids`` (their public ids, all of them)."""
    require_secretariat(user, gettext("reorder the agenda"))
    agenda = agenda_lock_editable(session)
    current = dict(agenda.items.values_list("public_id", "pk"))
    wanted = [UUID(str(public_id)) for public_id in item_ids]
    if len(wanted) != len(set(wanted)) or set(wanted) != set(current):
        raise ApplicationError(
            gettext("List every item of the agenda exactly once to reorder it."),
            fields={"items": [gettext("Every item, once each.")]},
        )
    _renumber(agenda, [current[public_id] for public_id in wanted])
    agenda_revision_bump(agenda)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, user: Actor, offset: int) -> None:
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
def agenda_items_carry_over(
    *, from_session: Session, to_session: Session, user: Actor
) -> list[AgendaItem]:
    """Carry the open items of a session to a later one ("matters still under consideration").

    Each open item is copied to the end of the later session's draft agenda and
    closed where it was; running it twice carries nothing twice.
    """
    require_secretariat(user, gettext("carry items over"))
    if to_session.pk == from_session.pk or to_session.starts_at <= from_session.starts_at:
        raise ApplicationError(
            gettext("Items carry forward only: %(to)s does not follow %(from)s.")
            % {"to": to_session.number, "from": from_session.number}
        )
    agenda = agenda_lock_editable(to_session)
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
                # The same text in every language, each translation in the state it had.
                language=original.language,
                **{
                    column: getattr(original, column)
                    for column in translation_columns(AGENDA_ITEM_PARALLEL)
                },
            )
        )
    AgendaItem.objects.bulk_create(carried)
    AgendaItem.objects.filter(pk__in=[item.pk for item in open_items]).update(is_open=False)
    if carried:
        agenda_revision_bump(agenda)
    return carried
