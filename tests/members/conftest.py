"""A small table built through the services: four seats, a few member states, roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from consult.quarters import Quarter
from members.models import Delegation, Party, Seat
from members.services.delegations import delegation_create, delegation_member_add
from members.services.parties import party_create, party_membership_add
from members.services.seats import seat_create
from members.services.users import user_create
from tests.factories import PASSWORD

STATES = {
    # code: (English, French, Russian, NATO since, EU since)
    "USA": ("United States", "États-Unis", "Соединённые Штаты", 1949, None),
    "RUS": ("Russia", "Russie", "Россия", None, None),
    "AUT": ("Austria", "Autriche", "Австрия", None, 1995),
    "BEL": ("Belgium", "Belgique", "Бельгия", 1949, 1958),
    "DEU": ("Germany", "Allemagne", "Германия", 1955, 1958),
    "ESP": ("Spain", "Espagne", "Испания", 1982, 1986),
    "FRA": ("France", "France", "Франция", 1949, 1958),
    "NOR": ("Norway", "Norvège", "Норвегия", 1949, None),
    "POL": ("Poland", "Pologne", "Польша", 1999, 2004),
    "UKR": ("Ukraine", "Ukraine", "Украина", None, None),
}


@dataclass
class Table:
    quarter: Quarter
    parties: dict[str, Party]
    seats: dict[str, Seat]
    delegations: dict[str, Delegation]
    secretary: Any
    analyst: Any

    def delegate(self, code: str, username: str, role: str = "head") -> Any:
        user = user_create(
            username=username, first_name=username.title(), last_name="Delegate", password=PASSWORD
        )
        delegation_member_add(
            delegation=self.delegations[code],
            user=user,
            role=role,
            valid_from=self.quarter_start,
        )
        return user

    @property
    def quarter_start(self) -> datetime:
        return datetime.combine(self.quarter.first_day, datetime.min.time(), tzinfo=UTC)


@pytest.fixture
def table(db) -> Table:
    quarter = Quarter.current()
    parties = {
        code: party_create(code=code, kind="state", name_en=en, name_fr=fr, name_ru=ru)
        for code, (en, fr, ru, _, _) in STATES.items()
    }
    parties["NATO"] = party_create(
        code="NATO", kind="organisation", name_en="North Atlantic Treaty Organization"
    )
    parties["EU"] = party_create(
        code="EU", kind="organisation", name_en="European Union", name_fr="Union européenne"
    )
    for code, (_, _, _, nato, eu) in STATES.items():
        if nato:
            party_membership_add(
                member=parties[code], organisation=parties["NATO"], since_year=nato
            )
        if eu:
            party_membership_add(member=parties[code], organisation=parties["EU"], since_year=eu)
    secretary = user_create(
        username="secretary",
        first_name="Anna",
        last_name="Fischer",
        password=PASSWORD,
        roles=["secretariat"],
    )
    analyst = user_create(
        username="analyst",
        first_name="Daniel",
        last_name="Moreau",
        password=PASSWORD,
        roles=["analyst"],
    )
    seats = {
        "USA": seat_create(
            code="USA", name="United States", party=parties["USA"], mode="own", order=1
        ),
        "RUS": seat_create(code="RUS", name="Russia", party=parties["RUS"], mode="own", order=2),
        "NATO": seat_create(
            code="NATO", name="NATO", party=parties["NATO"], mode="rotating", order=3
        ),
        "EU": seat_create(
            code="EU",
            name="European Union",
            party=parties["EU"],
            mode="rotating",
            holders_per_term=2,
            order=4,
        ),
    }
    delegations = {
        code: delegation_create(party=party, is_standing=code != "UKR")
        for code, party in parties.items()
    }
    return Table(
        quarter=quarter,
        parties=parties,
        seats=seats,
        delegations=delegations,
        secretary=secretary,
        analyst=analyst,
    )
