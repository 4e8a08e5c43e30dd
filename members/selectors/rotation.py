"""Rotation and chair: who may hold a rotating seat, the terms held, swaps, the troika and
the planning table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from consult.quarters import Quarter
from members.models import (
    ChairTerm,
    Party,
    PartyMembership,
    RotationSwap,
    RotationTerm,
    Seat,
    SeatArrangement,
)
from members.rotation import troika_quarters
from members.selectors.parties import party_member_list
from members.selectors.seats import seat_arrangement_in_force, seat_arrangements_by_quarter

Mode = SeatArrangement.Mode


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
    """Why ``party`` may not hold ``seat`` in ``quarter`` (in the reader's language), or None
    if it may."""
    if party.pk in rotation_eligible_ids(seat=seat, quarters=[quarter])[quarter]:
        return None
    organisation = seat.party
    members = party_member_list(organisation=organisation, quarter=quarter)
    if not members.filter(pk=party.pk).exists():
        return _("%(party)s is not a member of %(organisation)s in %(quarter)s.") % {
            "party": party.display_name,
            "organisation": organisation.code,
            "quarter": quarter,
        }
    return _("%(party)s sits in a seat of its own in %(quarter)s.") % {
        "party": party.display_name,
        "quarter": quarter,
    }


def rotation_candidates(*, seat: Seat, quarter: Quarter) -> QuerySet[Party]:
    """Parties that may hold ``seat`` in ``quarter``, by English name."""
    ids = rotation_eligible_ids(seat=seat, quarters=[quarter])[quarter]
    return Party.objects.filter(pk__in=ids).order_by("name_en")


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


def rotation_term_get(*, public_id: UUID | str) -> RotationTerm:
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


def chair_troika(*, quarter: Quarter) -> list[ChairTerm | None]:
    """The chair terms of the previous, current and next quarter (None where unplanned)."""
    quarters = troika_quarters(quarter)
    chairs = {chair.quarter: chair for chair in chair_term_list(quarters=quarters)}
    return [chairs.get(str(q)) for q in quarters]


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
                arrangement=seat_arrangement_in_force(seat.arrangements.all(), quarter),
                terms=terms.get((seat.pk, str(quarter)), []),
            )
            for quarter in quarters
        ]
        if any(cell.arrangement for cell in cells):
            rows.append(RotationRow(seat=seat, cells=cells))
    chairs = {chair.quarter: chair for chair in chair_term_list(quarters=quarters)}
    return RotationTable(rows=rows, chairs=[chairs.get(str(q)) for q in quarters])
