"""Reads of the members app: parties, seats, rotation, chair, delegations, roles.

Every list is built with a fixed number of queries (``select_related`` and
``prefetch_related``), whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from consult.access import (
    active_party_ids,
    current_memberships,
    is_analyst,
    is_secretariat,
    reads_as_secretariat,
)
from consult.actors import Actor
from consult.quarters import Quarter
from members.models import (
    Accreditation,
    ChairTerm,
    Delegation,
    DelegationMembership,
    Party,
    PartyMembership,
    RotationSwap,
    RotationTerm,
    Seat,
    SeatArrangement,
)
from members.rotation import troika_quarters

Mode = SeatArrangement.Mode


# Parties


def party_list(*, kind: str | None = None, code: str | None = None) -> QuerySet[Party]:
    parties = Party.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=PartyMembership.objects.select_related("organisation").order_by(
                "organisation__code"
            ),
        )
    )
    if kind:
        parties = parties.filter(kind=kind)
    if code:
        parties = parties.filter(code=code.upper())
    return parties


def party_get(*, public_id: Any) -> Party:
    return party_list().get(public_id=public_id)


def party_choice_list() -> QuerySet[Party]:
    """Every party, by code, for a form's choices (parties are nobody's secret)."""
    return Party.objects.order_by("code")


def party_choices(parties: QuerySet[Party] | None = None) -> list[tuple[str, str]]:
    """``parties`` (every party by default) as (code, "code: name"), by code: a filter's
    choices."""
    rows = (party_choice_list() if parties is None else parties.order_by("code")).values_list(
        "code", "name_en"
    )
    return [(code, f"{code}: {name}") for code, name in rows]


def user_party_list(user: Any) -> QuerySet[Party]:
    """The parties of the user's current delegations, by English name: those a delegate
    speaks, amends and states positions for."""
    return Party.objects.filter(pk__in=active_party_ids(user)).order_by("name_en")


def headed_party_list(user: Any) -> QuerySet[Party]:
    """The parties whose current delegation the user heads, by code."""
    return Party.objects.filter(
        pk__in=current_memberships(user)
        .filter(role=DelegationMembership.Role.HEAD)
        .values("delegation__party_id")
    ).order_by("code")


def party_members_in(*, organisation: Party, quarter: Quarter) -> QuerySet[Party]:
    """Member states of ``organisation`` during ``quarter`` (membership years inclusive)."""
    return Party.objects.filter(
        Q(memberships__until_year__isnull=True) | Q(memberships__until_year__gte=quarter.year),
        memberships__organisation=organisation,
        memberships__since_year__lte=quarter.year,
    )


# Seats and arrangements


def arrangement_in_force(
    arrangements: Iterable[SeatArrangement], quarter: Quarter
) -> SeatArrangement | None:
    """The latest arrangement effective at ``quarter`` among a seat's arrangements."""
    in_force = [a for a in arrangements if a.effective_from <= str(quarter)]
    return max(in_force, key=lambda a: a.effective_from, default=None)


def seat_list(*, quarter: Quarter | None = None) -> QuerySet[Seat]:
    """Seats with their arrangements and, as ``current_terms``, the holders of ``quarter``."""
    quarter = quarter or Quarter.current()
    return Seat.objects.select_related("party").prefetch_related(
        Prefetch("arrangements", queryset=SeatArrangement.objects.order_by("effective_from")),
        Prefetch(
            "terms",
            queryset=RotationTerm.objects.filter(quarter=str(quarter))
            .select_related("holder")
            .order_by("position"),
            to_attr="current_terms",
        ),
    )


def seat_get(*, public_id: Any, quarter: Quarter | None = None) -> Seat:
    return seat_list(quarter=quarter).get(public_id=public_id)


def seat_arrangement_at(*, seat: Seat, quarter: Quarter) -> SeatArrangement | None:
    return (
        SeatArrangement.objects.filter(seat=seat, effective_from__lte=str(quarter))
        .order_by("-effective_from")
        .first()
    )


def seat_arrangements_by_quarter(
    *, quarters: list[Quarter]
) -> dict[Quarter, dict[int, SeatArrangement]]:
    """For each quarter, the arrangement in force per seat id (seats without one left out)."""
    arrangements: dict[int, list[SeatArrangement]] = {}
    for arrangement in SeatArrangement.objects.select_related("seat", "seat__party"):
        arrangements.setdefault(arrangement.seat_id, []).append(arrangement)
    result: dict[Quarter, dict[int, SeatArrangement]] = {}
    for quarter in quarters:
        result[quarter] = {}
        for seat_id, seat_arrangements in arrangements.items():
            in_force = arrangement_in_force(seat_arrangements, quarter)
            if in_force is not None:
                result[quarter][seat_id] = in_force
    return result


def rotation_eligible_ids(*, seat: Seat, quarters: list[Quarter]) -> dict[Quarter, set[int]]:
    """Parties that may hold ``seat`` in each quarter.

    A member of the seat's organisation that quarter, unless it sits at the
    table in a seat of its own (the United States is not also NATO's holder).
    """
    memberships = list(
        PartyMembership.objects.filter(organisation_id=seat.party_id).values_list(
            "member_id", "since_year", "until_year"
        )
    )
    by_quarter = seat_arrangements_by_quarter(quarters=quarters)
    eligible: dict[Quarter, set[int]] = {}
    for quarter in quarters:
        sitting_in_own_seat = {
            arrangement.seat.party_id
            for arrangement in by_quarter[quarter].values()
            if arrangement.mode == Mode.OWN and arrangement.seat_id != seat.pk
        }
        eligible[quarter] = {
            member_id
            for member_id, since, until in memberships
            if since <= quarter.year and (until is None or quarter.year <= until)
        } - sitting_in_own_seat
    return eligible


def rotation_ineligibility(*, seat: Seat, party: Party, quarter: Quarter) -> str | None:
    """Why ``party`` may not hold ``seat`` in ``quarter``, or None if it may."""
    if party.pk in rotation_eligible_ids(seat=seat, quarters=[quarter])[quarter]:
        return None
    organisation = seat.party
    members = party_members_in(organisation=organisation, quarter=quarter)
    if not members.filter(pk=party.pk).exists():
        return f"{party.name_en} is not a member of {organisation.code} in {quarter}."
    return f"{party.name_en} sits in a seat of its own in {quarter}."


# Rotation and chair


def rotation_term_list(
    *,
    quarter: Quarter | None = None,
    seat: Seat | None = None,
    quarters: Iterable[Quarter] | None = None,
) -> QuerySet[RotationTerm]:
    terms = RotationTerm.objects.select_related("seat", "seat__party", "holder")
    if quarter is not None:
        terms = terms.filter(quarter=str(quarter))
    if quarters is not None:
        terms = terms.filter(quarter__in=[str(q) for q in quarters])
    if seat is not None:
        terms = terms.filter(seat=seat)
    return terms.order_by("quarter", "seat__order", "seat__code", "position")


def rotation_term_get(*, public_id: Any) -> RotationTerm:
    return rotation_term_list().get(public_id=public_id)


def rotation_swap_list(*, term: RotationTerm) -> QuerySet[RotationSwap]:
    """The swaps recorded on a term, latest first."""
    return RotationSwap.objects.filter(term=term).select_related(
        "new_holder", "previous_holder", "swapped_by"
    )


def chair_term_list(*, quarters: Iterable[Quarter] | None = None) -> QuerySet[ChairTerm]:
    chairs = ChairTerm.objects.select_related("seat", "seat__party")
    if quarters is not None:
        chairs = chairs.filter(quarter__in=[str(q) for q in quarters])
    return chairs.order_by("quarter")


def troika(*, quarter: Quarter) -> list[ChairTerm | None]:
    """The chair terms of the previous, current and next quarter (None where unplanned)."""
    quarters = troika_quarters(quarter)
    chairs = {chair.quarter: chair for chair in chair_term_list(quarters=quarters)}
    return [chairs.get(str(q)) for q in quarters]


def seat_holder_parties(*, quarter: Quarter) -> QuerySet[Party]:
    """Parties sitting at the table in ``quarter``.

    For each non-observer seat with an arrangement in force: the seat's own
    party, and for rotating seats also that quarter's holders.
    """
    seated = SeatArrangement.objects.filter(
        seat__is_observer=False, effective_from__lte=str(quarter)
    ).values("seat__party_id")
    holders = RotationTerm.objects.filter(quarter=str(quarter), seat__is_observer=False).values(
        "holder_id"
    )
    return Party.objects.filter(Q(pk__in=seated) | Q(pk__in=holders))


# Delegations


def _current_membership_q(at: datetime, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": at}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": at})
    )


def delegation_member_list(
    *, user: Any, at: datetime | None = None
) -> QuerySet[DelegationMembership]:
    """Current memberships ``user`` may see: all of them for the secretariat and for
    the delegation's own members; only heads of delegation for everyone else."""
    at = at or timezone.now()
    members = (
        DelegationMembership.objects.filter(_current_membership_q(at), user__is_active=True)
        .select_related("user", "delegation__party")
        .order_by("delegation", "role", "user__last_name", "user__username")
    )
    if not reads_as_secretariat(user):
        members = members.filter(
            Q(role=DelegationMembership.Role.HEAD)
            | Q(delegation__party_id__in=active_party_ids(user, at=at))
        )
    return members


def delegation_list(*, user: Any, at: datetime | None = None) -> QuerySet[Delegation]:
    """Delegations with ``visible_members``, the current memberships ``user`` may see."""
    return Delegation.objects.select_related("party", "group").prefetch_related(
        Prefetch(
            "memberships",
            queryset=delegation_member_list(user=user, at=at),
            to_attr="visible_members",
        )
    )


def delegation_get(*, public_id: Any, user: Any) -> Delegation:
    return delegation_list(user=user).get(public_id=public_id)


def delegation_users(*, party_ids: Any, at: datetime | None = None) -> QuerySet[Any]:
    """Users with a current membership of these parties' delegations, accredited where
    the delegation is not standing."""
    at = at or timezone.now()
    accredited = Accreditation.objects.filter(
        user=OuterRef("user"),
        delegation=OuterRef("delegation"),
        valid_from__lte=at,
        valid_until__gt=at,
        revoked_at__isnull=True,
    )
    memberships = DelegationMembership.objects.filter(
        _current_membership_q(at),
        user=OuterRef("pk"),
        delegation__party_id__in=party_ids,
    ).filter(Q(delegation__is_standing=True) | Exists(accredited))
    return get_user_model().objects.filter(Exists(memberships), is_active=True)


def party_delegate_list(*, parties: QuerySet[Party]) -> QuerySet[Any]:
    """Users who are or were members of these parties' delegations, by name: who may have
    spoken or attended for them (the record is kept after a membership ends)."""
    memberships = DelegationMembership.objects.filter(
        user=OuterRef("pk"), delegation__party__in=parties
    )
    return (
        get_user_model()
        .objects.filter(Exists(memberships))
        .order_by("last_name", "first_name", "username")
    )


def party_delegates_by_party(*, parties: QuerySet[Party]) -> dict[int, list[Any]]:
    """``party_delegate_list`` grouped by party id, in one query whatever the parties."""
    grouped: dict[int, list[Any]] = {}
    seen: set[tuple[int, int]] = set()
    for membership in (
        DelegationMembership.objects.filter(delegation__party__in=parties)
        .select_related("user", "delegation")
        .order_by("user__last_name", "user__first_name", "user__username")
    ):
        key = (membership.delegation.party_id, membership.user_id)
        if key not in seen:
            seen.add(key)
            grouped.setdefault(key[0], []).append(membership.user)
    return grouped


def active_user_list() -> QuerySet[Any]:
    """Accounts that may still sign in, by user name."""
    return get_user_model().objects.filter(is_active=True).order_by("username")


def accreditation_list(*, delegation: Delegation | None = None) -> QuerySet[Accreditation]:
    accreditations = Accreditation.objects.select_related("user", "delegation__party")
    if delegation is not None:
        accreditations = accreditations.filter(delegation=delegation)
    return accreditations


# Roles and the dashboard


@dataclass(frozen=True)
class UserRoles:
    is_secretariat: bool
    is_analyst: bool
    memberships: list[DelegationMembership] = field(default_factory=list)

    @property
    def delegations(self) -> list[Delegation]:
        return [membership.delegation for membership in self.memberships]

    @property
    def is_delegate(self) -> bool:
        return bool(self.memberships)


def user_roles(user: Actor) -> UserRoles:
    """What ``user`` is here: secretariat, analyst, delegate (memberships giving access now)."""
    if not user.is_authenticated:
        return UserRoles(is_secretariat=False, is_analyst=False)
    memberships = list(
        current_memberships(user)
        .select_related("delegation__party")
        .order_by("delegation__party__name_en")
    )
    return UserRoles(
        is_secretariat=is_secretariat(user),
        is_analyst=is_analyst(user),
        memberships=memberships,
    )


@dataclass(frozen=True)
class SeatRow:
    seat: Seat
    arrangement: SeatArrangement | None
    holders: list[Party]


@dataclass(frozen=True)
class Dashboard:
    quarter: Quarter
    roles: UserRoles
    seats: list[SeatRow]
    troika: list[ChairTerm | None]
    delegations: list[Delegation]
    accreditations: list[Accreditation]


def seat_rows(*, quarter: Quarter) -> list[SeatRow]:
    """Each seat with the arrangement in force and who holds it in ``quarter``."""
    rows = []
    for seat in seat_list(quarter=quarter):
        arrangement = arrangement_in_force(seat.arrangements.all(), quarter)
        if arrangement is None:
            continue
        if arrangement.mode == Mode.ROTATING:
            holders = [term.holder for term in seat.current_terms]  # type: ignore[attr-defined]
        else:
            holders = [seat.party]
        rows.append(SeatRow(seat=seat, arrangement=arrangement, holders=holders))
    return rows


def dashboard_data(*, user: Any, quarter: Quarter | None = None) -> Dashboard:
    """What the dashboard shows ``user``: the table this quarter, the troika, their delegation."""
    quarter = quarter or Quarter.current()
    roles = user_roles(user)
    own_ids = [membership.delegation_id for membership in roles.memberships]
    delegations = list(delegation_list(user=user).filter(pk__in=own_ids))
    now = timezone.now()
    accreditations = (
        list(
            accreditation_list()
            .filter(user=user, revoked_at__isnull=True, valid_from__lte=now, valid_until__gt=now)
            .order_by("valid_until")
        )
        if roles.memberships
        else []
    )
    return Dashboard(
        quarter=quarter,
        roles=roles,
        seats=seat_rows(quarter=quarter),
        troika=troika(quarter=quarter),
        delegations=delegations,
        accreditations=accreditations,
    )


def party_title(party: Party) -> str:
    """A party's English name as it reads after "of": "the United States", "Russia"."""
    name = party.name_en
    takes_article = party.kind == Party.Kind.ORGANISATION or name.startswith(
        ("United ", "Netherlands", "Czech Republic", "Holy See")
    )
    return f"the {name}" if takes_article else name


def rotation_candidates(*, seat: Seat, quarter: Quarter) -> QuerySet[Party]:
    """Parties that may hold ``seat`` in ``quarter``, by English name."""
    ids = rotation_eligible_ids(seat=seat, quarters=[quarter])[quarter]
    return Party.objects.filter(pk__in=ids).order_by("name_en")


@dataclass(frozen=True)
class RotationCell:
    quarter: Quarter
    arrangement: SeatArrangement | None
    terms: list[RotationTerm]


@dataclass(frozen=True)
class RotationRow:
    seat: Seat
    cells: list[RotationCell]


@dataclass(frozen=True)
class RotationTable:
    rows: list[RotationRow]
    chairs: list[ChairTerm | None]


def rotation_table(*, quarters: list[Quarter]) -> RotationTable:
    """Seats by quarter with their arrangement and holders, and the chair of each quarter."""
    terms: dict[tuple[int, str], list[RotationTerm]] = {}
    for term in rotation_term_list(quarters=quarters):
        terms.setdefault((term.seat_id, term.quarter), []).append(term)
    seats = Seat.objects.select_related("party").prefetch_related(
        Prefetch("arrangements", queryset=SeatArrangement.objects.order_by("effective_from"))
    )
    rows = []
    for seat in seats:
        cells = [
            RotationCell(
                quarter=quarter,
                arrangement=arrangement_in_force(seat.arrangements.all(), quarter),
                terms=terms.get((seat.pk, str(quarter)), []),
            )
            for quarter in quarters
        ]
        if any(cell.arrangement for cell in cells):
            rows.append(RotationRow(seat=seat, cells=cells))
    chairs = {chair.quarter: chair for chair in chair_term_list(quarters=quarters)}
    return RotationTable(rows=rows, chairs=[chairs.get(str(q)) for q in quarters])
