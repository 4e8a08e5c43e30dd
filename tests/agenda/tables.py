"""The table of a quarter for the session and invitation tests (the ``table`` fixture)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from consult.quarters import Quarter
from members.models import ChairTerm, Party
from tests.factories import (
    DelegationFactory,
    MembershipFactory,
    UserFactory,
    analyst_user,
    secretariat_user,
)
from tests.worlds import table_delegate, table_parties, table_seats


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


def build_table(quarter: Quarter) -> Table:
    """The table of tests/worlds.py on seats of their own, with ``quarter``'s chair
    (the USA; the EU before, Russia and NATO after)."""
    parties = table_parties()
    seats = table_seats(parties)
    for step, code in zip(range(-1, 3), ("EU", "USA", "RUS", "NATO"), strict=True):
        ChairTerm.objects.create(quarter=str(quarter + step), seat=seats[code])
    for code in ("NATO", "EU"):
        DelegationFactory(party=parties[code])
    rus_adviser = UserFactory(username="rus-adviser")
    rus_head = table_delegate(parties["RUS"], "rus-head")
    MembershipFactory(delegation=parties["RUS"].delegation, user=rus_adviser, role="adviser")
    return Table(
        usa=parties["USA"],
        rus=parties["RUS"],
        nato=parties["NATO"],
        eu=parties["EU"],
        ukr=parties["UKR"],
        csto=parties["CSTO"],
        secretary=secretariat_user(),
        analyst=analyst_user(),
        usa_head=table_delegate(parties["USA"], "usa-head"),
        rus_head=rus_head,
        rus_adviser=rus_adviser,
        ukr_delegate=table_delegate(parties["UKR"], "ukr-delegate"),
        csto_delegate=table_delegate(parties["CSTO"], "csto-delegate"),
        quarter=quarter,
    )
