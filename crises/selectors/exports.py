"""The released threat pictures as flat rows, for the CSV and JSON Lines exports.

One row per threat per released round of the assessments the caller reads:
the aggregate only (median, quartiles and spread of likelihood and impact,
and the verdict against the round before), which is the session's
``participants`` material. No row holds a party or a rationale, and a round
not yet released has no rows, so an export never carries a sealed score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from crises.models import Assessment, AssessmentRound, Score, Threat
from crises.statistics import Spread, has_converged, spread_of, verdict

# The columns of a row, in order, with what each holds.
PICTURE_COLUMNS: list[tuple[str, str]] = [
    ("quarter", "The quarter of the assessed session, e.g. 2027Q1."),
    ("session", "The assessed session's number."),
    ("assessment", "The assessment's id."),
    ("round", "The round's number (1 for the first)."),
    ("released_at", "When the round was released (UTC)."),
    ("threat", "The threat's id."),
    ("threat_title", "The threat's title."),
    ("scores", "How many parties scored the threat in the round."),
    ("likelihood_median", "Median likelihood (1-5)."),
    ("likelihood_q1", "First quartile of likelihood."),
    ("likelihood_q3", "Third quartile of likelihood."),
    ("likelihood_iqr", "Interquartile range of likelihood."),
    ("impact_median", "Median impact (1-5)."),
    ("impact_q1", "First quartile of impact."),
    ("impact_q3", "Third quartile of impact."),
    ("impact_iqr", "Interquartile range of impact."),
    ("spread", "The wider of the two interquartile ranges."),
    ("verdict", "converged, diverged or stayed since the round before; empty in a first round."),
    ("converged", "Whether the spread is below the assessment's threshold."),
]


def released_picture_rows(
    *, assessments: QuerySet[Assessment], crisis: UUID | None = None
) -> Iterator[dict[str, Any]]:
    """The rows of every released round of ``assessments`` (a selector's queryset, already
    read through the access rule), oldest session first; ``crisis``: its threats only.

    Four queries, whatever the number of assessments, rounds, threats and scores.
    """
    chosen = {a.pk: a for a in assessments.select_related("session").order_by()}
    rounds = list(
        AssessmentRound.objects.filter(assessment__in=list(chosen), released_at__isnull=False)
        .order_by("assessment_id", "number")
        .only("pk", "assessment_id", "number", "released_at")
    )
    scores = Score.objects.filter(round__in=[r.pk for r in rounds])
    if crisis is not None:
        scores = scores.filter(threat__crisis__public_id=crisis)
    values: dict[tuple[int, int], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    in_round: dict[int, set[int]] = defaultdict(set)
    for round_id, threat_id, scored_likelihood, scored_impact in scores.values_list(
        "round_id", "threat_id", "likelihood", "impact"
    ):
        values[(round_id, threat_id)][0].append(scored_likelihood)
        values[(round_id, threat_id)][1].append(scored_impact)
        in_round[round_id].add(threat_id)
    threats = {
        t.pk: t
        for t in Threat.objects.filter(pk__in={threat for _round, threat in values}).only(
            "pk", "public_id", "title"
        )
    }
    previous: dict[int, AssessmentRound] = {}
    ordered = sorted(
        rounds, key=lambda r: (chosen[r.assessment_id].session.starts_at, r.assessment_id, r.number)
    )
    for current in ordered:
        assessment = chosen[current.assessment_id]
        before = previous.get(current.assessment_id)
        previous[current.assessment_id] = current
        scored = sorted(
            (threats[threat_id] for threat_id in in_round[current.pk]),
            key=lambda threat: (threat.title, threat.pk),
        )
        for threat in scored:
            likelihoods, impacts = values[(current.pk, threat.pk)]
            likelihood, impact = Spread.of(likelihoods), Spread.of(impacts)
            spread = spread_of(likelihood, impact)
            earlier = values.get((before.pk, threat.pk)) if before is not None else None
            moved = (
                verdict(spread_of(Spread.of(earlier[0]), Spread.of(earlier[1])), spread)
                if earlier
                else None
            )
            yield {
                "quarter": str(assessment.session.quarter),
                "session": assessment.session.number,
                "assessment": assessment.public_id,
                "round": current.number,
                "released_at": current.released_at,
                "threat": threat.public_id,
                "threat_title": threat.title,
                "scores": likelihood.count,
                "likelihood_median": likelihood.median,
                "likelihood_q1": likelihood.q1,
                "likelihood_q3": likelihood.q3,
                "likelihood_iqr": likelihood.iqr,
                "impact_median": impact.median,
                "impact_q1": impact.q1,
                "impact_q3": impact.q3,
                "impact_iqr": impact.iqr,
                "spread": spread,
                "verdict": str(moved) if moved else None,
                "converged": has_converged(spread, assessment.convergence_threshold),
            }
