"""The quarter's cycle for the agenda-item and document tests (import ``cycle`` to use it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from time_machine import TimeMachineFixture

from agenda.models import AgendaItem, Invitation, Session
from agenda.services.invitations import invitation_create
from consult.quarters import Quarter
from members.models import Party, SeatArrangement
from tests.clock import quarter_moment
from tests.factories import (
    AgendaItemFactory,
    PartyFactory,
    SeatFactory,
    SessionFactory,
    UserFactory,
    analyst_user,
    delegate,
    seat_for,
    secretariat_user,
)


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


@pytest.fixture
def media_root(settings, tmp_path):
    """Stored files go to a fresh folder per test (the storage follows MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def cycle(db, media_root, time_machine: TimeMachineFixture) -> Cycle:
    """The cycle of the current quarter, on the 20th day of it: this quarter's session
    is three weeks ahead, the next quarter's in four months."""
    time_machine.move_to(quarter_moment(Quarter.current()), tick=True)
    parties = {
        "USA": PartyFactory(code="USA", name_en="United States"),
        "RUS": PartyFactory(code="RUS", name_en="Russia"),
        "NATO": PartyFactory(code="NATO", name_en="NATO", kind=Party.Kind.ORGANISATION),
        "EU": PartyFactory(code="EU", name_en="European Union", kind=Party.Kind.ORGANISATION),
        "UKR": PartyFactory(code="UKR", name_en="Ukraine"),
        "CSTO": PartyFactory(code="CSTO", name_en="CSTO", kind=Party.Kind.ORGANISATION),
    }
    for code in ("USA", "RUS"):
        seat_for(parties[code])
    for code in ("NATO", "EU"):
        seat_for(parties[code], mode=SeatArrangement.Mode.INSTITUTION)
    SeatFactory(party=parties["CSTO"], is_observer=True)
    delegates = {code: delegate(parties[code]) for code in ("USA", "RUS", "NATO", "EU")}
    delegates["UKR"] = delegate(parties["UKR"], standing=False)
    delegates["CSTO"] = delegate(parties["CSTO"], standing=False)

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
        for code in ("USA", "RUS", "NATO", "EU"):
            invitation_create(
                session=target, party=parties[code], kind=Invitation.Kind.MEMBER, user=None,
                notify=False,
            )  # fmt: skip
    invitation_create(
        session=session, party=parties["CSTO"], kind=Invitation.Kind.OBSERVER, user=None,
        notify=False,
    )  # fmt: skip
    invitation_create(
        session=session,
        party=parties["UKR"],
        kind=Invitation.Kind.AD_HOC,
        item=ukraine_item,
        user=None,
        notify=False,
    )
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
