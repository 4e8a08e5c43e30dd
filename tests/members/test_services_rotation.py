"""Properties of the pure rotation planner (members.rotation)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consult.quarters import Quarter
from members.rotation import (
    HeldTerm,
    Names,
    collation_key,
    plan_rotation,
    rotation_cycle,
    troika,
    troika_quarters,
)

# The suite shares CI machines: time is no property of the planner.
LOADED_MACHINE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

POOL = {
    "AUT": Names("Austria", "Autriche", "Австрия"),
    "BEL": Names("Belgium", "Belgique", "Бельгия"),
    "CZE": Names("Czechia", "Tchéquie", "Чехия"),
    "DEU": Names("Germany", "Allemagne", "Германия"),
    "ESP": Names("Spain", "Espagne", "Испания"),
    "EST": Names("Estonia", "Estonie", "Эстония"),
    "FIN": Names("Finland", "Finlande", "Финляндия"),
    "FRA": Names("France", "France", "Франция"),
    "TUR": Names("Türkiye", "Türkiye", "Турция"),
    "USA": Names("United States", "États-Unis", "Соединённые Штаты"),
}


@st.composite
def rotation_problems(draw, *, with_fixed: bool = True, with_history: bool = True):
    codes = draw(st.lists(st.sampled_from(sorted(POOL)), min_size=1, max_size=8, unique=True))
    names = {code: POOL[code] for code in codes}
    start = Quarter(draw(st.integers(2025, 2035)), draw(st.integers(1, 4)))
    quarters = start.following(draw(st.integers(1, 10)))
    holders = draw(st.sampled_from([1, 2]))
    language = draw(st.sampled_from(["en", "fr", "ru"]))
    eligible = {q: set(draw(st.lists(st.sampled_from(codes), unique=True))) for q in quarters}
    history: list[list[HeldTerm]] = []
    if with_history:
        for _ in range(draw(st.integers(0, 3))):
            held = draw(st.lists(st.sampled_from(codes), max_size=holders, unique=True))
            history.append(
                [HeldTerm(code, fixed=with_fixed and draw(st.booleans())) for code in held]
            )
    fixed: dict[Quarter, dict[int, str]] = {}
    if with_fixed:
        for quarter in quarters:
            most = min(len(codes), holders)
            positions = draw(st.lists(st.integers(1, holders), max_size=most, unique=True))
            chosen = draw(
                st.lists(
                    st.sampled_from(codes),
                    min_size=len(positions),
                    max_size=len(positions),
                    unique=True,
                )
            )
            if positions:
                fixed[quarter] = dict(zip(positions, chosen, strict=True))
    return {
        "quarters": quarters,
        "names": names,
        "eligible": eligible,
        "language": language,
        "holders_per_term": holders,
        "history": history,
        "fixed": fixed,
    }


def previous_holders(problem, plan, index):
    if index > 0:
        return set(plan[problem["quarters"][index - 1]].values())
    if problem["history"]:
        return {term.code for term in problem["history"][-1]}
    return set()


@settings(LOADED_MACHINE, max_examples=150)
@given(rotation_problems())
def test_every_planned_holder_is_eligible(problem):
    """Every holder the planner picks is eligible in that quarter; pinned holders stay as given."""
    plan = plan_rotation(**problem)
    for quarter in problem["quarters"]:
        pins = problem["fixed"].get(quarter, {})
        for position, code in plan[quarter].items():
            if position in pins:
                assert code == pins[position]
            else:
                assert code in problem["eligible"][quarter]


@settings(LOADED_MACHINE, max_examples=150)
@given(rotation_problems())
def test_one_or_two_distinct_holders_per_quarter(problem):
    """A quarter has holders_per_term distinct holders, fewer only when fewer are eligible."""
    plan = plan_rotation(**problem)
    for quarter in problem["quarters"]:
        holders = list(plan[quarter].values())
        available = problem["eligible"][quarter] | set(problem["fixed"].get(quarter, {}).values())
        assert len(set(holders)) == len(holders)
        assert len(holders) == min(problem["holders_per_term"], len(available))
        assert set(plan[quarter]) <= set(range(1, problem["holders_per_term"] + 1))


@settings(LOADED_MACHINE, max_examples=150)
@given(rotation_problems())
def test_no_consecutive_terms_where_avoidable(problem):
    """Nobody holds two quarters in a row while enough other parties are eligible."""
    plan = plan_rotation(**problem)
    for index, quarter in enumerate(problem["quarters"]):
        pins = problem["fixed"].get(quarter, {})
        previous = previous_holders(problem, plan, index)
        picked = {code for position, code in plan[quarter].items() if position not in pins}
        open_positions = problem["holders_per_term"] - len(pins)
        others = problem["eligible"][quarter] - previous - set(pins.values())
        if len(others) >= open_positions:
            assert not picked & previous


@settings(LOADED_MACHINE, max_examples=150)
@given(rotation_problems(with_fixed=False))
def test_turns_follow_the_configured_alphabetical_order(problem):
    """Without swaps, the cycle passes over a party only when it is ineligible or just held."""
    plan = plan_rotation(**problem)
    cycle = rotation_cycle(problem["names"], language=problem["language"])
    last = next(
        (terms[-1].code for terms in reversed(problem["history"]) if terms),
        None,
    )
    for index, quarter in enumerate(problem["quarters"]):
        picks = list(plan[quarter].values())
        if not picks:
            continue
        start = 0 if last is None else cycle.index(last) + 1
        walk = cycle[start:] + cycle[:start]
        previous = previous_holders(problem, plan, index)
        assert picks == sorted(picks, key=walk.index)
        for code in walk[: walk.index(picks[-1])]:
            if code not in picks:
                assert code not in problem["eligible"][quarter] or code in previous
        last = picks[-1]


@settings(LOADED_MACHINE, max_examples=100)
@given(rotation_problems(), st.data())
def test_swaps_are_preserved_on_replanning(problem, data):
    """Re-planning keeps every swapped holder where the secretariat put it."""
    plan = plan_rotation(**problem)
    swaps = dict(problem["fixed"])
    for quarter in problem["quarters"]:
        holders = plan[quarter]
        if not holders or not data.draw(st.booleans()):
            continue
        position = data.draw(st.sampled_from(sorted(holders)))
        others = sorted(problem["eligible"][quarter] - set(holders.values()))
        if others:
            swaps[quarter] = {
                **swaps.get(quarter, {}),
                position: data.draw(st.sampled_from(others)),
            }
    replanned = plan_rotation(**{**problem, "fixed": swaps})
    for quarter, pins in swaps.items():
        for position, code in pins.items():
            assert replanned[quarter][position] == code
    assert plan_rotation(**{**problem, "fixed": swaps}) == replanned


@settings(LOADED_MACHINE, max_examples=100)
@given(rotation_problems(), st.data())
def test_planning_a_later_window_continues_the_cycle(problem, data):
    """Planning in two windows, the second replaying the first as history, equals one plan."""
    whole = plan_rotation(**problem)
    quarters = problem["quarters"]
    split = data.draw(st.integers(0, len(quarters)))
    history = list(problem["history"])
    for quarter in quarters[:split]:
        pins = problem["fixed"].get(quarter, {})
        history.append(
            [HeldTerm(code, fixed=position in pins) for position, code in whole[quarter].items()]
        )
    rest = plan_rotation(**{**problem, "quarters": quarters[split:], "history": history})
    assert rest == {quarter: whole[quarter] for quarter in quarters[split:]}


def test_a_swap_gives_the_replaced_party_the_next_turn():
    """The party swapped out holds the next quarter; the one swapped in waits a cycle."""
    names = {code: POOL[code] for code in ["AUT", "BEL", "CZE", "DEU", "ESP"]}
    quarters = Quarter(2027, 1).following(5)
    eligible = {q: set(names) for q in quarters}
    plan = plan_rotation(
        quarters=quarters, names=names, eligible=eligible, fixed={quarters[1]: {1: "DEU"}}
    )
    assert [plan[q][1] for q in quarters] == ["AUT", "DEU", "BEL", "CZE", "ESP"]


def test_two_holders_share_the_seat_in_order():
    """With two holders per term the cycle is taken two at a time."""
    names = {code: POOL[code] for code in ["AUT", "BEL", "CZE", "DEU", "ESP"]}
    quarters = Quarter(2027, 1).following(3)
    plan = plan_rotation(
        quarters=quarters,
        names=names,
        eligible={q: set(names) for q in quarters},
        holders_per_term=2,
        history=[[HeldTerm("AUT"), HeldTerm("BEL")]],
    )
    assert [plan[q] for q in quarters] == [
        {1: "CZE", 2: "DEU"},
        {1: "ESP", 2: "AUT"},
        {1: "BEL", 2: "CZE"},
    ]


def test_french_order_files_accented_names_with_their_letter():
    """États-Unis sorts among the E's in French order, not after Z."""
    names = {code: POOL[code] for code in ["USA", "ESP", "EST", "FRA", "AUT"]}
    assert rotation_cycle(names, language="fr") == ["AUT", "ESP", "EST", "USA", "FRA"]
    assert rotation_cycle(names, language="en") == ["AUT", "EST", "FRA", "ESP", "USA"]


def test_russian_order_treats_yo_as_ye():
    """The Russian "yo" sorts with "ye" in Russian order rather than after "ya"."""
    assert collation_key("Ёлка") < collation_key("Жук")
    assert collation_key("Ежевика") < collation_key("Ёлка")


def test_unknown_language_is_refused():
    """An order language other than en, fr, ru is refused with a clear message."""
    with pytest.raises(ValueError, match="Unknown rotation order 'de'"):
        rotation_cycle({"AUT": POOL["AUT"]}, language="de")


def test_three_holders_are_refused():
    """A seat has one or two holders per term."""
    with pytest.raises(ValueError, match="1 or 2 holders"):
        plan_rotation(quarters=[Quarter(2027, 1)], names={}, eligible={}, holders_per_term=3)


def test_quarters_must_follow_one_another():
    """A gap in the planned quarters is refused."""
    with pytest.raises(ValueError, match="does not follow"):
        plan_rotation(quarters=[Quarter(2027, 1), Quarter(2027, 3)], names={}, eligible={})


def test_codes_without_names_are_refused():
    """Every code needs names to be placed in the order."""
    with pytest.raises(ValueError, match="No names given for XYZ"):
        plan_rotation(quarters=[Quarter(2027, 1)], names={}, eligible={Quarter(2027, 1): {"XYZ"}})


def test_troika_is_previous_current_and_next_chair():
    """The troika lists the previous, current and next quarter's chair, None where unplanned."""
    q = Quarter(2027, 1)
    assert troika_quarters(q) == (Quarter(2026, 4), q, Quarter(2027, 2))
    assert troika({q: "EU", q + 1: "NATO"}, q) == (None, "EU", "NATO")
