"""The collective threat picture: per threat, median and spread of the released scores,
where each party stands, how views moved since the last round, and over quarters.

Aggregates are computed from every score of a released round (the aggregate is
the session's ``participants`` material); the positions come through
``score_list``, so they follow the seal and the attribution choice. A round not
yet released has no picture.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from consult.actors import Actor
from consult.quarters import Quarter
from crises.models import Assessment, AssessmentRound, Score, Threat
from crises.selectors.assessments import assessment_list, score_list
from crises.statistics import Spread, Verdict, has_converged, spread_of, verdict


@dataclass(frozen=True, slots=True)
class ThreatStats:
    likelihood: Spread
    impact: Spread

    @property
    def spread(self) -> float:
        return spread_of(self.likelihood, self.impact)


def _stats(rows: Iterable[tuple[int, int, int]]) -> dict[int, ThreatStats]:
    by_threat: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for threat_id, likelihood, impact in rows:
        by_threat[threat_id][0].append(likelihood)
        by_threat[threat_id][1].append(impact)
    return {
        threat_id: ThreatStats(Spread.of(likelihoods), Spread.of(impacts))
        for threat_id, (likelihoods, impacts) in by_threat.items()
    }


def round_spreads(current: AssessmentRound) -> dict[int, ThreatStats]:
    """Each scored threat's statistics in ``current`` (all parties' scores: callers show it
    only for a released round)."""
    rows = Score.objects.filter(round=current).values_list("threat_id", "likelihood", "impact")
    return _stats(rows)


@dataclass(frozen=True, slots=True)
class Position:
    """Where one party stands on a threat (``party`` reads "A participant" when anonymised)."""

    party: str
    party_code: str
    likelihood: int
    impact: int
    trend: str
    confidence: str
    rationale: str

    @property
    def trend_label(self) -> str:
        """The trend as the reader's language names it (``trend`` is the stored value)."""
        return str(Score.Trend(self.trend).label) if self.trend else ""

    @property
    def confidence_label(self) -> str:
        return str(Score.Confidence(self.confidence).label) if self.confidence else ""


@dataclass(frozen=True, slots=True)
class ThreatPicture:
    threat: Threat
    stats: ThreatStats
    previous: ThreatStats | None
    converged: bool
    positions: list[Position] = field(default_factory=list)

    @property
    def verdict(self) -> Verdict | None:
        if self.previous is None:
            return None
        return verdict(self.previous.spread, self.stats.spread)


@dataclass(frozen=True, slots=True)
class Picture:
    assessment: Assessment
    round: AssessmentRound
    threats: list[ThreatPicture]

    @property
    def offers_new_round(self) -> bool:
        """Another round is offered while a threat's spread is at or above the threshold."""
        return any(not threat.converged for threat in self.threats)

    def ranked_by_spread(self) -> list[ThreatPicture]:
        return sorted(self.threats, key=lambda t: (-t.stats.spread, t.threat.title))


def released_rounds(assessment: Assessment) -> list[AssessmentRound]:
    return list(
        AssessmentRound.objects.filter(assessment=assessment, released_at__isnull=False)
        .select_related("assessment__session")
        .order_by("number")
    )


def assessment_picture(
    *, user: Actor, assessment: Assessment, number: int | None = None
) -> Picture | None:
    """The picture of the assessment's last released round (or of round ``number``), as
    ``user`` may see it; None while nothing is released. ``assessment`` comes from
    ``assessment_get``/``assessment_list`` (the caller reads it)."""
    rounds = released_rounds(assessment)
    if number is not None:
        rounds = [r for r in rounds if r.number <= number]
    if not rounds:
        return None
    current = rounds[-1]
    earlier = rounds[-2] if len(rounds) > 1 else None
    rows = Score.objects.filter(round__in=[r.pk for r in rounds[-2:]]).values_list(
        "round_id", "threat_id", "likelihood", "impact"
    )
    now_rows = [(t, li, im) for r, t, li, im in rows if r == current.pk]
    before_rows = [(t, li, im) for r, t, li, im in rows if earlier and r == earlier.pk]
    stats, before = _stats(now_rows), _stats(before_rows)
    positions: dict[int, list[Position]] = defaultdict(list)
    # Plain values, not model rows: a picture of fifty threats holds two hundred positions.
    for threat_id, *position in score_list(user=user, round=current).values_list(  # type: ignore[misc]
        "threat_id",
        "display_party_name",
        "display_party_code",
        "likelihood",
        "impact",
        "trend",
        "confidence",
        "rationale",
    ):
        positions[threat_id].append(Position(*position))
    threats = current.threats.order_by("title")
    threshold = assessment.convergence_threshold
    return Picture(
        assessment=assessment,
        round=current,
        threats=[
            ThreatPicture(
                threat=threat,
                stats=stats[threat.pk],
                previous=before.get(threat.pk),
                converged=has_converged(stats[threat.pk].spread, threshold),
                positions=positions[threat.pk],
            )
            for threat in threats
            if threat.pk in stats
        ],
    )


@dataclass(frozen=True, slots=True)
class QuarterPoint:
    quarter: Quarter
    session_number: str
    stats: ThreatStats


@dataclass(frozen=True, slots=True)
class ThreatTrend:
    threat: Threat
    points: list[QuarterPoint]

    def verdicts(self) -> list[Verdict]:
        return [
            verdict(before.stats.spread, after.stats.spread)
            for before, after in zip(self.points, self.points[1:], strict=False)
        ]


def threat_trends(
    *, user: Actor, threats: Sequence[Threat] | None = None, quarters: int = 8
) -> list[ThreatTrend]:
    """Each threat's median and spread per quarter, over the latest ``quarters`` quarters
    whose assessment ``user`` reads: four queries (three when ``threats`` are given).

    A quarter's point is the threat's last released round of that assessment: a further
    round asks again only where views had not converged, so a threat settled in round 1
    keeps round 1's figures for its quarter."""
    assessments = list(assessment_list(user=user).order_by("-session__starts_at")[:quarters])
    released_rounds_by_id = {
        released.pk: released
        for released in AssessmentRound.objects.filter(
            assessment__in=[a.pk for a in assessments], released_at__isnull=False
        ).select_related("assessment__session")
    }
    scores = Score.objects.filter(round__in=list(released_rounds_by_id))
    if threats is not None:
        scores = scores.filter(threat__in=[t.pk for t in threats])
    # Per assessment and threat: the number of its last released round that scored the
    # threat, and that round's scores.
    latest: dict[int, dict[int, tuple[int, list[tuple[int, int, int]]]]] = defaultdict(dict)
    for round_id, threat_id, likelihood, impact in scores.values_list(
        "round_id", "threat_id", "likelihood", "impact"
    ):
        released = released_rounds_by_id[round_id]
        by_threat = latest[released.assessment_id]
        number, rows = by_threat.get(threat_id, (0, []))
        if released.number > number:
            number, rows = released.number, []
            by_threat[threat_id] = (number, rows)
        if released.number == number:
            rows.append((threat_id, likelihood, impact))
    sessions = {r.assessment_id: r.assessment.session for r in released_rounds_by_id.values()}
    points: dict[int, list[QuarterPoint]] = defaultdict(list)
    for assessment_id, session in sorted(sessions.items(), key=lambda item: item[1].starts_at):
        rows_of = latest[assessment_id].values()
        for threat_id, stats in _stats(row for _n, rows in rows_of for row in rows).items():
            points[threat_id].append(
                QuarterPoint(Quarter.parse(str(session.quarter)), session.number, stats)
            )
    listed = (
        list(threats)
        if threats is not None
        else list(Threat.objects.filter(pk__in=list(points)).order_by("title"))
    )
    return [ThreatTrend(threat, points[threat.pk]) for threat in listed if points[threat.pk]]
