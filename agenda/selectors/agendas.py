"""Reads of agendas, their items and objections, filtered by the access rule in SQL."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import CharField, Prefetch, QuerySet, Value

from agenda.models import Agenda, AgendaItem, Invitation, Objection, Session
from consult import access
from consult.actors import Actor

# An item is read like a paper of its session; an ad hoc party's item grant opens it.
ITEM_FIELDS: dict[str, Any] = {"distribution": "distribution", "session": "session", "item": "pk"}
# Objections are secretariat material owned by the objecting delegation:
# the secretariat and that delegation read them, nobody else.
OBJECTION_FIELDS: dict[str, Any] = {
    "distribution": "objection_distribution",
    "session": None,
    "owner": "party",
}


def _live_item_invitations() -> Prefetch[str, QuerySet[Any], str]:
    return Prefetch(
        "invitations",
        queryset=Invitation.objects.exclude(status=Invitation.Status.REVOKED)
        .select_related("party")
        .order_by("party__code"),
        to_attr="live_invitations",
    )


def agenda_item_list(
    *,
    user: Actor,
    session: Session | None = None,
    session_public_id: UUID | str | None = None,
    quarter: str | None = None,
    kind: str | None = None,
    chatham_house: bool | None = None,
    is_open: bool | None = None,
) -> QuerySet[AgendaItem]:
    """The agenda items ``user`` may read, in session and agenda order."""
    items = AgendaItem.objects.select_related(
        "session", "proposer", "agenda", "carried_from__session"
    )
    if session is not None:
        items = items.filter(session=session)
    if session_public_id is not None:
        items = items.filter(session__public_id=session_public_id)
    if quarter:
        items = items.filter(session__quarter=quarter)
    if kind:
        items = items.filter(kind=kind)
    if chatham_house is not None:
        items = items.filter(chatham_house=chatham_house)
    if is_open is not None:
        items = items.filter(is_open=is_open)
    return access.visible(items, user, **ITEM_FIELDS).prefetch_related(_live_item_invitations())


def agenda_item_get(*, user: Actor, public_id: UUID | str) -> AgendaItem:
    """One readable item, or 404 exactly as for a missing one."""
    return access.get_visible_or_404(
        AgendaItem.objects.select_related("session", "proposer", "agenda").prefetch_related(
            _live_item_invitations()
        ),
        user,
        fields=ITEM_FIELDS,
        public_id=public_id,
    )


def agenda_get(*, user: Actor, session: Session) -> Agenda | None:
    """The agenda of a session the caller already may read, with the items ``user`` may read.

    None when the secretariat has not started one yet.
    """
    agenda = (
        Agenda.objects.filter(session=session)
        .prefetch_related(
            Prefetch(
                "items",
                queryset=agenda_item_list(user=user, session=session).order_by("order"),
                to_attr="visible_items",
            ),
            Prefetch(
                "objections",
                queryset=objection_list(user=user, session=session),
                to_attr="visible_objections",
            ),
        )
        .first()
    )
    if agenda is not None:
        agenda.session = session
    return agenda


def objection_list(*, user: Actor, session: Session | None = None) -> QuerySet[Objection]:
    """Objections the secretariat, or the objecting delegation itself, may read."""
    objections = Objection.objects.annotate(
        objection_distribution=Value(access.Distribution.SECRETARIAT, output_field=CharField())
    ).select_related("party", "item", "agenda__session", "raised_by", "answered_by")
    if session is not None:
        objections = objections.filter(agenda__session=session)
    return access.visible(objections, user, **OBJECTION_FIELDS)


def objection_get(*, user: Actor, public_id: UUID | str) -> Objection:
    return access.get_visible_or_404(
        Objection.objects.annotate(
            objection_distribution=Value(access.Distribution.SECRETARIAT, output_field=CharField())
        ).select_related("party", "item", "agenda__session"),
        user,
        fields=OBJECTION_FIELDS,
        public_id=public_id,
    )
