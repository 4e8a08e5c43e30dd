"""The authorization matrix of the crisis toolkit's pages: every page URL, every role.

Roles: anonymous; an outsider (an account, no delegation); a seat-holder's delegate
(USA); a member without a seat (DEU); an observer (CSTO); an ad hoc party invited
to item 3 only (UKR); the secretariat. The dossier and the assessment are the
session's participants material; the secretariat's pages and actions do not exist
for anyone else (404, as everywhere on the platform), and change nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from crises.models import AssessmentRound, Crisis, CrisisTransition, Threat
from tests.crises.conftest import CrisisWorld

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "us", "de", "csto", "ua", "sec"]
LOGIN = "login"


def _expect(anonymous: Any, outsider: Any, us: Any, de: Any, csto: Any, ua: Any, sec: Any):
    return dict(zip(ROLES, (anonymous, outsider, us, de, csto, ua, sec), strict=True))


EVERYONE = _expect(LOGIN, 200, 200, 200, 200, 200, 200)
PARTICIPANTS = _expect(LOGIN, 404, 200, 200, 200, 404, 200)
SECRETARIAT = _expect(LOGIN, 404, 404, 404, 404, 404, 200)


def _answer(response: Any) -> Any:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


def _by_role(
    cw: CrisisWorld,
    method: str,
    path: str,
    data: dict[str, Any] | None = None,
    *,
    roles: list[str] = ROLES,
) -> dict[str, Any]:
    seen = {}
    for role in roles:
        client = Client()
        if role != "anonymous":
            client.force_login(cw.user(role))
        seen[role] = _answer(getattr(client, method)(path, data or {}))
    return seen


def _kwargs(cw: CrisisWorld, target: str | None) -> dict[str, Any] | None:
    objects = {"crisis": cw.crisis, "threat": cw.threats[0], "assessment": cw.assessment}
    return {"public_id": objects[target].public_id} if target else None


# Pages a reader opens (GET).
PAGES = [
    ("crises:crisis_list", None, EVERYONE),
    ("crises:crisis_detail", "crisis", PARTICIPANTS),
    ("crises:crisis_create", None, SECRETARIAT),
    ("crises:crisis_edit", "crisis", SECRETARIAT),
    ("crises:crisis_link", "crisis", SECRETARIAT),
    ("crises:threat_list", None, EVERYONE),
    ("crises:threat_create", None, SECRETARIAT),
    ("crises:threat_edit", "threat", SECRETARIAT),
    ("crises:threat_trend", None, EVERYONE),
    ("crises:assessment_list", None, EVERYONE),
    ("crises:assessment_open", None, SECRETARIAT),
    ("crises:assessment_detail", "assessment", PARTICIPANTS),
]


@pytest.mark.parametrize(("name", "target", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_pages(cw: CrisisWorld, name: str, target: str | None, expected: dict[str, Any]) -> None:
    path = reverse(name, kwargs=_kwargs(cw, target))
    assert _by_role(cw, "get", path) == expected


# The secretariat's actions (POST only): a login for anonymous visitors, 405 to a GET,
# missing (404) to everyone else, and nothing changes.
ACTIONS = [
    (
        "crises:crisis_transition",
        "crisis",
        {"to_status": "active", "on": "2030-01-01", "reason": "x"},
    ),
    ("crises:crisis_unlink", "crisis", {"record": "ITEM"}),
    ("crises:threat_retire", "threat", {}),
    ("crises:round_release", "assessment", {}),
    ("crises:round_open_next", "assessment", {"deadline": "2030-01-01 12:00"}),
    ("crises:crisis_create", None, {"title": "x", "region": "x"}),
    ("crises:crisis_edit", "crisis", {"title": "x", "region": "x", "distribution": "public"}),
    ("crises:crisis_link", "crisis", {"record": "items:00000000-0000-0000-0000-000000000000"}),
    ("crises:threat_create", None, {"title": "x"}),
    ("crises:threat_edit", "threat", {"title": "x"}),
    ("crises:assessment_open", None, {"deadline": "2030-01-01 12:00"}),
]


def _state() -> tuple[Any, ...]:
    return (
        list(Crisis.objects.values_list("title", "status", "distribution")),
        CrisisTransition.objects.count(),
        list(Threat.objects.values_list("title", "retired_at")),
        list(AssessmentRound.objects.values_list("number", "released_at")),
    )


@pytest.mark.parametrize(("name", "target", "data"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_secretariat_actions_are_refused_to_others(
    cw: CrisisWorld, name: str, target: str | None, data: dict[str, Any]
) -> None:
    path = reverse(name, kwargs=_kwargs(cw, target))
    # An item the secretariat reads (not linked: unlinking it changes nothing).
    data = {
        k: f"items:{cw.table.items[0].public_id}" if v == "ITEM" else v for k, v in data.items()
    }
    before = _state()
    others = ROLES[:-1]
    seen = _by_role(cw, "post", path, data, roles=others)
    assert seen == {role: LOGIN if role == "anonymous" else 404 for role in others}
    assert _state() == before
    # The route exists for the secretariat (its placeholder data may be refused: 400).
    assert _by_role(cw, "post", path, data, roles=["sec"])["sec"] in (200, 302, 400)


POST_ONLY = ACTIONS[:5]


@pytest.mark.parametrize(("name", "target", "data"), POST_ONLY, ids=[a[0] for a in POST_ONLY])
def test_actions_answer_post_only(
    cw: CrisisWorld, name: str, target: str | None, data: dict[str, Any]
) -> None:
    path = reverse(name, kwargs=_kwargs(cw, target))
    assert _by_role(cw, "get", path) == _expect(LOGIN, 405, 405, 405, 405, 405, 405)


def test_scoring_is_for_the_seat_holders_who_read_the_assessment(cw: CrisisWorld) -> None:
    """The score form's POST: readers without a seat are refused (403), others find nothing."""
    path = reverse("crises:assessment_detail", kwargs=_kwargs(cw, "assessment"))
    data: dict[str, Any] = {}
    for threat in cw.threats:
        prefix = f"t-{threat.public_id}-"
        data |= {
            f"{prefix}likelihood": 3,
            f"{prefix}impact": 3,
            f"{prefix}trend": "steady",
            f"{prefix}confidence": "low",
        }
    seen = _by_role(cw, "post", path, data)
    assert seen == _expect(LOGIN, 404, 302, 403, 403, 404, 403)
    assert {score.party.code for score in AssessmentRound.objects.get().scores.all()} == {"USA"}
