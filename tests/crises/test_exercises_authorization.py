"""The authorization matrix of the exercise pages: every URL, every role.

Roles: anonymous; an outsider; the US and Russia (players); Germany (invited to the
session, not playing); the CSTO (observer, not playing); Ukraine (ad hoc); the
secretariat. The exercise runs; inject 1 went to Russia in secret, inject 2 is not
released. The secretariat's pages and actions do not exist for anyone else (404), a
player reads only what reached it, and a refused write changes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from crises.models import Exercise, Inject, Response
from crises.services import exercises as services
from tests.crises.conftest import CrisisWorld
from tests.crises.exercise_helpers import add_inject, make_exercise

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "us", "ru", "de", "csto", "ua", "sec"]
LOGIN = "login"


def _expect(*answers: Any) -> dict[str, Any]:
    return dict(zip(ROLES, answers, strict=True))


EVERYONE = _expect(LOGIN, 200, 200, 200, 200, 200, 200, 200)
PLAYERS = _expect(LOGIN, 404, 200, 200, 404, 404, 404, 200)
SECRETARIAT_STEP = _expect(LOGIN, 404, 404, 404, 404, 404, 404, 302)


def _answer(response: Any) -> Any:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


def _by_role(
    cw: CrisisWorld, method: str, path: str, data: dict[str, Any] | None = None
) -> dict[str, Any]:
    seen = {}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(cw.user(role))
        seen[role] = _answer(getattr(client, method)(path, data or {}))
    return seen


@pytest.fixture
def played(cw: CrisisWorld, settings: Any) -> tuple[Exercise, Inject, Inject]:
    settings.EXERCISE_LIVE_SECONDS = 0
    exercise = services.exercise_start(exercise=make_exercise(cw), user=cw.sec)
    secret = add_inject(cw, exercise, "Low on fuel", to="RUS")
    later = add_inject(cw, exercise, "Later")
    services.inject_release(inject=secret, user=cw.sec)
    return exercise, secret, later


def _on(name: str, obj: Any) -> str:
    return reverse(name, kwargs={"public_id": obj.public_id})


def test_reading_pages(cw: CrisisWorld, played: tuple[Exercise, Inject, Inject]) -> None:
    exercise, _secret, _later = played
    assert _by_role(cw, "get", reverse("crises:exercise_list")) == EVERYONE
    assert _by_role(cw, "get", _on("crises:exercise_detail", exercise)) == PLAYERS
    assert _by_role(cw, "get", _on("crises:exercise_live", exercise)) == PLAYERS


def test_the_draft_is_the_secretariats(cw: CrisisWorld) -> None:
    exercise = make_exercise(cw)
    expected = _expect(LOGIN, 404, 404, 404, 404, 404, 404, 200)
    assert _by_role(cw, "get", _on("crises:exercise_detail", exercise)) == expected
    assert _by_role(cw, "get", _on("crises:exercise_live", exercise)) == expected


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("crises:exercise_pause", Exercise.Status.PAUSED),
        ("crises:exercise_end", Exercise.Status.ENDED),
    ],
)
def test_running_the_exercise(
    cw: CrisisWorld, played: tuple[Exercise, Inject, Inject], name: str, status: str
) -> None:
    exercise, _secret, _later = played
    assert _by_role(cw, "post", _on(name, exercise)) == SECRETARIAT_STEP
    exercise.refresh_from_db()
    assert exercise.status == status


def test_starting_the_exercise(cw: CrisisWorld) -> None:
    exercise = make_exercise(cw)
    assert _by_role(cw, "post", _on("crises:exercise_start", exercise)) == _expect(
        LOGIN, 404, 404, 404, 404, 404, 404, 302
    )
    exercise.refresh_from_db()
    assert exercise.status == Exercise.Status.RUNNING


def test_releasing_and_disclosing(cw: CrisisWorld, played: tuple[Exercise, Inject, Inject]) -> None:
    _exercise, secret, later = played
    assert _by_role(cw, "post", _on("crises:inject_release", later)) == SECRETARIAT_STEP
    assert _by_role(cw, "post", _on("crises:inject_disclose", secret)) == SECRETARIAT_STEP
    later.refresh_from_db()
    secret.refresh_from_db()
    assert later.released_at is not None
    assert secret.disclosed_at is not None


def test_responding(cw: CrisisWorld, played: tuple[Exercise, Inject, Inject]) -> None:
    _exercise, secret, later = played
    # Only Russia reads the secret inject; the secretariat reads it but does not play.
    expected = _expect(LOGIN, 404, 404, 302, 404, 404, 404, 302)
    seen = _by_role(cw, "post", _on("crises:response_record", secret), {"text": "Answer"})
    assert seen == expected
    assert list(Response.objects.values_list("party__code", flat=True)) == ["RUS"]
    unreleased = _expect(LOGIN, 404, 404, 404, 404, 404, 404, 302)
    seen = _by_role(cw, "post", _on("crises:response_record", later), {"text": "Guess"})
    assert seen == unreleased
    assert Response.objects.count() == 1


def test_the_report(cw: CrisisWorld, played: tuple[Exercise, Inject, Inject]) -> None:
    exercise, _secret, _later = played
    services.exercise_end(exercise=exercise, user=cw.sec)
    report_url = _on("crises:exercise_report", exercise)
    nobody_but_sec = _expect(LOGIN, 404, 404, 404, 404, 404, 404, 200)
    assert _by_role(cw, "get", report_url) == nobody_but_sec
    assert _by_role(cw, "post", _on("crises:aar_draft", exercise)) == SECRETARIAT_STEP
    assert _by_role(cw, "get", report_url) == nobody_but_sec
    report = exercise.after_action_report
    services.aar_update(report=report, user=cw.sec, text="<p>Lessons</p>", publish=True)
    assert _by_role(cw, "get", report_url) == PLAYERS
    assert _by_role(cw, "post", report_url, {"text": "Mine"}) == _expect(
        LOGIN, 404, 404, 404, 404, 404, 404, 302
    )
    report.refresh_from_db()
    assert report.text == "Mine"
    # The secretariat's confirmation is refused (the session has no minutes): nothing made.
    assert _by_role(cw, "post", _on("crises:aar_confirm", exercise)) == SECRETARIAT_STEP
    assert not report.improvements.exclude(action_point=None).exists()
