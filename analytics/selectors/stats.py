"""Counts per quarter for analysts' charts, aggregated in SQL over readable rows only.

Each count starts from the owning app's selector, so the access rule filters
the rows before they are counted (a count of unreadable rows would leak their
existence).
"""

from collections.abc import Iterator
from typing import Any

from django.db.models import Count

from agenda.models import Session
from agenda.selectors.sessions import session_list
from members.quarters import Quarter

MAX_QUARTERS = 200


def quarter_range(first: Quarter, last: Quarter) -> Iterator[Quarter]:
    quarter = first
    while quarter <= last:
        yield quarter
        quarter = quarter + 1


def quarterly_stats(user: Any, *, first: Quarter, last: Quarter) -> list[dict[str, Any]]:
    """One row per quarter from ``first`` to ``last`` (dense: empty quarters count zero)."""
    rows: dict[str, dict[str, Any]] = {
        str(quarter): {
            "quarter": str(quarter),
            "sessions": dict.fromkeys(Session.Kind.values, 0),
        }
        for quarter in quarter_range(first, last)
    }
    bounds = {"quarter__gte": str(first), "quarter__lte": str(last)}

    sessions = (
        session_list(user)
        .filter(**bounds)
        .exclude(status=Session.Status.CANCELLED)
        .order_by()
        .values("quarter", "kind")
        .annotate(count=Count("pk"))
    )
    for row in sessions:
        rows[row["quarter"]]["sessions"][row["kind"]] = row["count"]
    return list(rows.values())
