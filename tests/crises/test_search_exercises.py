"""Search over tabletop exercises and published after-action reports: a player finds the
exercises it plays in (title, scenario, objectives) and never a draft; nobody finds an
inject's text through an exercise (the MSEL is not indexed); a report is found once
published, by those who read its exercise."""

from __future__ import annotations

from typing import Any

import pytest

from analytics.models import SearchEntry
from analytics.services.search_index import search_index_refresh
from crises.models import Exercise
from crises.services import exercises as services
from tests.crises.api import api
from tests.crises.conftest import CrisisWorld
from tests.crises.exercise_helpers import add_inject, make_exercise

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/search/"


def found(user: Any, q: str, **params: Any) -> set[tuple[str, str]]:
    response = api(user).get(SEARCH, {"q": q, **params})
    assert response.status_code == 200, response.content
    return {(hit["kind"], hit["title"]) for hit in response.json()["results"]}


def _played(cw: CrisisWorld) -> Exercise:
    """Played by the US and Russia; a secret inject to Russia, released; ended."""
    exercise = services.exercise_create(
        user=cw.sec,
        title="Gotland cable tabletop",
        crisis=cw.crisis,
        parties=[cw.table.parties["USA"], cw.table.parties["RUS"]],
        scenario="<p>A trawler drags its anchor over a seabed cable.</p>",
        objectives="Rehearse the notification of a quillwort incident.",
    )
    inject = add_inject(cw, exercise, "Xylophage divers sighted", to="RUS")
    services.exercise_start(exercise=exercise, user=cw.sec)
    services.inject_release(inject=inject, user=cw.sec)
    return exercise


def test_a_player_finds_the_exercises_it_plays_in(cw: CrisisWorld) -> None:
    _played(cw)
    draft = make_exercise(cw)  # NATO would play it; a draft is the secretariat's
    search_index_refresh(full=True)
    exercise = ("exercise", "Gotland cable tabletop")
    for player in ("us", "ru"):
        assert found(cw.user(player), "trawler anchor") == {exercise}  # the scenario
        assert found(cw.user(player), "quillwort") == {exercise}  # the objectives
    for other in ("nato", "de", "outsider"):
        assert found(cw.user(other), "trawler") == set()
    assert found(cw.sec, "Baltic intercept tabletop") >= {("exercise", draft.title)}
    assert found(cw.user("nato"), "Baltic intercept tabletop") == set()
    response = api(cw.user("ru")).get(SEARCH, {"q": "trawler", "kind": "exercise"}).json()
    [hit] = response["results"]
    assert hit["url"].endswith(f"/api/v1/exercises/{hit['id']}/")
    assert hit["details"]["status"] == "running"


def test_no_inject_text_is_found_by_anyone(cw: CrisisWorld) -> None:
    _played(cw)
    search_index_refresh(full=True)
    for user in (cw.sec, cw.user("ru"), cw.user("us")):
        assert found(user, "xylophage") == set()
    assert not SearchEntry.objects.filter(body__icontains="xylophage").exists()


def test_a_report_is_found_once_published_by_the_exercise_readers(cw: CrisisWorld) -> None:
    exercise = _played(cw)
    services.exercise_end(exercise=exercise, user=cw.sec)
    report = services.aar_draft(exercise=exercise, user=cw.sec)
    services.aar_update(
        report=report, user=cw.sec, text="<p>The hotline answered within a zeptosecond.</p>"
    )
    search_index_refresh()
    assert found(cw.sec, "zeptosecond") == set()  # a draft report is not indexed
    assert found(cw.user("ru"), "zeptosecond") == set()
    services.aar_update(
        report=report,
        user=cw.sec,
        text="<p>The hotline answered within a zeptosecond.</p>",
        publish=True,
    )
    search_index_refresh()
    title = ("aar", "After-action report: Gotland cable tabletop")
    for reader in ("sec", "us", "ru"):
        assert found(cw.user(reader), "zeptosecond") == {title}
    for other in ("nato", "de", "outsider"):
        assert found(cw.user(other), "zeptosecond") == set()
    [hit] = api(cw.user("us")).get(SEARCH, {"q": "zeptosecond"}).json()["results"]
    assert hit["id"] == str(exercise.public_id)
    assert hit["url"].endswith(f"/api/v1/exercises/{exercise.public_id}/report/")
    assert hit["details"]["published_at"]


def test_an_unknown_kind_is_refused(cw: CrisisWorld) -> None:
    response = api(cw.user("us")).get(SEARCH, {"q": "trawler", "kind": "inject"})
    assert response.status_code == 400
    assert "kind" in response.json()
