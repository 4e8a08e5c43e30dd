"""Seats at the table, their arrangements (own, rotating) and who sits in a quarter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet

from consult.quarters import Quarter
from members.models import Party, RotationTerm, Seat, SeatArrangement

Mode = SeatArrangement.Mode


def seat_arrangement_in_force(
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


def seat_get(*, public_id: UUID | str, quarter: Quarter | None = None) -> Seat:
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
            in_force = seat_arrangement_in_force(seat_arrangements, quarter)
            if in_force is not None:
                result[quarter][seat_id] = in_force
    return result


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


def seat_holders(seat: Seat, arrangement: SeatArrangement) -> list[Party]:
    """Who holds a seat of ``seat_list`` under ``arrangement``: the party itself, or when it
    rotates the holders of the quarter the list was read for."""
    if arrangement.mode == Mode.ROTATING:
        return [term.holder for term in seat.current_terms]  # type: ignore[attr-defined]
    return [seat.party]


@dataclass(frozen=True)
class SeatRow:
    seat: Seat
    arrangement: SeatArrangement | None
    holders: list[Party]


def seat_rows(*, quarter: Quarter) -> list[SeatRow]:
    """Each seat with the arrangement in force and who holds it in ``quarter``."""
    rows = []
    for seat in seat_list(quarter=quarter):
        arrangement = seat_arrangement_in_force(seat.arrangements.all(), quarter)
        if arrangement is None:
            continue
        rows.append(
            SeatRow(seat=seat, arrangement=arrangement, holders=seat_holders(seat, arrangement))
        )
    return rows
