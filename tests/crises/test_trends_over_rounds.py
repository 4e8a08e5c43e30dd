"""The threat picture over quarters takes, per threat, its last released round of the
quarter's assessment: a threat settled in round 1 keeps its point when round 2 asks
again only on the others."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta

from django.utils import timezone

from consult import access
from crises.selectors.assessments import assessment_list
from crises.selectors.pictures import threat_trends
from crises.services import assessments as services
from tests.crises.conftest import CrisisWorld


def test_a_threat_not_asked_again_keeps_its_first_round_in_the_trend(
    cw: CrisisWorld,
    score: Callable[..., None],
    django_assert_num_queries: Callable[..., AbstractContextManager[object]],
) -> None:
    # Threat 0 split (1,1,5,5); threats 1 and 2 agreed in round 1.
    score("us", [(1, 1), (2, 2), (3, 3)])
    score("ru", [(5, 5), (2, 2), (3, 4)])
    score("nato", [(1, 1), (2, 2), (3, 3)])
    score("fr", [(5, 5), (2, 2), (3, 3)])
    services.round_release(user=cw.sec, assessment=cw.assessment)
    second = services.round_open_next(
        user=cw.sec, assessment=cw.assessment, deadline=timezone.now() + timedelta(days=3)
    )
    assert list(second.threats.all()) == [cw.threats[0]]
    score("us", [(3, 3)])
    score("ru", [(4, 4)])
    score("nato", [(3, 3)])
    score("fr", [(4, 4)])
    services.round_release(user=cw.sec, assessment=cw.assessment)

    reader = cw.user("ru")
    with access.reading_once():
        list(assessment_list(user=reader))  # the reader's delegations and grants, read once
        with django_assert_num_queries(4):
            trends = threat_trends(user=reader)
    by_title = {trend.threat.title: trend for trend in trends}
    assert set(by_title) == {threat.title for threat in cw.threats}
    for trend in trends:
        [point] = trend.points
        assert point.session_number == cw.assessment.session.number
    split, agreed, nearly = (by_title[threat.title].points[0].stats for threat in cw.threats)
    # Round 2's figures for the threat asked again: 3, 3, 4, 4.
    assert (split.likelihood.median, split.likelihood.iqr) == (3.5, 1.0)
    # Round 1's for the others: 2, 2, 2, 2 and impacts 3, 3, 3, 4 (quartiles 3 and 3.25).
    assert (agreed.likelihood.median, agreed.likelihood.iqr) == (2.0, 0.0)
    assert (nearly.impact.median, nearly.impact.q3, nearly.impact.count) == (3.0, 3.25, 4)
