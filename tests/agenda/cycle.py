"""The quarter's cycle for the agenda-item and document tests (the ``cycle`` fixture)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from agenda.models import AgendaItem, Session
from consult.quarters import Quarter
from members.models import Party
from tests.factories import (
    AgendaItemFactory,
    SessionFactory,
    UserFactory,
    analyst_user,
    secretariat_user,
)
from tests.worlds import INSTITUTIONS, table_delegate, table_invite, table_parties, table_seats


@dataclass
class Cycle:
    """A quarter's table: four seat-holders, Ukraine ad hoc on one item, CSTO observing."""

    secretary: Any
    analyst: Any
    outsider: Any
    parties: dict[str, Party]
    delegates: dict[str, Any]
    session: Session
    next_session: Session
    ukraine_item: AgendaItem
    other_item: AgendaItem

    def user(self, code: str) -> Any:
        return self.delegates[code]


def build_cycle() -> Cycle:
    """The table of tests/worlds.py and two sessions: this quarter's, three weeks ahead,
    and the next quarter's, in four months. Ukraine is invited to the first item only;
    the second is under the Chatham House rule."""
    parties = table_parties()
    table_seats(parties, modes=INSTITUTIONS)
    delegates = {code: table_delegate(party) for code, party in parties.items()}

    now = timezone.now()
    session = SessionFactory(
        number="CCB/T/Q1", quarter=str(Quarter.of(now)), starts_at=now + timedelta(days=20)
    )
    next_session = SessionFactory(
        number="CCB/T/Q2",
        quarter=str(Quarter.of(now) + 1),
        starts_at=now + timedelta(days=110),
    )
    ukraine_item = AgendaItemFactory(
        agenda__session=session, order=1, title="The situation in and around Ukraine"
    )
    other_item = AgendaItemFactory(
        agenda=ukraine_item.agenda, order=2, title="Incidents at sea", chatham_house=True
    )
    for target in (session, next_session):
        table_invite(target, parties, observer=None)
    table_invite(session, parties, members=(), ad_hoc_item=ukraine_item)
    return Cycle(
        secretary=secretariat_user(),
        analyst=analyst_user(),
        outsider=UserFactory(username="outsider"),
        parties=parties,
        delegates=delegates,
        session=session,
        next_session=next_session,
        ukraine_item=ukraine_item,
        other_item=other_item,
    )
