"""Counts per quarter for analysts' charts, aggregated in SQL over readable rows only.

Each count starts from the owning app's selector, so the access rule (and,
for statements, the Chatham House display fields) applies before counting: a
count of unreadable rows would leak their existence, and a count of Chatham
House statements per party would say who spoke.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, time
from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractQuarter, ExtractYear

from agenda.models import Session
from agenda.selectors.sessions import session_list
from consult.actors import Actor
from consult.quarters import Quarter
from minutes.models import ActionPoint, Communique
from minutes.selectors.communiques import communique_list
from minutes.selectors.record import action_point_list, statement_list

MAX_QUARTERS = 200
UNDISCLOSED = "undisclosed"


def quarter_range(first: Quarter, last: Quarter) -> Iterator[Quarter]:
    quarter = first
    while quarter <= last:
        yield quarter
        quarter = quarter + 1


def _empty(quarter: Quarter) -> dict[str, Any]:
    return {
        "quarter": str(quarter),
        "sessions": dict.fromkeys(Session.Kind.values, 0),
        "statements": {"total": 0, "by_party": {}},
        "action_points": {"opened": 0, "closed": 0},
        "outcomes": dict.fromkeys(Communique.Kind.values, 0),
    }


def quarterly_stats(user: Actor, *, first: Quarter, last: Quarter) -> list[dict[str, Any]]:
    """One row per quarter from ``first`` to ``last`` (dense: empty quarters count zero).

    Five aggregate queries, whatever the span and the number of rows.
    """
    rows = {str(quarter): _empty(quarter) for quarter in quarter_range(first, last)}
    in_span = {"quarter__gte": str(first), "quarter__lte": str(last)}

    sessions = (
        session_list(user=user)
        .filter(**in_span)
        .exclude(status=Session.Status.CANCELLED)
        .order_by()
        .values("quarter", "kind")
        .annotate(count=Count("pk"))
    )
    for held in sessions:
        rows[held["quarter"]]["sessions"][held["kind"]] = held["count"]

    # Typed loosely: the display fields are the selector's annotations.
    readable_statements: Any = statement_list(user)
    statements = (
        readable_statements.filter(
            **{f"minutes__session__{name}": value for name, value in in_span.items()}
        )
        .order_by()
        .values("minutes__session__quarter", "display_party_code")
        .annotate(count=Count("pk"))
    )
    for said in statements:
        counts = rows[said["minutes__session__quarter"]]["statements"]
        party = said["display_party_code"] or UNDISCLOSED
        counts["by_party"][party] = counts["by_party"].get(party, 0) + said["count"]
        counts["total"] += said["count"]

    opened = (
        action_point_list(user)
        .filter(**{f"minutes__session__{name}": value for name, value in in_span.items()})
        .order_by()
        .values("minutes__session__quarter")
        .annotate(count=Count("pk"))
    )
    for point in opened:
        rows[point["minutes__session__quarter"]]["action_points"]["opened"] = point["count"]

    closed = (
        action_point_list(user)
        .filter(
            status=ActionPoint.Status.DONE,
            done_at__gte=datetime.combine(first.first_day, time.min, tzinfo=UTC),
            done_at__lt=datetime.combine((last + 1).first_day, time.min, tzinfo=UTC),
        )
        .order_by()
        .values(year=ExtractYear("done_at"), q=ExtractQuarter("done_at"))
        .annotate(count=Count("pk"))
    )
    for done in closed:
        rows[str(Quarter(done["year"], done["q"]))]["action_points"]["closed"] = done["count"]

    outcomes = (
        communique_list(user, status=Communique.Status.PUBLISHED)
        .filter(**{f"session__{name}": value for name, value in in_span.items()})
        .order_by()
        .values("session__quarter", "kind")
        .annotate(count=Count("pk"))
    )
    for text in outcomes:
        rows[text["session__quarter"]]["outcomes"][text["kind"]] = text["count"]
    return list(rows.values())
