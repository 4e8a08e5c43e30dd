"""Reads of sessions and extraordinary requests, filtered by the access rule in SQL."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet

from agenda.models import AgendaItem, ExtraordinaryRequest, Invitation, Session
from consult import access
from consult.actors import Actor
from consult.quarters import Quarter
from members.models import ChairTerm

# A session is participants material of itself; an ad hoc party's view grant opens it too.
SESSION_FIELDS: dict[str, Any] = {
    "distribution": "distribution",
    "session": "pk",
    "session_view": True,
}
LIVE_STATUSES = (Invitation.Status.SENT, Invitation.Status.ACCEPTED, Invitation.Status.DECLINED)


def _items_prefetch(*, user: Actor) -> Prefetch[str, QuerySet[Any], str]:
    from agenda.selectors.agendas import agenda_item_list

    # A session lists its items' titles, not their guests: without the items' own
    # prefetch of invitations (hundreds per session in a long archive).
    items = agenda_item_list(user=user).prefetch_related(None).order_by("order")
    return Prefetch("items", queryset=items, to_attr="visible_items")


def session_list(
    *,
    user: Actor,
    quarter: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    upcoming_after: Any = None,
    with_items: bool = False,
) -> QuerySet[Session]:
    """The sessions ``user`` may read, latest first.

    ``with_items`` prefetches, as ``visible_items``, the items ``user`` may read.
    """
    sessions = Session.objects.select_related("chair__party", "requested_by")
    if quarter:
        sessions = sessions.filter(quarter=quarter)
    if kind:
        sessions = sessions.filter(kind=kind)
    if status:
        sessions = sessions.filter(status=status)
    if upcoming_after is not None:
        sessions = sessions.filter(ends_at__gt=upcoming_after)
    sessions = access.visible(sessions, user, **SESSION_FIELDS)
    if with_items:
        sessions = sessions.prefetch_related(_items_prefetch(user=user))
    return sessions.order_by("-starts_at")


def session_get(*, user: Actor, public_id: UUID | str) -> Session:
    """One readable session, or 404 exactly as for a missing one."""
    return access.get_visible_or_404(
        Session.objects.select_related("chair__party", "requested_by", "agenda"),
        user,
        fields=SESSION_FIELDS,
        public_id=public_id,
    )


def session_troikas(quarters: Iterable[str]) -> dict[str, list[ChairTerm | None]]:
    """Previous, current and next chair of each quarter, in one query for all of them."""
    wanted = {str(q): [str(Quarter.parse(q) + step) for step in (-1, 0, 1)] for q in quarters}
    all_quarters = {q for triple in wanted.values() for q in triple}
    terms = {
        term.quarter: term
        for term in ChairTerm.objects.filter(quarter__in=all_quarters).select_related("seat__party")
    }
    return {q: [terms.get(member) for member in triple] for q, triple in wanted.items()}


def session_invitations(*, user: Actor, session: Session) -> QuerySet[Invitation]:
    """Parties invited to a session the caller may read: to the whole session, or ad hoc
    to an item the caller may read too (an item's guests reveal its subject)."""
    from agenda.selectors.agendas import ITEM_FIELDS

    readable_items = access.visible(
        AgendaItem.objects.filter(session=session), user, **ITEM_FIELDS
    ).values("pk")
    return (
        Invitation.objects.filter(session=session, status__in=LIVE_STATUSES)
        .filter(Q(item__isnull=True) | Q(item__in=readable_items))
        .select_related("party", "item")
        .order_by("kind", "party__code", "pk")
    )


def extraordinary_request_list(
    *, user: Actor, status: str | None = None
) -> QuerySet[ExtraordinaryRequest]:
    """Extraordinary requests: all for the secretariat, a delegation's own otherwise."""
    requests = ExtraordinaryRequest.objects.select_related("party", "requested_by", "session")
    if status:
        requests = requests.filter(status=status)
    if access.reads_as_secretariat(user):
        return requests
    if not user.is_authenticated:
        return requests.none()
    return requests.filter(party_id__in=access.active_party_ids(user))


def session_quarter_choices(*, user: Actor) -> list[tuple[str, str]]:
    """The quarters of the sessions ``user`` may read, latest first: a filter's choices."""
    quarters = session_list(user=user).order_by("-quarter").values_list("quarter", flat=True)
    return [(quarter, quarter) for quarter in quarters.distinct()]


@dataclass(frozen=True)
class SessionChoices:
    """The sessions ``user`` may read, as a list's filter choices."""

    quarter: list[tuple[str, str]]
    session: list[tuple[str, str]]
    ids: frozenset[int]
    """Their ids: a page names a session, or links to it, only for these."""

    def as_choices(self) -> dict[str, list[tuple[str, str]]]:
        return {"quarter": self.quarter, "session": self.session}


def session_filter_choices(*, user: Actor) -> SessionChoices:
    """A list's "quarter" and "session" filter choices in one query: the quarters and the
    sessions ``user`` may read, latest first."""
    rows = list(session_list(user=user).values_list("pk", "public_id", "number", "quarter"))
    quarters = sorted({quarter for *_, quarter in rows}, reverse=True)
    return SessionChoices(
        quarter=[(quarter, quarter) for quarter in quarters],
        session=[(str(public_id), number) for _, public_id, number, _ in rows],
        ids=frozenset(pk for pk, *_ in rows),
    )
