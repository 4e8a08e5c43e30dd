"""The Delphi statistics: median, spread (interquartile range) and the convergence verdict.

Quartiles interpolate linearly between the ordered scores (numpy's default and
PostgreSQL's ``percentile_cont``), so the page, the API and an SQL aggregate
agree to the last digit: scores 1, 2, 4, 5 have the median 3, the quartiles
1.75 and 4.25, and the spread 2.5.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _


def quantile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile of ``values``, interpolated like ``percentile_cont``."""
    if not values:
        raise ValueError("No values.")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


@dataclass(frozen=True, slots=True)
class Spread:
    """Where a set of scores sits: median and interquartile range."""

    count: int
    median: float
    q1: float
    q3: float

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(
            count=len(values),
            median=quantile(values, 0.5),
            q1=quantile(values, 0.25),
            q3=quantile(values, 0.75),
        )


class Verdict(enum.StrEnum):
    """How views on a threat moved from one round (or quarter) to the next."""

    CONVERGED = "converged"
    DIVERGED = "diverged"
    STAYED = "stayed"

    @property
    def label(self) -> str:
        return {
            Verdict.CONVERGED: _("Views converged (spread narrowed)"),
            Verdict.DIVERGED: _("Views diverged (spread widened)"),
            Verdict.STAYED: _("Views stayed where they were"),
        }[self]


def spread_of(likelihood: Spread, impact: Spread) -> float:
    """A threat's spread: the wider of its likelihood and impact interquartile ranges."""
    return max(likelihood.iqr, impact.iqr)


def verdict(before: float, after: float) -> Verdict:
    """Converged when the spread narrowed, diverged when it widened, stayed otherwise."""
    if after < before:
        return Verdict.CONVERGED
    if after > before:
        return Verdict.DIVERGED
    return Verdict.STAYED


def has_converged(spread: float, threshold: Decimal) -> bool:
    """Below the assessment's threshold: no further round is offered for the threat."""
    return Decimal(str(spread)) < threshold
