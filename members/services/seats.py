"""Seats and how they are held over time."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext

from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.quarters import Quarter
from members.models import ChairTerm, Party, RotationTerm, Seat, SeatArrangement
from members.services._common import as_quarter, validate
from members.services.terms import (
    MAX_PLANNING_QUARTERS,
    chair_plan,
    lock_seats,
    quarters_between,
    rotation_plan,
)

Mode = SeatArrangement.Mode
Order = SeatArrangement.Order


def _check_arrangement(
    *, seat: Seat, mode: str, holders_per_term: int, rotation_order: str
) -> None:
    if mode not in Mode.values:
        raise ApplicationError(
            gettext("Unknown seat mode %(mode)s; choose own, institution or rotating.")
            % {"mode": repr(mode)},
            fields={"mode": [gettext("Unknown mode.")]},
        )
    if rotation_order not in Order.values:
        raise ApplicationError(
            gettext("Unknown rotation order %(order)s; choose en, fr or ru.")
            % {"order": repr(rotation_order)},
            fields={"rotation_order": [gettext("Unknown order.")]},
        )
    if holders_per_term not in (1, 2):
        raise ApplicationError(
            gettext("A seat has 1 or 2 holders per term."),
            fields={"holders_per_term": [gettext("1 or 2.")]},
        )
    if holders_per_term != 1 and mode != Mode.ROTATING:
        raise ApplicationError(
            gettext("Only a seat held on rotation has two holders."),
            fields={"holders_per_term": [gettext("1 unless rotating.")]},
        )
    if mode == Mode.OWN and seat.party.kind != Party.Kind.STATE:
        raise ApplicationError(
            gettext(
                "%(party)s is an organisation: its seat is held by the institution "
                "or by its members on rotation."
            )
            % {"party": seat.party.display_name},
            fields={"mode": [gettext("Not for an organisation.")]},
        )
    if mode != Mode.OWN and seat.party.kind != Party.Kind.ORGANISATION:
        raise ApplicationError(
            gettext("%(party)s is a state: its seat is held by the state itself (own).")
            % {"party": seat.party.display_name},
            fields={"mode": [gettext("Only 'own' for a state.")]},
        )


def _last_planned(queryset: QuerySet[RotationTerm] | QuerySet[ChairTerm]) -> Quarter | None:
    last = queryset.order_by("-quarter").values_list("quarter", flat=True).first()
    return Quarter.parse(last) if last else None


@transaction.atomic
def seat_arrangement_set(
    *,
    seat: Seat,
    mode: str,
    effective_from: Quarter | str,
    holders_per_term: int = 1,
    rotation_order: str = Order.ENGLISH,
    created_by: Actor | None = None,
) -> SeatArrangement:
    """Decide how ``seat`` is held from ``effective_from`` on, and bring planned terms in line."""
    _check_arrangement(
        seat=seat, mode=mode, holders_per_term=holders_per_term, rotation_order=rotation_order
    )
    first = as_quarter(effective_from)
    if first < Quarter.current():
        raise ApplicationError(
            gettext(
                "%(quarter)s is past; an arrangement takes effect from the current quarter "
                "or later."
            )
            % {"quarter": first},
            fields={"effective_from": [gettext("Past quarter.")]},
        )
    seat = next(locked for locked in lock_seats() if locked.pk == seat.pk)
    arrangement, _ = SeatArrangement.objects.update_or_create(
        seat=seat,
        effective_from=str(first),
        defaults={
            "mode": mode,
            "holders_per_term": holders_per_term,
            "rotation_order": rotation_order,
            "created_by": None if created_by is None else signed_in(created_by),
        },
    )
    following = (
        SeatArrangement.objects.filter(seat=seat, effective_from__gt=str(first))
        .order_by("effective_from")
        .first()
    )
    affected = RotationTerm.objects.filter(seat=seat, quarter__gte=str(first))
    if following is not None:
        affected = affected.filter(quarter__lt=following.effective_from)
    if mode != Mode.ROTATING:
        affected.delete()
    else:
        affected.filter(position__gt=holders_per_term).delete()
    last = _last_planned(RotationTerm.objects.filter(seat=seat, quarter__gte=str(first)))
    if last is not None:
        span = quarters_between(first, last)[:MAX_PLANNING_QUARTERS]
        rotation_plan(seat=seat, start=first, count=len(span))
    last_chair = _last_planned(ChairTerm.objects.filter(quarter__gte=str(first)))
    if last_chair is not None:
        span = quarters_between(first, last_chair)[:MAX_PLANNING_QUARTERS]
        chair_plan(start=first, count=len(span))
    return arrangement


@transaction.atomic
def seat_create(
    *,
    code: str,
    name: str,
    party: Party,
    mode: str,
    effective_from: Quarter | str | None = None,
    holders_per_term: int = 1,
    rotation_order: str = Order.ENGLISH,
    is_observer: bool = False,
    order: int = 0,
    created_by: Actor | None = None,
) -> Seat:
    """A new place at the table with its first arrangement (from the current quarter by default)."""
    seat = Seat(
        code=code.strip().upper(),
        name=name.strip(),
        party=party,
        is_observer=is_observer,
        order=order,
    )
    _check_arrangement(
        seat=seat, mode=mode, holders_per_term=holders_per_term, rotation_order=rotation_order
    )
    validate(seat)
    seat.save()
    seat_arrangement_set(
        seat=seat,
        mode=mode,
        effective_from=effective_from or Quarter.current(),
        holders_per_term=holders_per_term,
        rotation_order=rotation_order,
        created_by=created_by,
    )
    return seat
