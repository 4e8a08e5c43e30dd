"""Scores and the collective picture through the API: sealed until release, anonymised
after it where the assessment says so, every refusal leaving nothing saved, the statistics
against hand-computed values, and a picture read in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crises.models import Assessment, AssessmentRound, Score
from crises.services import assessments as assessment_services
from crises.services import crises as crisis_services
from crises.services import threats as threat_services
from tests.crises.api import ROUND_ONE, SCORES, analyst, api, payload, release, score_all
from tests.crises.conftest import CrisisWorld, build_crisis_world
from tests.minutes.conftest import build_world


def listed(user: Any, **params: Any) -> list[dict[str, Any]]:
    response = api(user).get(SCORES, params)
    assert response.status_code == 200, response.content
    return list(response.json()["results"])


# Submitting


def test_a_delegation_scores_its_threats_in_one_request(cw: CrisisWorld) -> None:
    response = api(cw.user("us")).post(SCORES, payload(cw, ROUND_ONE["us"]), format="json")
    assert response.status_code == 201
    body = response.json()
    assert [(s["threat"]["title"], s["likelihood"], s["impact"]) for s in body] == sorted(
        [(t.title, li, im) for t, (li, im) in zip(cw.threats, ROUND_ONE["us"], strict=True)]
    )
    assert {s["party"]["code"] for s in body} == {"USA"}
    assert all(not s["released"] and s["round"] == 1 for s in body)
    # Scoring again before the deadline changes the scores, never adds to them.
    again = api(cw.user("us")).post(SCORES, payload(cw, [(5, 5)]), format="json")
    assert again.status_code == 201
    assert Score.objects.count() == 3
    assert Score.objects.get(threat=cw.threats[0]).likelihood == 5


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([(3, 3), (0, 3)], "Likelihood is scored from 1 to 5."),
        ([(3, 3), (3, 6)], "Impact is scored from 1 to 5."),
        ([(3, 3), (6, 6)], "Likelihood is scored from 1 to 5."),
    ],
)
def test_a_score_off_the_scale_refuses_the_whole_request(
    cw: CrisisWorld, values: list[tuple[int, int]], message: str
) -> None:
    response = api(cw.user("us")).post(SCORES, payload(cw, values), format="json")
    assert response.status_code == 400
    assert message in str(response.json())
    assert not Score.objects.exists()


def test_an_empty_list_of_scores_is_refused(cw: CrisisWorld) -> None:
    response = api(cw.user("us")).post(SCORES, payload(cw, []), format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "No scores were given.",
        "fields": {"scores": ["Score a threat."]},
    }


def test_a_score_that_is_not_a_number_is_refused(cw: CrisisWorld) -> None:
    response = api(cw.user("us")).post(SCORES, payload(cw, [("high", 3)]), format="json")
    assert response.status_code == 400
    assert "likelihood" in str(response.json())
    assert not Score.objects.exists()


def test_a_score_after_the_deadline_is_refused(cw: CrisisWorld) -> None:
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        response = api(cw.user("us")).post(SCORES, payload(cw, [(3, 3)]), format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Round 1 closed at its deadline; scores are no longer taken."
    )
    assert not Score.objects.exists()


def test_only_a_seat_holder_delegation_scores(cw: CrisisWorld) -> None:
    """A party without a seat, the secretariat, an analyst, an outsider: refused, 403."""
    body = payload(cw, [(3, 3)])
    for user in (
        cw.user("de"),
        cw.user("csto"),
        cw.sec,
        cw.user("outsider"),
        analyst(secretariat=True),
        analyst(of=cw.table.parties["USA"].delegation),
    ):
        response = api(user).post(SCORES, body, format="json")
        assert response.status_code == 403, (user.username, response.content)
    assert api(None).post(SCORES, body, format="json").status_code == 401
    # Ukraine, invited to one item only, does not read the assessment at all.
    unread = api(cw.user("ua")).post(SCORES, body, format="json")
    assert unread.status_code == 400
    assert unread.json() == {"assessment": ["No such assessment."]}
    assert api(cw.user("de")).post(SCORES, body, format="json").json() == {
        "detail": "Only a delegation holding a seat at CCB/T/1 scores its threats."
    }
    assert not Score.objects.exists()


def test_a_delegation_cannot_score_for_another_party(cw: CrisisWorld) -> None:
    response = api(cw.user("us")).post(SCORES, payload(cw, [(3, 3)], party="RUS"), format="json")
    assert response.status_code == 403
    assert not Score.objects.exists()


def test_an_assessment_or_threat_the_caller_cannot_read_is_no_such_thing(
    cw: CrisisWorld,
) -> None:
    other = threat_services.threat_create(user=cw.sec, title="Not on this assessment")
    body = payload(cw, [(3, 3)])
    body["scores"][0]["threat"] = str(other.public_id)
    # The secretariat's unassessed threat is not readable by a delegation.
    unknown = api(cw.user("us")).post(SCORES, body, format="json")
    assert unknown.status_code == 400
    assert unknown.json() == {"scores": ["No such threat."]}
    missing = payload(cw, [(3, 3)])
    missing["assessment"] = "00000000-0000-4000-8000-000000000000"
    answer = api(cw.user("us")).post(SCORES, missing, format="json")
    assert answer.json() == {"assessment": ["No such assessment."]}
    assert not Score.objects.exists()


def test_a_released_round_cannot_be_changed(cw: CrisisWorld) -> None:
    score_all(cw)
    release(cw)
    response = api(cw.user("us")).post(SCORES, payload(cw, [(5, 5)]), format="json")
    assert response.status_code == 400
    assert "No round of this assessment is open" in response.json()["detail"]
    assert Score.objects.get(threat=cw.threats[0], party__code="USA").likelihood == 1


# Release and further rounds


def test_release_with_no_scores_and_a_second_round_before_release_are_refused(
    cw: CrisisWorld,
) -> None:
    base = f"/api/v1/assessments/{cw.assessment.public_id}"
    empty = api(cw.sec).post(f"{base}/release/")
    assert empty.status_code == 400
    assert empty.json()["detail"] == "Round 1 has no scores yet; there is nothing to release."
    deadline = (timezone.now() + timedelta(days=7)).isoformat()
    early = api(cw.sec).post(f"{base}/rounds/", {"deadline": deadline}, format="json")
    assert early.status_code == 400
    assert "not released yet" in early.json()["detail"]
    assert AssessmentRound.objects.filter(assessment=cw.assessment).count() == 1
    assert not AssessmentRound.objects.filter(released_at__isnull=False).exists()


def test_only_the_secretariat_releases_and_opens_rounds(cw: CrisisWorld) -> None:
    score_all(cw)
    base = f"/api/v1/assessments/{cw.assessment.public_id}"
    for user in (cw.user("us"), analyst(secretariat=True)):
        assert api(user).post(f"{base}/release/").status_code == 403
    assert api(None).post(f"{base}/release/").status_code == 401
    assert api(cw.user("outsider")).post(f"{base}/release/").status_code == 403
    release(cw)
    deadline = (timezone.now() + timedelta(days=7)).isoformat()
    refused = api(cw.user("us")).post(f"{base}/rounds/", {"deadline": deadline}, format="json")
    assert refused.status_code == 403
    opened = api(cw.sec).post(f"{base}/rounds/", {"deadline": deadline}, format="json")
    assert opened.status_code == 201
    rounds = opened.json()["rounds"]
    assert [r["number"] for r in rounds] == [1, 2]
    # Cable sabotage converged (spread 0): asked again on the other two only.
    assert sorted(t["title"] for t in rounds[1]["threats"]) == [
        "Jamming of civil aviation",
        "Mid-air collision",
    ]
    assert rounds[0]["released"]
    assert not rounds[1]["released"]


def test_a_further_round_closing_after_the_session_opens_is_refused(cw: CrisisWorld) -> None:
    score_all(cw)
    release(cw)
    base = f"/api/v1/assessments/{cw.assessment.public_id}"
    late = (cw.assessment.session.starts_at + timedelta(hours=1)).isoformat()
    refused = api(cw.sec).post(f"{base}/rounds/", {"deadline": late}, format="json")
    assert refused.status_code == 400
    number = cw.assessment.session.number
    assert refused.json() == {
        "detail": f"Round 2 closes before session {number} opens.",
        "fields": {"deadline": ["Before the session opens."]},
    }
    assert AssessmentRound.objects.filter(assessment=cw.assessment).count() == 1


# The seal


def test_before_release_no_one_reads_another_partys_score(cw: CrisisWorld) -> None:
    score_all(cw)
    assert {s["party"]["code"] for s in listed(cw.user("us"))} == {"USA"}
    assert {s["party"]["code"] for s in listed(cw.user("ru"))} == {"RUS"}
    for user in (
        cw.sec,
        analyst(secretariat=True),
        cw.user("de"),
        cw.user("outsider"),
        analyst(),
    ):
        assert listed(user) == [], user.username
    # The secretariat neither lists nor opens nor filters its way to a sealed score.
    russian = Score.objects.filter(party__code="RUS").first()
    assert russian is not None
    for user in (cw.sec, cw.user("us")):
        detail = api(user).get(f"{SCORES}{russian.public_id}/")
        assert detail.status_code == 404
        assert detail.json() == {"detail": "Not found."}
        assert listed(user, party="RUS") == []
        assert listed(user, threat=str(russian.threat.public_id), party="rus") == []
    # An analyst of the US delegation reads what it reads: its own scores, nobody else's.
    usa_analyst = analyst(of=cw.table.parties["USA"].delegation)
    assert {s["party"]["code"] for s in listed(usa_analyst)} <= {"USA"}
    # No picture, no chart of a sealed round.
    picture = f"/api/v1/assessments/{cw.assessment.public_id}/picture/"
    for user in (cw.sec, cw.user("us")):
        assert api(user).get(picture).status_code == 404
    # Nor any rationale but one's own.
    for user in (cw.sec, cw.user("ru"), cw.user("nato")):
        assert "us zanzibarite" not in api(user).get(SCORES).content.decode(), user.username


def test_after_release_an_anonymised_assessment_never_names_another_party(
    cw: CrisisWorld,
) -> None:
    score_all(cw)
    release(cw)
    response = api(cw.user("us")).get(SCORES, {"page_size": 50})
    rows = response.json()["results"]
    assert len(rows) == 12
    assert {(s["party"]["code"], s["party"]["name"]) for s in rows} == {
        ("USA", "United States of America"),
        (None, "A participant"),
    }
    text = response.content.decode()
    for named in ("RUS", "Russia", "NATO", "FRA", "France", "North Atlantic"):
        assert named not in text, named
    # Filtering by another party finds nothing; by its own, its own.
    assert listed(cw.user("us"), party="RUS") == []
    assert listed(cw.user("us"), party="FRA") == []
    assert len(listed(cw.user("us"), party="usa")) == 3
    # Each party reads itself by name; the secretariat reads every party.
    assert {s["party"]["code"] for s in listed(cw.user("ru"))} == {"RUS", None}
    assert {s["party"]["code"] for s in listed(cw.sec)} == {"USA", "RUS", "NATO", "FRA"}
    assert len(listed(cw.sec, party="RUS")) == 3
    # The picture's positions are anonymised alike.
    picture = api(cw.user("ru")).get(f"/api/v1/assessments/{cw.assessment.public_id}/picture/")
    assert picture.status_code == 200
    parties = {
        (p["party"]["code"], p["party"]["name"])
        for threat in picture.json()["threats"]
        for p in threat["positions"]
    }
    assert parties == {("RUS", "Russian Federation"), (None, "A participant")}
    assert "United States" not in picture.content.decode()
    # Who may not read the session reads no score and no picture.
    assert listed(cw.user("outsider")) == []
    url = f"/api/v1/assessments/{cw.assessment.public_id}/picture/"
    assert api(cw.user("outsider")).get(url).status_code == 404


def test_after_release_an_attributed_assessment_names_each_party(db: None) -> None:
    cw = build_crisis_world(attribution=Assessment.Attribution.ATTRIBUTED)
    score_all(cw)
    release(cw)
    rows = listed(cw.user("us"), party="RUS")
    assert len(rows) == 3
    assert {s["party"]["name"] for s in rows} == {"Russian Federation"}
    assert {s["rationale"] for s in rows} == {f"ru zanzibarite on {t.title}" for t in cw.threats}


# The picture


def _stats(threat: dict[str, Any]) -> tuple[Any, ...]:
    stats = threat["stats"]
    return (
        tuple(stats["likelihood"][k] for k in ("count", "median", "q1", "q3", "iqr")),
        tuple(stats["impact"][k] for k in ("count", "median", "q1", "q3", "iqr")),
        stats["spread"],
        threat["converged"],
    )


def test_the_picture_reports_hand_computed_statistics(cw: CrisisWorld) -> None:
    score_all(cw)
    release(cw)
    url = f"/api/v1/assessments/{cw.assessment.public_id}/picture/"
    body = api(cw.user("nato")).get(url).json()
    by_title = {t["threat"]["title"]: t for t in body["threats"]}
    assert list(by_title) == ["Cable sabotage", "Jamming of civil aviation", "Mid-air collision"]
    assert _stats(by_title["Mid-air collision"]) == (
        (4, 3.0, 1.75, 4.25, 2.5),
        (4, 3.0, 2.75, 3.5, 0.75),
        2.5,
        False,
    )
    assert _stats(by_title["Cable sabotage"]) == (
        (4, 2.0, 2.0, 2.0, 0.0),
        (4, 2.0, 2.0, 2.0, 0.0),
        0.0,
        True,
    )
    assert _stats(by_title["Jamming of civil aviation"]) == (
        (4, 3.0, 3.0, 3.25, 0.25),
        (4, 3.5, 3.0, 4.0, 1.0),
        1.0,
        False,
    )
    assert body["round"]["number"] == 1
    assert body["offers_new_round"] is True
    assert all(t["verdict"] is None and t["previous"] is None for t in body["threats"])
    assert body["matrix_svg"].endswith(
        f"/api/v1/assessments/{cw.assessment.public_id}/picture/matrix.svg?round=1"
    )
    assert "/picture/divergence.svg?round=1" in body["divergence_svg"]
    assert len(by_title["Mid-air collision"]["positions"]) == 4


def test_a_second_round_reports_the_verdict_against_the_first(cw: CrisisWorld) -> None:
    score_all(cw)
    release(cw)
    base = f"/api/v1/assessments/{cw.assessment.public_id}"
    deadline = (timezone.now() + timedelta(days=7)).isoformat()
    assert (
        api(cw.sec).post(f"{base}/rounds/", {"deadline": deadline}, format="json").status_code
        == 201
    )
    # Round 2 on Mid-air collision and Jamming (cw.threats[0] and [2]).
    second = {
        "us": {0: (3, 3), 2: (1, 1)},
        "ru": {0: (3, 3), 2: (3, 3)},
        "nato": {0: (3, 3), 2: (3, 3)},
        "fr": {0: (4, 4), 2: (4, 4)},
    }
    for name, values in second.items():
        body = payload(cw, values, author=name)
        assert api(cw.user(name)).post(SCORES, body, format="json").status_code == 201
    release(cw)
    body = api(cw.user("us")).get(f"{base}/picture/").json()
    by_title = {t["threat"]["title"]: t for t in body["threats"]}
    assert list(by_title) == ["Jamming of civil aviation", "Mid-air collision"]
    # Mid-air: 3,3,3,4 on both: IQR 0.25 from 2.5 → converged.
    assert by_title["Mid-air collision"]["verdict"] == "converged"
    assert by_title["Mid-air collision"]["previous"]["spread"] == 2.5
    # Jamming: likelihood and impact 1,3,3,4: q1 2.5, q3 3.25, IQR 0.75; spread 0.75 from
    # 1.0 → converged. The first round's picture stays readable.
    assert by_title["Jamming of civil aviation"]["stats"]["spread"] == 0.75
    assert by_title["Jamming of civil aviation"]["verdict"] == "converged"
    first = api(cw.user("us")).get(f"{base}/picture/", {"round": 1}).json()
    assert first["round"]["number"] == 1
    assert len(first["threats"]) == 3
    assert api(cw.user("us")).get(f"{base}/picture/", {"round": 3}).status_code == 404


def _ten_threat_assessment(cw: CrisisWorld) -> Assessment:
    """Another regular session at the same table, assessed on ten threats, released."""
    # Two quarters on: one regular session per quarter.
    table = build_world(number="CCB/T/2", starts_at=timezone.now() + timedelta(days=200))
    table.session.status = "scheduled"
    table.session.save(update_fields=["status"])
    threats = [
        threat_services.threat_create(user=cw.sec, title=f"Threat {n:02}", crisis=cw.crisis)
        for n in range(10)
    ]
    assessment = assessment_services.assessment_open(
        user=cw.sec,
        session=table.session,
        threats=threats,
        deadline=timezone.now() + timedelta(days=5),
    )
    for offset, name in enumerate(("us", "ru", "nato", "fr")):
        assessment_services.scores_submit(
            user=cw.user(name),
            assessment=assessment,
            answers=[
                assessment_services.ScoreInput(
                    threat=threat,
                    likelihood=1 + (n + offset) % 5,
                    impact=1 + (n * offset) % 5,
                    trend="steady",
                    confidence="low",
                    rationale="r",
                )
                for n, threat in enumerate(threats)
            ],
        )
    assessment_services.round_release(user=cw.sec, assessment=assessment)
    return assessment


def _queries(user: Any, url: str) -> int:
    client = api(user)
    client.get(url)  # warm caches (content types, the router's reversals)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize("path", ["picture/", "picture/matrix.svg", "picture/divergence.svg"])
def test_the_picture_answers_in_a_constant_number_of_queries(cw: CrisisWorld, path: str) -> None:
    score_all(cw)
    release(cw)
    ten = _ten_threat_assessment(cw)
    for name in ("us", "sec"):
        user = cw.user(name)
        three = _queries(user, f"/api/v1/assessments/{cw.assessment.public_id}/{path}")
        many = _queries(user, f"/api/v1/assessments/{ten.public_id}/{path}")
        assert three == many, (name, three, many)


def test_lists_answer_in_a_constant_number_of_queries(cw: CrisisWorld) -> None:
    score_all(cw)
    release(cw)
    user = cw.user("us")
    counts = {}
    urls = (
        "/api/v1/scores/",
        "/api/v1/threats/",
        "/api/v1/assessments/",
        "/api/v1/crises/",
        "/api/v1/threats/trend/",
        "/api/v1/threats/trend.svg",
    )
    for url in urls:
        counts[url] = _queries(user, url)
    _ten_threat_assessment(cw)
    for n in range(3):
        crisis = crisis_services.crisis_create(
            user=cw.sec,
            session=cw.table.session,
            title=f"Crisis {n}",
            region="Baltic Sea",
            on=timezone.localdate(),
        )
        crisis_services.crisis_transition(
            crisis=crisis, user=cw.sec, to_status="active", on=timezone.localdate(), reason="Up."
        )
    for url, before in counts.items():
        assert _queries(user, url) == before, url
