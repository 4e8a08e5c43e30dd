"""The exercises' read API, as every role (tests/test_authorization_matrix.py points here
for these URLs): ``/api/v1/exercises/``, its injects, responses and AAR.

The exercise runs; inject 1 went to Russia in secret and Russia answered, inject 2 is not
released; a draft exercise exists too. The US and Russia play; Germany is invited to the
session without playing; the outsider has no delegation.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from crises.models import Exercise, Inject
from crises.services import exercises as services
from tests.crises.conftest import CrisisWorld
from tests.crises.exercise_helpers import add_inject, make_exercise

pytestmark = pytest.mark.django_db

API = "/api/v1/exercises/"


@pytest.fixture
def played(cw: CrisisWorld) -> tuple[Exercise, Exercise, Inject]:
    draft = make_exercise(cw)
    exercise = services.exercise_start(exercise=make_exercise(cw), user=cw.sec)
    secret = add_inject(cw, exercise, "Low on fuel", to="RUS", expected_response="Divert")
    add_inject(cw, exercise, "Not yet")
    services.inject_release(inject=secret, user=cw.sec)
    services.response_record(inject=secret, user=cw.user("ru"), text="Diverting")
    return exercise, draft, secret


def api(cw: CrisisWorld, name: str | None) -> APIClient:
    client = APIClient()
    if name is not None:
        client.force_authenticate(cw.user(name))
    return client


def ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_the_list_holds_what_each_role_reads(
    cw: CrisisWorld, played: tuple[Exercise, Exercise, Inject]
) -> None:
    exercise, draft, _secret = played
    assert ids(api(cw, "sec").get(API)) == {str(exercise.public_id), str(draft.public_id)}
    for name in ("us", "ru"):
        assert ids(api(cw, name).get(API)) == {str(exercise.public_id)}
    for name in ("de", "outsider"):
        assert ids(api(cw, name).get(API)) == set()
    assert api(cw, None).get(API).status_code in (401, 403)
    assert ids(api(cw, "sec").get(API, {"status": "draft"})) == {str(draft.public_id)}
    assert api(cw, "sec").get(API, {"status": "banana"}).status_code == 400


def test_a_refused_exercise_answers_like_a_missing_one(
    cw: CrisisWorld, played: tuple[Exercise, Exercise, Inject]
) -> None:
    exercise, draft, _secret = played
    missing = api(cw, "us").get(f"{API}00000000-0000-0000-0000-000000000000/")
    for name, target in (("us", draft), ("de", exercise), ("outsider", exercise)):
        for tail in ("", "injects/", "responses/", "report/"):
            refused = api(cw, name).get(f"{API}{target.public_id}/{tail}")
            assert refused.status_code == 404, (name, tail)
            assert refused.json() == missing.json()


def test_injects_reach_only_their_recipients_and_the_msel_the_secretariat(
    cw: CrisisWorld, played: tuple[Exercise, Exercise, Inject]
) -> None:
    exercise, _draft, secret = played
    url = f"{API}{exercise.public_id}/injects/"
    msel = api(cw, "sec").get(url).json()
    assert [(i["text"], i["expected_response"]) for i in msel] == [
        ("Low on fuel", "Divert"),
        ("Not yet", ""),
    ]
    russia = api(cw, "ru").get(url).json()
    assert [i["text"] for i in russia] == ["Low on fuel"]
    assert "expected_response" not in russia[0]
    assert russia[0]["secret"] is True
    assert api(cw, "us").get(url).json() == []
    services.inject_disclose(inject=secret, user=cw.sec)
    assert [i["text"] for i in api(cw, "us").get(url).json()] == ["Low on fuel"]


def test_responses_are_their_partys_and_the_secretariats(
    cw: CrisisWorld, played: tuple[Exercise, Exercise, Inject]
) -> None:
    exercise, _draft, secret = played
    services.inject_disclose(inject=secret, user=cw.sec)
    url = f"{API}{exercise.public_id}/responses/"
    for name in ("sec", "ru"):
        assert [(r["party"], r["text"]) for r in api(cw, name).get(url).json()] == [
            ("RUS", "Diverting")
        ]
    assert api(cw, "us").get(url).json() == []


def test_the_report_is_read_once_published(
    cw: CrisisWorld, played: tuple[Exercise, Exercise, Inject]
) -> None:
    exercise, _draft, _secret = played
    url = f"{API}{exercise.public_id}/report/"
    services.exercise_end(exercise=exercise, user=cw.sec)
    report = services.aar_draft(exercise=exercise, user=cw.sec)
    assert api(cw, "sec").get(url).status_code == 200
    assert api(cw, "ru").get(url).status_code == 404
    services.aar_update(report=report, user=cw.sec, text="<p>Lessons</p>", publish=True)
    assert api(cw, "ru").get(url).json()["text"] == "<p>Lessons</p>"
    assert api(cw, "de").get(url).status_code == 404


def test_the_api_is_read_only(cw: CrisisWorld, played: tuple[Exercise, Exercise, Inject]) -> None:
    exercise, _draft, _secret = played
    for client in (api(cw, "sec"), api(cw, "ru")):
        # No write route: 405, or 403 where the API's write gate answers first.
        assert client.post(API, {"title": "x"}).status_code in (403, 405)
        assert client.delete(f"{API}{exercise.public_id}/").status_code in (403, 405)
    assert Exercise.objects.count() == 2


def test_queries_do_not_grow_with_exercises_and_injects(
    cw: CrisisWorld, played: tuple[Exercise, Exercise, Inject]
) -> None:
    exercise, _draft, _secret = played
    client = api(cw, "sec")

    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as listing:
            client.get(API)
        with CaptureQueriesContext(connection) as injects:
            client.get(f"{API}{exercise.public_id}/injects/")
        return len(listing), len(injects)

    few = counts()
    for n in range(4):
        services.exercise_start(exercise=make_exercise(cw), user=cw.sec)
        add_inject(cw, exercise, f"More {n}", to="USA" if n % 2 else None)
    assert counts() == few
