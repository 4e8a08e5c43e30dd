"""Demo data of the members app: the real parties, the four seats and an observer
seat, a planned rotation, delegations and one account per role, each with the
documented DEMO_PASSWORD and the documented DEMO_TOTP_SECRET as its second factor.

Idempotent: every step creates what is missing and leaves what exists, so
running it twice changes nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from consult.mfa import totp_enrol, totp_secret_matches
from consult.quarters import Quarter
from members.models import (
    Accreditation,
    Delegation,
    DelegationMembership,
    Party,
    PartyMembership,
    Seat,
    SeatArrangement,
)
from members.services.delegations import (
    accreditation_grant,
    delegation_create,
    delegation_member_add,
)
from members.services.parties import party_create, party_membership_add, party_update
from members.services.profiles import profile_language_set
from members.services.seats import seat_create
from members.services.terms import chair_plan, rotation_plan
from members.services.users import analyst_affiliation_set, role_groups_ensure, user_create

PARTIES_CSV = Path(__file__).resolve().parent / "data" / "parties.csv"
PLANNING_HORIZON = 8
ORGANISATION_COLUMNS = {"NATO": "nato_since", "EU": "eu_since", "CSTO": "csto_since"}

Mode = SeatArrangement.Mode
Role = DelegationMembership.Role


@dataclass(frozen=True)
class DemoSeat:
    code: str
    name: str
    party: str
    mode: str
    holders_per_term: int = 1
    is_observer: bool = False


SEATS = [
    DemoSeat("USA", "United States", "USA", Mode.OWN),
    DemoSeat("RUS", "Russia", "RUS", Mode.OWN),
    DemoSeat("NATO", "NATO", "NATO", Mode.ROTATING, holders_per_term=1),
    DemoSeat("EU", "European Union", "EU", Mode.ROTATING, holders_per_term=2),
    DemoSeat("CSTO", "CSTO (observer)", "CSTO", Mode.INSTITUTION, is_observer=True),
]
# Ukraine and the CSTO take part ad hoc or as observers: their delegates read
# only while accredited.
NON_STANDING = {"UKR", "CSTO"}


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    roles: tuple[str, ...] = ()
    delegation: str | None = None
    # An analyst's affiliation: a party code, or SECRETARIAT.
    analyst_of: str | None = None
    # The working language the person reads in (members.Profile.language).
    language: str = "en"


SECRETARIAT = "secretariat"


USERS = [
    DemoUser("secretariat", "Anna", "Fischer", roles=("secretariat",)),
    DemoUser("delegate-usa", "James", "Carter", delegation="USA"),
    DemoUser("delegate-rus", "Irina", "Volkova", delegation="RUS", language="ru"),
    DemoUser("delegate-nato", "Lars", "Eriksen", delegation="NATO"),
    DemoUser("delegate-eu", "Sophie", "Laurent", delegation="EU"),
    DemoUser("delegate-ukr", "Olena", "Kovalenko", delegation="UKR"),
    DemoUser("analyst", "Daniel", "Moreau", roles=("analyst",), analyst_of=SECRETARIAT),
    DemoUser("analyst-usa", "Grace", "Hopper", roles=("analyst",), analyst_of="USA"),
]


def _quarter_start(quarter: Quarter) -> datetime:
    return datetime.combine(quarter.first_day, datetime.min.time(), tzinfo=UTC)


def _parties() -> dict[str, Party]:
    with PARTIES_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    existing = {party.code: party for party in Party.objects.all()}
    for row in rows:
        party = existing.get(row["code"])
        if party is None:
            existing[row["code"]] = party_create(
                code=row["code"],
                kind=row["kind"],
                name_en=row["name_en"],
                name_fr=row["name_fr"],
                name_ru=row["name_ru"],
            )
        elif (party.name_en, party.name_fr, party.name_ru) != (
            row["name_en"],
            row["name_fr"],
            row["name_ru"],
        ):
            party_update(
                party=party, name_en=row["name_en"], name_fr=row["name_fr"], name_ru=row["name_ru"]
            )
    held = set(PartyMembership.objects.values_list("member__code", "organisation__code"))
    for row in rows:
        for organisation, column in ORGANISATION_COLUMNS.items():
            if row[column] and (row["code"], organisation) not in held:
                party_membership_add(
                    member=existing[row["code"]],
                    organisation=existing[organisation],
                    since_year=int(row[column]),
                )
    return existing


def _seats(parties: dict[str, Party], *, quarter: Quarter, secretary: Any) -> None:
    existing = set(Seat.objects.values_list("code", flat=True))
    for order, seat in enumerate(SEATS, start=1):
        if seat.code in existing:
            continue
        seat_create(
            code=seat.code,
            name=seat.name,
            party=parties[seat.party],
            mode=seat.mode,
            holders_per_term=seat.holders_per_term,
            is_observer=seat.is_observer,
            order=order,
            effective_from=quarter,
            created_by=secretary,
        )


def _delegations(parties: dict[str, Party]) -> dict[str, Delegation]:
    delegations = {d.party.code: d for d in Delegation.objects.select_related("party")}
    for code, party in parties.items():
        if code not in delegations:
            delegations[code] = delegation_create(party=party, is_standing=code not in NON_STANDING)
    return delegations


def _user(demo: DemoUser) -> Any:
    User = get_user_model()
    user = User.objects.filter(username=demo.username).first()
    if user is None:
        user = user_create(
            username=demo.username,
            first_name=demo.first_name,
            last_name=demo.last_name,
            email=f"{demo.username}@consult.invalid",
            roles=demo.roles,
        )
    if not user.check_password(settings.DEMO_PASSWORD):
        user.set_password(settings.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if not totp_secret_matches(user=user, secret=settings.DEMO_TOTP_SECRET):
        totp_enrol(user=user, secret=settings.DEMO_TOTP_SECRET)
    profile_language_set(user=user, language=demo.language)
    return user


def _members(
    delegations: dict[str, Delegation], users: dict[str, Any], *, quarter: Quarter, secretary: Any
) -> None:
    start = _quarter_start(quarter)
    for demo in USERS:
        if demo.delegation is None:
            continue
        user = users[demo.username]
        delegation = delegations[demo.delegation]
        if not DelegationMembership.objects.filter(user=user).exists():
            delegation_member_add(
                delegation=delegation, user=user, role=Role.HEAD, valid_from=start
            )
        if delegation.is_standing:
            continue
        accredited = Accreditation.objects.filter(
            user=user,
            delegation=delegation,
            revoked_at__isnull=True,
            valid_until__gt=datetime.now(UTC),
        ).exists()
        if not accredited:
            accreditation_grant(
                delegation=delegation,
                user=user,
                reference=f"Note verbale {delegation.party.code}/{quarter.year}/1",
                valid_from=start,
                valid_until=_quarter_start(quarter + 4),
                accredited_by=secretary,
            )


def _analysts(delegations: dict[str, Delegation], users: dict[str, Any]) -> None:
    for demo in USERS:
        if demo.analyst_of is None:
            continue
        delegation = None if demo.analyst_of == SECRETARIAT else delegations[demo.analyst_of]
        analyst_affiliation_set(user=users[demo.username], delegation=delegation)


@transaction.atomic
def seed(*, stdout: TextIO | None = None) -> None:
    quarter = Quarter.current()
    role_groups_ensure()
    parties = _parties()
    users = {demo.username: _user(demo) for demo in USERS}
    secretary = users["secretariat"]
    _seats(parties, quarter=quarter, secretary=secretary)
    delegations = _delegations(parties)
    _members(delegations, users, quarter=quarter, secretary=secretary)
    _analysts(delegations, users)
    rotation_plan(start=quarter, count=PLANNING_HORIZON)
    chair_plan(start=quarter, count=PLANNING_HORIZON)
    if stdout is not None:
        stdout.write(
            f"Members: {len(parties)} parties, {len(SEATS)} seats, {len(delegations)} "
            f"delegations, rotation and chair planned {quarter} + {PLANNING_HORIZON - 1}.\n"
        )
