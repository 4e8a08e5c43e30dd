"""The Delphi statistics against hand-computed values and as properties: the quantile is the
inclusive (percentile_cont) one, a median lies among the scores, a spread is never negative,
and the verdict reads the same movement backwards as its opposite."""

from __future__ import annotations

import statistics
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crises.statistics import Spread, Verdict, has_converged, quantile, spread_of, verdict

scores = st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=40)
values = st.lists(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=40
)
spreads = st.floats(min_value=0, max_value=4, allow_nan=False)


@pytest.mark.parametrize(
    ("data", "median", "q1", "q3"),
    [
        ([1, 2, 4, 5], 3, 1.75, 4.25),
        ([3], 3, 3, 3),
        ([1, 5], 3, 2, 4),
        ([5, 1, 3], 3, 2, 4),
        ([2, 2, 2, 2, 5], 2, 2, 2),
        ([1, 2, 3, 4, 5, 5], 3.5, 2.25, 4.75),
    ],
)
def test_hand_computed_quartiles(data: list[int], median: float, q1: float, q3: float) -> None:
    spread = Spread.of(data)
    assert (spread.count, spread.median, spread.q1, spread.q3) == (len(data), median, q1, q3)
    assert spread.iqr == q3 - q1


def test_no_scores_have_no_quantile() -> None:
    with pytest.raises(ValueError, match="No values"):
        quantile([], 0.5)


def test_a_threats_spread_is_the_wider_of_its_two_ranges() -> None:
    assert spread_of(Spread.of([1, 2, 4, 5]), Spread.of([3, 3, 4])) == 2.5
    assert spread_of(Spread.of([3, 3]), Spread.of([1, 5])) == 2


@pytest.mark.parametrize(
    ("spread", "threshold", "converged"),
    [(0.9, "1.0", True), (1.0, "1.0", False), (1.25, "1.0", False), (0, "0", False)],
)
def test_convergence_is_below_the_threshold(spread: float, threshold: str, converged: bool) -> None:
    assert has_converged(spread, Decimal(threshold)) is converged


def test_hand_computed_verdicts() -> None:
    assert verdict(2.5, 1.0) is Verdict.CONVERGED
    assert verdict(1.0, 2.5) is Verdict.DIVERGED
    assert verdict(1.5, 1.5) is Verdict.STAYED
    assert Verdict.CONVERGED.label == "Views converged (spread narrowed)"


@given(values)
def test_quartiles_are_the_inclusive_ones(data: list[float]) -> None:
    q1, median, q3 = statistics.quantiles(data, n=4, method="inclusive")
    assert quantile(data, 0.25) == pytest.approx(q1, abs=1e-6)
    assert quantile(data, 0.5) == pytest.approx(median, abs=1e-6)
    assert quantile(data, 0.75) == pytest.approx(q3, abs=1e-6)


@given(scores)
def test_a_median_lies_among_the_scores_and_a_spread_is_never_negative(data: list[int]) -> None:
    spread = Spread.of(data)
    assert min(data) <= spread.q1 <= spread.median <= spread.q3 <= max(data)
    assert spread.iqr >= 0
    assert spread.median == statistics.median(data)


@given(scores)
def test_the_order_of_the_scores_does_not_matter(data: list[int]) -> None:
    assert Spread.of(data) == Spread.of(list(reversed(data)))


@given(spreads, spreads)
def test_a_verdict_read_backwards_is_its_opposite(before: float, after: float) -> None:
    opposite = {
        Verdict.CONVERGED: Verdict.DIVERGED,
        Verdict.DIVERGED: Verdict.CONVERGED,
        Verdict.STAYED: Verdict.STAYED,
    }
    assert verdict(after, before) is opposite[verdict(before, after)]
    assert (verdict(before, after) is Verdict.STAYED) == (before == after)
