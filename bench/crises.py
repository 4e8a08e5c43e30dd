"""Benchmark of the threat picture: computed and charted vs one SQL aggregate, as ratios.

Run (starts its own PostgreSQL and Redis; seeds its own assessments):

    bin/with-services .venv/bin/python bench/crises.py
    bin/with-services .venv/bin/python bench/crises.py --threats 50 --quarters 8 --repeat 15

Seeds the members demo's parties and accounts, then one released assessment per
quarter over the last ``--quarters`` quarters (each regular session's), first
with 10 threats, then with ``--threats`` threats, each scored by the United
States, Russia, NATO and the EU. The reader is ``delegate-usa`` (invited to every
session), so the access rule is applied as on a delegate's page. Measures, in one run:

1. the picture as a page draws it: ``assessment_picture`` of the last quarter
   (positions through the sealed ``score_list``), ``threat_trends`` over the
   quarters, and the risk matrix, divergence and trend charts (``crises.charts``),
   against the same statistics (count, quartiles and median of likelihood and
   impact per threat and round) computed in ONE SQL aggregate with PostgreSQL's
   ``percentile_cont(0.25/0.5/0.75) WITHIN GROUP``: the ratio of the medians of
   interleaved runs, with the charts drawn afresh and kept from an earlier reader
   (``crises.charts`` keeps each process's drawings), and for the statistics alone;
   the figures of both are checked to agree;
2. the queries of the picture and chart computation with 10 threats and with
   ``--threats`` threats: they must be the same number.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from agenda.models import Invitation, Session  # noqa: E402
from agenda.services.invitations import invitation_create  # noqa: E402
from agenda.services.sessions import session_create  # noqa: E402
from consult import access  # noqa: E402
from consult.quarters import Quarter  # noqa: E402
from crises import charts  # noqa: E402
from crises.models import Assessment, AssessmentRound, Score, Threat  # noqa: E402
from crises.selectors.assessments import assessment_list  # noqa: E402
from crises.selectors.pictures import (  # noqa: E402
    Picture,
    ThreatTrend,
    assessment_picture,
    threat_trends,
)
from crises.statistics import Spread  # noqa: E402
from members import demo as members_demo  # noqa: E402
from members.models import Party  # noqa: E402

PARTIES = ("USA", "RUS", "NATO", "EU")
READER = "delegate-usa"
# Each party leans its own way; the scores scatter around the lean.
LEAN = {"USA": (1, 1), "RUS": (-1, -1), "NATO": (1, 0), "EU": (0, 1)}

# (round id, threat id) -> ((count, q1, median, q3) of likelihood, the same of impact)
Figures = dict[tuple[int, int], tuple[tuple[float, ...], tuple[float, ...]]]

AGGREGATE = """
SELECT s.round_id, s.threat_id, count(*),
       percentile_cont(0.25) WITHIN GROUP (ORDER BY s.likelihood),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY s.likelihood),
       percentile_cont(0.75) WITHIN GROUP (ORDER BY s.likelihood),
       percentile_cont(0.25) WITHIN GROUP (ORDER BY s.impact),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY s.impact),
       percentile_cont(0.75) WITHIN GROUP (ORDER BY s.impact)
FROM crises_score s
JOIN crises_assessmentround r ON r.id = s.round_id
WHERE r.released_at IS NOT NULL
  AND r.number = (SELECT max(l.number) FROM crises_assessmentround l
                  WHERE l.assessment_id = r.assessment_id AND l.released_at IS NOT NULL)
GROUP BY s.round_id, s.threat_id
"""


def side_by_side(
    first: Callable[[], Any], second: Callable[[], Any], repeat: int
) -> tuple[float, float]:
    """Median seconds of each, their runs interleaved so that load drifting on a
    shared machine weighs on both alike."""
    first(), second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for function, bucket in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            function()
            bucket.append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def sessions(quarters: int, secretary: Any) -> list[Session]:
    """A held regular session in each of the last ``quarters`` quarters, the reader's
    delegation invited to each (their assessments are its ``participants`` material)."""
    usa = Party.objects.get(code="USA")
    made = []
    for back in range(quarters, 0, -1):
        quarter = Quarter.current() - back
        session = Session.objects.filter(kind=Session.Kind.REGULAR, quarter=str(quarter)).first()
        if session is None:
            starts = datetime.combine(quarter.first_day + timedelta(days=45), clock(8), UTC)
            session = session_create(
                kind=Session.Kind.REGULAR,
                starts_at=starts,
                ends_at=starts + timedelta(hours=8),
                venue="Vienna",
                user=secretary,
                status=Session.Status.HELD,
            )
        if not Invitation.objects.filter(session=session, party=usa).exists():
            invitation_create(
                session=session,
                party=usa,
                kind=Invitation.Kind.MEMBER,
                user=secretary,
                notify=False,
            )
        made.append(session)
    return made


def scores_for(rounds: list[AssessmentRound], threats: list[Threat], secretary: Any) -> None:
    """Each party's scores of ``threats`` in each round, around its lean, drifting apart
    over the quarters on some threats."""
    parties = {party.code: party for party in Party.objects.filter(code__in=PARTIES)}
    rows = []
    for index, released in enumerate(rounds):
        for threat in threats:
            chance = random.Random(f"{threat.title}/{released.pk}")
            base = (2 + threat.pk % 3, 2 + threat.pk % 4)
            drift = index // 3 if threat.pk % 5 == 0 else 0
            for code in PARTIES:
                lean = LEAN[code]
                values = [
                    min(5, max(1, base[axis] + lean[axis] * (1 + drift) + chance.randint(-1, 1)))
                    for axis in (0, 1)
                ]
                rows.append(
                    Score(
                        round=released,
                        threat=threat,
                        party=parties[code],
                        likelihood=values[0],
                        impact=values[1],
                        trend=chance.choice(list(Score.Trend)),
                        confidence=chance.choice(list(Score.Confidence)),
                        rationale=f"{code} on {threat.title}, quarter {index + 1}.",
                        scored_by=secretary,
                    )
                )
    Score.objects.bulk_create(rows)


def add_threats(count: int, rounds: list[AssessmentRound], secretary: Any) -> list[Threat]:
    """``count`` more threats, on every assessment and round, scored."""
    first = Threat.objects.count()
    threats = Threat.objects.bulk_create(
        Threat(
            title=f"Threat {number:03d}",
            description="Benchmark threat.",
            region="Euro-Atlantic area",
            created_by=secretary,
        )
        for number in range(first + 1, first + count + 1)
    )
    for released in rounds:
        released.assessment.threats.add(*threats)
        released.threats.add(*threats)
    scores_for(rounds, threats, secretary)
    return threats


def assessments(sessions_: list[Session], secretary: Any) -> list[AssessmentRound]:
    rounds = []
    for session in sessions_:
        assessment = Assessment.objects.create(
            session=session, attribution=Assessment.Attribution.ATTRIBUTED, opened_by=secretary
        )
        deadline = session.starts_at - timedelta(days=7)
        rounds.append(
            AssessmentRound.objects.create(
                assessment=assessment,
                number=1,
                deadline=deadline,
                released_at=deadline + timedelta(days=1),
                released_by=secretary,
            )
        )
    return rounds


def picture(
    user: Any, quarters: int, *, charted: bool
) -> tuple[Picture, list[ThreatTrend], list[str]]:
    """As a page draws it: the last quarter's picture, the trends, and their charts."""
    with access.reading_once():
        latest = assessment_list(user=user).first()
        assert latest is not None
        current = assessment_picture(user=user, assessment=latest)
        assert current is not None
        trends = threat_trends(user=user, quarters=quarters)
        drawn = (
            [
                charts.risk_matrix_svg(current),
                charts.divergence_svg(current),
                charts.trend_svg(trends),
            ]
            if charted
            else []
        )
    return current, trends, drawn


def _four(spread: Spread) -> tuple[float, ...]:
    return (spread.count, spread.q1, spread.median, spread.q3)


def figures_of(current: Picture, trends: list[ThreatTrend]) -> Figures:
    """The trends' figures by (round, threat); the last quarter's picture must agree."""
    round_of = dict(
        AssessmentRound.objects.filter(released_at__isnull=False).values_list(
            "assessment__session__number", "pk"
        )
    )
    figures: Figures = {
        (round_of[point.session_number], trend.threat.pk): (
            _four(point.stats.likelihood),
            _four(point.stats.impact),
        )
        for trend in trends
        for point in trend.points
    }
    for threat in current.threats:
        key = (current.round.pk, threat.threat.pk)
        assert figures[key] == (_four(threat.stats.likelihood), _four(threat.stats.impact))
    return figures


def aggregate() -> Figures:
    with connection.cursor() as cursor:
        cursor.execute(AGGREGATE)
        return {
            (round_id, threat_id): (
                (count, l1, l2, l3),
                (count, i1, i2, i3),
            )
            for round_id, threat_id, count, l1, l2, l3, i1, i2, i3 in cursor.fetchall()
        }


def queries(user: Any, quarters: int) -> int:
    """Queries of one drawing, in a warm process (the first drawing in a process also
    fills Django's content-type and permission caches once)."""
    picture(user, quarters, charted=False)
    with CaptureQueriesContext(connection) as captured:
        picture(user, quarters, charted=True)
    return len(captured)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threats", type=int, default=50)
    parser.add_argument("--quarters", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Run it on PostgreSQL: bin/with-services .venv/bin/python bench/crises.py")
    call_command("migrate", verbosity=0)
    if Assessment.objects.exists():
        raise SystemExit("The database already holds assessments; run on a fresh one.")
    members_demo.seed()
    users = get_user_model().objects
    secretary, reader = users.get(username="secretariat"), users.get(username=READER)
    rounds = assessments(sessions(args.quarters, secretary), secretary)

    add_threats(10, rounds, secretary)
    few = queries(reader, args.quarters)
    add_threats(args.threats - 10, rounds, secretary)
    many = queries(reader, args.quarters)

    current, trends, drawn = picture(reader, args.quarters, charted=True)
    figures = figures_of(current, trends)
    expected = args.threats * args.quarters
    assert len(figures) == expected, (len(figures), expected)
    summed = aggregate()
    assert set(summed) == set(figures)
    disagreements = [
        key
        for key, (likelihood, impact) in figures.items()
        if any(
            abs(float(a) - float(b)) > 1e-9
            for a, b in zip(likelihood + impact, summed[key][0] + summed[key][1], strict=True)
        )
    ]
    print(
        f"Threat picture: {args.threats} threats x {len(PARTIES)} parties x "
        f"{args.quarters} quarters ({Score.objects.count()} scores), read as {READER}"
    )
    print(
        f"0. figures agree: {len(figures) - len(disagreements)}/{len(figures)} threat-rounds "
        f"(count, quartiles and median of likelihood and impact); charts "
        f"{', '.join(f'{len(svg) // 1024} kB' for svg in drawn)}"
    )
    assert not disagreements, disagreements[:5]

    def drawn_afresh() -> Any:
        charts.forget_drawings()
        return picture(reader, args.quarters, charted=True)

    charted, sql = side_by_side(drawn_afresh, aggregate, args.repeat)
    print(
        f"1. picture + trends + 3 charts drawn {charted * 1000:.1f} ms, one SQL aggregate "
        f"{sql * 1000:.2f} ms, ratio {charted / sql:.0f}x"
    )
    kept, sql = side_by_side(
        lambda: picture(reader, args.quarters, charted=True), aggregate, args.repeat
    )
    print(
        f"   picture + trends + 3 charts kept from an earlier reader {kept * 1000:.1f} ms, "
        f"SQL {sql * 1000:.2f} ms, ratio {kept / sql:.1f}x"
    )
    computed, sql = side_by_side(
        lambda: picture(reader, args.quarters, charted=False), aggregate, args.repeat
    )
    print(
        f"   statistics alone (selectors, no charts) {computed * 1000:.1f} ms, "
        f"SQL {sql * 1000:.2f} ms, ratio {computed / sql:.1f}x"
    )
    timings = []
    for name, draw in (
        ("risk matrix", lambda: charts.risk_matrix_svg(current)),
        ("divergence", lambda: charts.divergence_svg(current)),
        ("trend", lambda: charts.trend_svg(trends)),
    ):
        runs = []
        for _ in range(3):
            charts.forget_drawings()
            started = time.perf_counter()
            draw()
            runs.append(time.perf_counter() - started)
        timings.append(f"{name} {statistics.median(runs) * 1000:.0f} ms")
    print(f"   each chart: {', '.join(timings)}")
    print(
        f"2. queries of the picture and its charts: {few} with 10 threats, "
        f"{many} with {args.threats} ({'equal' if few == many else 'NOT EQUAL'})"
    )
    if few != many:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
