"""The table of a quarter for the session and invitation tests (import ``table`` to use it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from time_machine import TimeMachineFixture

from consult.quarters import Quarter
from members.models import ChairTerm, Party
from tests.clock import quarter_moment
from tests.factories import (
    DelegationFactory,
    MembershipFactory,
    PartyFactory,
    SeatFactory,
    UserFactory,
    analyst_user,
    delegate,
    seat_for,
    secretariat_user,
)


@dataclass
class Table:
    """Four seat-holders, Ukraine (ad hoc, accredited) and the CSTO (observer seat)."""

    usa: Party
    rus: Party
    nato: Party
    eu: Party
    ukr: Party
    csto: Party
    secretary: Any
    analyst: Any
    usa_head: Any
    rus_head: Any
    rus_adviser: Any
    ukr_delegate: Any
    csto_delegate: Any
    quarter: Quarter

    @property
    def seat_holders(self) -> list[Party]:
        return [self.usa, self.rus, self.nato, self.eu]


@pytest.fixture
def table(db, time_machine: TimeMachineFixture, request: pytest.FixtureRequest) -> Table:
    """The table of the current quarter, on the 20th day of it: sessions a month
    ahead (the factory's default) and a fortnight back fall within it. A test
    with a ``clock`` fixture of its own keeps its day."""
    quarter = Quarter.current()
    if "clock" not in request.fixturenames:
        time_machine.move_to(quarter_moment(quarter), tick=True)
    usa = PartyFactory(code="USA", name_en="United States")
    rus = PartyFactory(code="RUS", name_en="Russia")
    nato = PartyFactory(code="NATO", name_en="NATO", kind=Party.Kind.ORGANISATION)
    eu = PartyFactory(code="EU", name_en="European Union", kind=Party.Kind.ORGANISATION)
    ukr = PartyFactory(code="UKR", name_en="Ukraine")
    csto = PartyFactory(code="CSTO", name_en="CSTO", kind=Party.Kind.ORGANISATION)
    seats = {party.code: seat_for(party) for party in (usa, rus, nato, eu)}
    SeatFactory(party=csto, is_observer=True)
    for step, code in zip(range(-1, 3), ("EU", "USA", "RUS", "NATO"), strict=True):
        ChairTerm.objects.create(quarter=str(quarter + step), seat=seats[code])
    for code in ("NATO", "EU"):
        DelegationFactory(party=Party.objects.get(code=code))
    rus_adviser = UserFactory(username="rus-adviser")
    rus_head = delegate(rus, "rus-head")
    MembershipFactory(delegation=rus.delegation, user=rus_adviser, role="adviser")
    return Table(
        usa=usa,
        rus=rus,
        nato=nato,
        eu=eu,
        ukr=ukr,
        csto=csto,
        secretary=secretariat_user(),
        analyst=analyst_user(),
        usa_head=delegate(usa, "usa-head"),
        rus_head=rus_head,
        rus_adviser=rus_adviser,
        ukr_delegate=delegate(ukr, "ukr-delegate", standing=False),
        csto_delegate=delegate(csto, "csto-delegate", standing=False),
        quarter=quarter,
    )
