"""Rotation terms and chair terms: planning, swaps and assignments.

The planner (``members.rotation``) decides; these services feed it what is
stored (members, arrangements, earlier terms, swaps) and store its answer.
Planning is idempotent: a term the planner confirms is left untouched, so
re-running a plan changes nothing, and swapped or assigned terms are fixed
input that re-planning keeps.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consult.access import is_secretariat
from consult.actors import Actor
from consult.errors import ApplicationError
from consult.quarters import Quarter
from members.models import ChairTerm, Party, RotationSwap, RotationTerm, Seat, SeatArrangement
from members.rotation import HeldTerm, Names, plan_rotation
from members.selectors.rotation import rotation_eligible_ids, rotation_ineligibility
from members.selectors.seats import seat_arrangement_in_force, seat_arrangements_by_quarter
from members.services._common import as_quarter

Source = RotationTerm.Source
FIXED_SOURCES = (Source.SWAPPED, Source.ASSIGNED)
MAX_PLANNING_QUARTERS = 40


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    """``first`` to ``last`` inclusive (empty when ``last`` comes first)."""
    span = (last.year * 4 + last.q) - (first.year * 4 + first.q) + 1
    return first.following(max(span, 0))


def _names(party: Party) -> Names:
    return Names(en=party.name_en, fr=party.name_fr, ru=party.name_ru)


def _history(held: Iterable[tuple[str, str, bool]], *, before: Quarter) -> list[list[HeldTerm]]:
    """Stored (quarter, code, fixed) rows before ``before``, one list per quarter, gaps kept."""
    by_quarter = {
        quarter: [HeldTerm(code, fixed) for _, code, fixed in rows]
        for quarter, rows in groupby(sorted(held), key=lambda row: row[0])
    }
    if not by_quarter:
        return []
    quarters = quarters_between(Quarter.parse(min(by_quarter)), before - 1)
    return [by_quarter.get(str(quarter), []) for quarter in quarters]


def lock_seats() -> list[Seat]:
    """Lock every seat, always in the same order.

    Every service that plans, swaps or assigns terms takes this lock first, so
    the periodic planner and the secretariat never interleave, and no two of
    them can wait on each other.
    """
    return list(Seat.objects.select_for_update(of=("self",)).select_related("party").order_by("pk"))


def _check_horizon(count: int) -> None:
    if not 1 <= count <= MAX_PLANNING_QUARTERS:
        raise ApplicationError(
            _("Plan between 1 and %(max)s quarters at a time.") % {"max": MAX_PLANNING_QUARTERS},
            fields={"count": [_("Out of range.")]},
        )


def _rotating_runs(
    arrangements: list[SeatArrangement], quarters: list[Quarter]
) -> list[tuple[SeatArrangement, list[Quarter]]]:
    """Consecutive quarters held on rotation under the same arrangement."""
    runs: list[tuple[SeatArrangement, list[Quarter]]] = []
    for quarter in quarters:
        arrangement = seat_arrangement_in_force(arrangements, quarter)
        if arrangement is None or arrangement.mode != SeatArrangement.Mode.ROTATING:
            continue
        if runs and runs[-1][0].pk == arrangement.pk and runs[-1][1][-1] + 1 == quarter:
            runs[-1][1].append(quarter)
        else:
            runs.append((arrangement, [quarter]))
    return runs


def _seat_plan(seat: Seat, quarters: list[Quarter]) -> None:
    arrangements = list(seat.arrangements.order_by("effective_from"))
    runs = _rotating_runs(arrangements, quarters)
    rotating = {str(quarter) for _, run in runs for quarter in run}
    RotationTerm.objects.filter(seat=seat, quarter__in=[str(q) for q in quarters]).exclude(
        quarter__in=rotating
    ).delete()
    if not runs:
        return
    eligible_ids = rotation_eligible_ids(seat=seat, quarters=quarters)
    parties = {
        party.pk: party
        for party in Party.objects.filter(
            Q(memberships__organisation=seat.party_id) | Q(terms__seat=seat)
        ).distinct()
    }
    names = {party.code: _names(party) for party in parties.values()}
    by_code = {party.code: party for party in parties.values()}
    for arrangement, run in runs:
        stored = RotationTerm.objects.filter(seat=seat).select_related("holder")
        history = _history(
            (
                (term.quarter, term.holder.code, term.source in FIXED_SOURCES)
                for term in stored.filter(quarter__lt=str(run[0])).order_by("quarter", "position")
            ),
            before=run[0],
        )
        current = list(stored.filter(quarter__in=[str(q) for q in run]))
        fixed: dict[Quarter, dict[int, str]] = {}
        for term in current:
            if term.source in FIXED_SOURCES and term.position <= arrangement.holders_per_term:
                fixed.setdefault(Quarter.parse(term.quarter), {})[term.position] = term.holder.code
        plan = plan_rotation(
            quarters=run,
            names=names,
            eligible={q: {parties[pk].code for pk in eligible_ids[q]} for q in run},
            language=arrangement.rotation_order,
            holders_per_term=arrangement.holders_per_term,
            history=history,
            fixed=fixed,
        )
        kept = set()
        stale = []
        for term in current:
            if plan[Quarter.parse(term.quarter)].get(term.position) == term.holder.code:
                kept.add((term.quarter, term.position))
            else:
                stale.append(term.pk)
        RotationTerm.objects.filter(pk__in=stale).delete()
        RotationTerm.objects.bulk_create(
            RotationTerm(
                seat=seat,
                quarter=str(quarter),
                position=position,
                holder=by_code[code],
                source=Source.PLANNED,
            )
            for quarter in run
            for position, code in plan[quarter].items()
            if (str(quarter), position) not in kept
        )


@transaction.atomic
def rotation_plan(
    *, start: Quarter | str | None = None, count: int = 8, seat: Seat | None = None
) -> list[RotationTerm]:
    """Plan the holders of every rotating seat (or of ``seat``) for ``count`` quarters."""
    _check_horizon(count)
    first = as_quarter(start) if start is not None else Quarter.current()
    quarters = first.following(count)
    for locked in lock_seats():
        if seat is None or locked.pk == seat.pk:
            _seat_plan(locked, quarters)
    terms = RotationTerm.objects.filter(quarter__in=[str(q) for q in quarters])
    if seat is not None:
        terms = terms.filter(seat=seat)
    return list(
        terms.select_related("seat", "holder").order_by("quarter", "seat__order", "position")
    )


def _replan_after(seat: Seat, quarter: Quarter) -> None:
    """Re-plan the quarters already planned after ``quarter``, which may now differ."""
    last = (
        RotationTerm.objects.filter(seat=seat, quarter__gt=str(quarter))
        .order_by("-quarter")
        .values_list("quarter", flat=True)
        .first()
    )
    if last is not None:
        following = quarters_between(quarter + 1, Quarter.parse(last))
        rotation_plan(
            seat=seat, start=following[0], count=min(len(following), MAX_PLANNING_QUARTERS)
        )


def _refuse_past(quarter: Quarter) -> None:
    if quarter < Quarter.current():
        raise ApplicationError(
            _("%(quarter)s is past; terms of past quarters are kept as they were.")
            % {"quarter": quarter},
            fields={"quarter": [_("Past quarter.")]},
        )


@transaction.atomic
def rotation_term_swap(
    *, term: RotationTerm, new_holder: Party, reason: str, swapped_by: Actor
) -> RotationTerm:
    """Give a term to another eligible party, record the swap, and re-plan what follows."""
    if not is_secretariat(swapped_by):
        raise PermissionDenied(_("Only the secretariat may swap rotation terms."))
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Give the reason for the swap."), fields={"reason": [_("Required.")]}
        )
    lock_seats()
    fresh = RotationTerm.objects.select_related("seat__party", "holder").filter(pk=term.pk).first()
    if fresh is None:
        raise ApplicationError(_("This term was re-planned meanwhile; reload the rotation."))
    term = fresh
    quarter = Quarter.parse(term.quarter)
    _refuse_past(quarter)
    if new_holder.pk == term.holder_id:
        raise ApplicationError(
            _("%(party)s already holds this term.") % {"party": new_holder.display_name}
        )
    if problem := rotation_ineligibility(seat=term.seat, party=new_holder, quarter=quarter):
        raise ApplicationError(problem, fields={"new_holder": [problem]})
    if RotationTerm.objects.filter(
        seat=term.seat, quarter=term.quarter, holder=new_holder
    ).exists():
        raise ApplicationError(
            _("%(party)s already holds the other place on %(seat)s in %(quarter)s.")
            % {"party": new_holder.display_name, "seat": term.seat.name, "quarter": quarter},
            fields={"new_holder": [_("Already a holder that quarter.")]},
        )
    RotationSwap.objects.create(
        term=term,
        seat=term.seat,
        quarter=term.quarter,
        position=term.position,
        previous_holder=term.holder,
        new_holder=new_holder,
        reason=reason,
        swapped_by=swapped_by,
    )
    term.holder = new_holder
    term.source = Source.SWAPPED
    term.save(update_fields=["holder", "source"])
    _replan_after(term.seat, quarter)
    return term


@transaction.atomic
def rotation_term_create(
    *, seat: Seat, quarter: Quarter | str, holder: Party, position: int | None = None
) -> RotationTerm:
    """Assign a term by hand; re-planning keeps it like a swap."""
    quarter = as_quarter(quarter)
    _refuse_past(quarter)
    seat = next(locked for locked in lock_seats() if locked.pk == seat.pk)
    arrangement = seat_arrangement_in_force(seat.arrangements.all(), quarter)
    if arrangement is None or arrangement.mode != SeatArrangement.Mode.ROTATING:
        raise ApplicationError(
            _("%(seat)s is not held on rotation in %(quarter)s.")
            % {"seat": seat.name, "quarter": quarter}
        )
    terms = list(
        RotationTerm.objects.filter(seat=seat, quarter=str(quarter)).select_related("holder")
    )
    if any(term.holder_id == holder.pk for term in terms):
        raise ApplicationError(
            _("%(party)s already holds %(seat)s in %(quarter)s.")
            % {"party": holder.display_name, "seat": seat.name, "quarter": quarter},
            fields={"holder": [_("Already a holder that quarter.")]},
        )
    taken = {term.position: term for term in terms}
    places = range(1, arrangement.holders_per_term + 1)
    if position is None:
        position = next((p for p in places if p not in taken), None)
        if position is None:
            # English words both forms alike; Russian and French need the count's form.
            raise ApplicationError(
                ngettext(
                    "All %(count)s places on %(seat)s in %(quarter)s are taken; swap a term "
                    "instead.",
                    "All %(count)s places on %(seat)s in %(quarter)s are taken; swap a term "
                    "instead.",
                    arrangement.holders_per_term,
                )
                % {"count": arrangement.holders_per_term, "seat": seat.name, "quarter": quarter}
            )
    elif position not in places:
        raise ApplicationError(
            ngettext(
                "%(seat)s has %(count)s place(s) per term; position %(position)s does not exist.",
                "%(seat)s has %(count)s place(s) per term; position %(position)s does not exist.",
                arrangement.holders_per_term,
            )
            % {"seat": seat.name, "count": arrangement.holders_per_term, "position": position},
            fields={"position": [_("Out of range.")]},
        )
    elif position in taken:
        raise ApplicationError(
            _(
                "Place %(position)s on %(seat)s in %(quarter)s is already held by %(party)s; "
                "swap that term instead."
            )
            % {
                "position": position,
                "seat": seat.name,
                "quarter": quarter,
                "party": taken[position].holder.display_name,
            },
            fields={"position": [_("Already held.")]},
        )
    if problem := rotation_ineligibility(seat=seat, party=holder, quarter=quarter):
        raise ApplicationError(problem, fields={"holder": [problem]})
    term = RotationTerm.objects.create(
        seat=seat, quarter=str(quarter), position=position, holder=holder, source=Source.ASSIGNED
    )
    _replan_after(seat, quarter)
    return term


@transaction.atomic
def chair_plan(
    *, start: Quarter | str | None = None, count: int = 8, language: str = "en"
) -> list[ChairTerm]:
    """Plan the chair: the non-observer seats in turn, alphabetically by their party's name."""
    _check_horizon(count)
    first = as_quarter(start) if start is not None else Quarter.current()
    quarters = first.following(count)
    seats = lock_seats()
    codes = {seat.pk: seat.code for seat in seats}
    by_code = {seat.code: seat for seat in seats}
    in_force = seat_arrangements_by_quarter(quarters=quarters)
    eligible = {
        q: {seat.code for seat in seats if not seat.is_observer and seat.pk in in_force[q]}
        for q in quarters
    }
    stored = list(ChairTerm.objects.select_related("seat").order_by("quarter"))
    history = _history(
        (
            (chair.quarter, codes[chair.seat_id], chair.source in FIXED_SOURCES)
            for chair in stored
            if chair.quarter < str(first)
        ),
        before=first,
    )
    current = {
        chair.quarter: chair for chair in stored if chair.quarter in {str(q) for q in quarters}
    }
    fixed = {
        Quarter.parse(chair.quarter): {1: codes[chair.seat_id]}
        for chair in current.values()
        if chair.source in FIXED_SOURCES
    }
    plan = plan_rotation(
        quarters=quarters,
        names={seat.code: _names(seat.party) for seat in seats},
        eligible=eligible,
        language=language,
        history=history,
        fixed=fixed,
    )
    chairs = []
    for quarter in quarters:
        chair = current.get(str(quarter))
        code = plan[quarter].get(1)
        if code is None:
            if chair is not None:
                chair.delete()
            continue
        if chair is None:
            chair = ChairTerm.objects.create(quarter=str(quarter), seat=by_code[code])
        elif chair.seat_id != by_code[code].pk:
            chair.seat = by_code[code]
            chair.save(update_fields=["seat"])
        chairs.append(chair)
    return chairs
