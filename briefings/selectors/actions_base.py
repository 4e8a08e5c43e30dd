"""The action centre's parts: an action, a line of actions, the centre, and how a line is made.

The action centre is what is waiting for the signed-in user, each line linked
to where it is done (``actions.action_centre``). It gathers from agenda,
minutes and briefings, so it lives here, in the app that may read all three.
Every line is one query (or a fixed few) whatever the number of sessions,
papers or delegates, and every row passes the access rule through the
selectors it is built on: a delegate sees their own delegation's objections
and missing positions, never another's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.db.models import (
    CharField,
    Model,
    QuerySet,
    Value,
)
from django.urls import reverse

from agenda.models import Session
from consult import access
from consult.actors import Actor

SHOWN = 10
"""At most this many rows per line; the line says how many more there are."""

_SEATED = "seat_holders_distribution"


@dataclass(frozen=True)
class Action:
    """One thing to do: what, about which session, by when, and the link where it is done."""

    text: str
    url: str
    session: str = ""
    due: datetime | None = None
    zone: str = "UTC"
    """The zone ``due`` is shown in: the venue's, for anything about a session."""
    detail: str = ""
    status: str = ""


@dataclass
class ActionLine:
    key: str
    title: str
    empty: str
    actions: list[Action] = field(default_factory=list)
    more: int = 0


@dataclass
class ActionCentre:
    lines: list[ActionLine]

    @property
    def pending(self) -> int:
        return sum(len(line.actions) + line.more for line in self.lines)

    def line(self, key: str) -> ActionLine:
        return next(line for line in self.lines if line.key == key)


def seat_holders_only[M: Model](queryset: QuerySet[M], user: Actor, session: str) -> QuerySet[M]:
    """Rows of sessions at which ``user``'s delegation holds a seat (the seat-holders rule)."""
    queryset = queryset.alias(
        **{_SEATED: Value(access.Distribution.SEAT_HOLDERS.value, output_field=CharField())}
    )
    return access.visible(queryset, user, distribution=_SEATED, session=session)


def session_url(session: Session) -> str:
    return session.get_absolute_url()


def session_action(session: Session, *, detail: str) -> Action:
    """The line's row naming ``session`` itself: linked to its page, due when it starts."""
    return Action(
        text=session.title or session.get_kind_display(),
        url=session_url(session),
        session=session.number,
        due=session.starts_at,
        zone=session.venue_timezone,
        detail=detail,
    )


def page_url(name: str, public_id: UUID | str) -> str:
    return reverse(name, kwargs={"public_id": public_id})


def action_line[T: Model](
    key: str, title: str, empty: str, rows: QuerySet[T], action: Callable[[T], Action]
) -> ActionLine:
    """A line of the first ``SHOWN`` of ``rows`` (one query), saying whether there are more."""
    found = list(rows[: SHOWN + 1])
    return ActionLine(
        key,
        title,
        empty,
        actions=[action(row) for row in found[:SHOWN]],
        more=max(0, len(found) - SHOWN),
    )
