"""Delphi rounds through the services: scoring, the seal, release, further rounds, and
every refusal leaving nothing saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from consult.errors import ApplicationError
from crises.models import AssessmentRound, Score
from crises.selectors.assessments import score_list
from crises.selectors.pictures import assessment_picture
from crises.services import assessments as services
from crises.services.assessments import ScoreInput
from tests.crises.conftest import CrisisWorld


def _answer(cw: CrisisWorld, likelihood: object = 3, impact: object = 3) -> list[ScoreInput]:
    return [
        ScoreInput(
            threat=cw.threats[0],
            likelihood=likelihood,
            impact=impact,
            trend="rising",
            confidence="high",
        )
    ]


@pytest.mark.parametrize("value", [0, 6, -1, "high", None, 2.5, True])
def test_a_score_off_the_scale_is_refused_and_nothing_saved(cw: CrisisWorld, value: object) -> None:
    with pytest.raises(ApplicationError, match="scored from 1 to 5"):
        services.scores_submit(
            user=cw.user("us"),
            assessment=cw.assessment,
            answers=[
                *_answer(cw),
                *_answer(cw, likelihood=value)[:0],
                ScoreInput(
                    threat=cw.threats[1],
                    likelihood=3,
                    impact=value,
                    trend="steady",
                    confidence="low",
                ),
            ],
        )
    assert not Score.objects.exists()


def test_a_party_without_a_seat_cannot_score(cw: CrisisWorld) -> None:
    for username in ("de", "ua", "csto", "outsider"):
        with pytest.raises(PermissionDenied):
            services.scores_submit(
                user=cw.user(username), assessment=cw.assessment, answers=_answer(cw)
            )
    with pytest.raises(PermissionDenied):
        services.scores_submit(user=cw.sec, assessment=cw.assessment, answers=_answer(cw))
    assert not Score.objects.exists()


def test_a_score_after_the_deadline_is_refused(cw: CrisisWorld) -> None:
    with (
        time_machine.travel(timezone.now() + timedelta(days=6)),
        pytest.raises(ApplicationError, match="closed at its deadline"),
    ):
        services.scores_submit(user=cw.user("us"), assessment=cw.assessment, answers=_answer(cw))
    assert not Score.objects.exists()


def test_scores_are_sealed_to_their_own_delegation_until_released(
    cw: CrisisWorld, score: Callable[..., None]
) -> None:
    score("us", [(4, 5), (2, 2), (3, 3)])
    score("ru", [(2, 3), (2, 2), (3, 4)])
    assert {s.party.code for s in score_list(user=cw.user("us"))} == {"USA"}
    assert {s.party.code for s in score_list(user=cw.user("ru"))} == {"RUS"}
    for name in ("sec", "nato", "fr", "de", "ua", "outsider"):
        assert not score_list(user=cw.user(name)).exists(), name
    assert assessment_picture(user=cw.sec, assessment=cw.assessment) is None

    services.round_release(user=cw.sec, assessment=cw.assessment)
    assert score_list(user=cw.user("nato")).count() == 6
    # Anonymised: another party reads "A participant", its own party its name.
    shown = {(s.party.code, s.display_party) for s in score_list(user=cw.user("us"))}  # type: ignore[attr-defined]
    assert ("USA", "United States of America") in shown
    assert ("RUS", "A participant") in shown
    assert not score_list(user=cw.user("outsider")).exists()


def test_only_the_secretariat_releases_and_never_an_empty_round(
    cw: CrisisWorld, score: Callable[..., None]
) -> None:
    with pytest.raises(ApplicationError, match="no scores yet"):
        services.round_release(user=cw.sec, assessment=cw.assessment)
    score("us", [(4, 5)])
    with pytest.raises(PermissionDenied):
        services.round_release(user=cw.user("us"), assessment=cw.assessment)
    services.round_release(user=cw.sec, assessment=cw.assessment)
    with pytest.raises(ApplicationError, match="already released"):
        services.round_release(user=cw.sec, assessment=cw.assessment)
    with pytest.raises(ApplicationError, match="No round of this assessment is open"):
        score("us", [(1, 1)])
    assert Score.objects.get().likelihood == 4


def test_a_second_round_waits_for_the_first_release_and_asks_only_diverging_threats(
    cw: CrisisWorld, score: Callable[..., None]
) -> None:
    deadline = timezone.now() + timedelta(days=7)
    with pytest.raises(ApplicationError, match="not released yet"):
        services.round_open_next(user=cw.sec, assessment=cw.assessment, deadline=deadline)
    # Threat 0 split (1,1,5,5 → spread 4); threats 1 and 2 agreed (spread 0).
    score("us", [(1, 1), (2, 2), (3, 3)])
    score("ru", [(5, 5), (2, 2), (3, 3)])
    score("nato", [(1, 1), (2, 2), (3, 3)])
    score("fr", [(5, 5), (2, 2), (3, 3)])
    services.round_release(user=cw.sec, assessment=cw.assessment)
    picture = assessment_picture(user=cw.user("us"), assessment=cw.assessment)
    assert picture is not None
    assert picture.offers_new_round
    second = services.round_open_next(user=cw.sec, assessment=cw.assessment, deadline=deadline)
    assert second.number == 2
    assert list(second.threats.all()) == [cw.threats[0]]
    score("us", [(3, 3)])
    score("ru", [(4, 4)])
    score("nato", [(3, 3)])
    score("fr", [(4, 4)])
    services.round_release(user=cw.sec, assessment=cw.assessment)
    picture = assessment_picture(user=cw.user("ru"), assessment=cw.assessment)
    assert picture is not None
    [only] = picture.threats
    assert only.stats.likelihood.median == 3.5
    assert only.stats.likelihood.iqr == 1.0  # 3, 3, 4, 4: quartiles 3.0 and 4.0
    assert only.verdict is not None
    assert only.verdict.value == "converged"
    assert not only.converged  # 1.0 is not below the threshold of 1.0
    assert AssessmentRound.objects.filter(assessment=cw.assessment).count() == 2


def test_a_further_round_closing_after_the_session_opens_is_refused(
    cw: CrisisWorld, score: Callable[..., None]
) -> None:
    score("us", [(1, 1), (2, 2), (3, 3)])
    score("ru", [(5, 5), (2, 2), (3, 3)])
    services.round_release(user=cw.sec, assessment=cw.assessment)
    opens = cw.assessment.session.starts_at
    with pytest.raises(ApplicationError) as refused:
        services.round_open_next(
            user=cw.sec, assessment=cw.assessment, deadline=opens + timedelta(minutes=1)
        )
    number = cw.assessment.session.number
    assert refused.value.message == f"Round 2 closes before session {number} opens."
    assert refused.value.fields == {"deadline": ["Before the session opens."]}
    assert AssessmentRound.objects.filter(assessment=cw.assessment).count() == 1
    # Closing as the session opens is still in time.
    second = services.round_open_next(user=cw.sec, assessment=cw.assessment, deadline=opens)
    assert second.number == 2
