"""The one table every test world is built on, and the fixtures all apps share.

The table: the United States and Russia (own seats), NATO and the EU (seats of
their own, or the EU's rotating and held by France this quarter); Ukraine,
accredited for the occasion and invited ad hoc to one item; the CSTO, on an
observer seat; Germany, a member without a seat where a world needs one. Items
may be under the Chatham House rule. Parties come from ``tests/factories.py``;
invitations, and the grants they carry, from the invitation services.

Each app's world (``cycle`` and ``table`` for the agenda, ``table`` for the
briefings, ``world`` for the record) is a thin fixture over these builders,
keeping the names and attributes its tests read. Loaded through
``pytest_plugins`` in ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from agenda.models import AgendaItem, Invitation, Session
from agenda.services.invitations import invitation_create
from consult.quarters import Quarter
from members.models import (
    Accreditation,
    DelegationMembership,
    Party,
    PartyMembership,
    RotationTerm,
    Seat,
    SeatArrangement,
)
from tests.factories import PartyFactory, SeatFactory, delegate, seat_for

SEAT_HOLDERS = ("USA", "RUS", "NATO", "EU")
ORGANISATIONS = frozenset({"NATO", "EU", "CSTO"})
# Accredited for the occasion rather than standing delegations.
ACCREDITED = frozenset({"UKR", "CSTO"})

SHORT_NAMES = {
    "USA": "United States",
    "RUS": "Russia",
    "NATO": "NATO",
    "EU": "European Union",
    "FRA": "France",
    "DEU": "Germany",
    "UKR": "Ukraine",
    "CSTO": "CSTO",
}
FULL_NAMES = {
    "USA": "United States of America",
    "RUS": "Russian Federation",
    "NATO": "North Atlantic Treaty Organization",
    "EU": "European Union",
    "FRA": "France",
    "DEU": "Germany",
    "UKR": "Ukraine",
    "CSTO": "Collective Security Treaty Organization",
}
# The table as most worlds seat it: NATO and the EU as institutions.
INSTITUTIONS = {"NATO": SeatArrangement.Mode.INSTITUTION, "EU": SeatArrangement.Mode.INSTITUTION}


def table_parties(
    codes: Iterable[str] = (*SEAT_HOLDERS, "UKR", "CSTO"),
    *,
    names: Mapping[str, str] = SHORT_NAMES,
) -> dict[str, Party]:
    """The table's parties by code (found again when they exist)."""
    return {
        code: PartyFactory(
            code=code,
            name_en=names[code],
            kind=Party.Kind.ORGANISATION if code in ORGANISATIONS else Party.Kind.STATE,
        )
        for code in codes
    }


def table_seats(
    parties: Mapping[str, Party],
    *,
    modes: Mapping[str, str] | None = None,
    observer: bool = True,
) -> dict[str, Seat]:
    """Seats for the four seat-holders (their own unless ``modes`` says otherwise) and,
    with ``observer``, the CSTO's observer seat."""
    seats = {
        code: seat_for(parties[code], mode=(modes or {}).get(code, SeatArrangement.Mode.OWN))
        for code in SEAT_HOLDERS
    }
    if observer:
        seats["CSTO"] = SeatFactory(party=parties["CSTO"], is_observer=True)
    return seats


def eu_held_by_france(parties: Mapping[str, Party], seat: Seat, quarter: Quarter) -> None:
    """France, a member of the EU, holds the EU's rotating seat in ``quarter``."""
    PartyMembership.objects.get_or_create(
        member=parties["FRA"], organisation=parties["EU"], defaults={"since_year": 1993}
    )
    RotationTerm.objects.get_or_create(
        seat=seat, quarter=str(quarter), position=1, defaults={"holder": parties["FRA"]}
    )


def table_delegate(
    party: Party,
    username: str | None = None,
    *,
    first: str = "",
    last: str = "",
    since: datetime | None = None,
) -> Any:
    """A current member of ``party``'s delegation (since ``since`` when given),
    accredited when the party is."""
    user = delegate(party, username, standing=party.code not in ACCREDITED)
    if first or last:
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    if since is not None:
        DelegationMembership.objects.filter(user=user).update(valid_from=since)
        Accreditation.objects.filter(user=user).update(valid_from=since)
    return user


def table_invite(
    session: Session,
    parties: Mapping[str, Party],
    *,
    members: Iterable[str] = SEAT_HOLDERS,
    observer: str | None = "CSTO",
    ad_hoc_item: AgendaItem | None = None,
) -> list[Invitation]:
    """Invite the table through the invitation services (which grant the access):
    ``members`` as members, ``observer`` as observer, Ukraine ad hoc to ``ad_hoc_item``."""
    invited: list[tuple[str, str, AgendaItem | None]] = [
        (code, Invitation.Kind.MEMBER, None) for code in members
    ]
    if observer is not None:
        invited.append((observer, Invitation.Kind.OBSERVER, None))
    if ad_hoc_item is not None:
        invited.append(("UKR", Invitation.Kind.AD_HOC, ad_hoc_item))
    return [
        invitation_create(
            session=session, party=parties[code], kind=kind, item=item, user=None, notify=False
        )
        for code, kind, item in invited
    ]


@pytest.fixture
def media_root(settings: Settings, tmp_path: Path) -> Path:
    """Stored files go to a fresh folder per test (the storage follows MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    root: Path = settings.MEDIA_ROOT
    return root
