"""The authorization matrix of the off-ramp and norm pages: every page URL, every role.

Roles as in tests/crises/test_pages_authorization.py: anonymous; an outsider; a
seat-holder's delegate (USA); a member without a seat (DEU); an observer (CSTO); an
ad hoc party invited to item 3 only (UKR); the secretariat. The crisis, its off-ramp,
the norm and its incident are the session's participants material. The secretariat's
pages and actions do not exist for anyone else (404), and change nothing; a stance,
adherence, incident or response by someone who may not give one is refused.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from crises.models import Adherence, Incident, IncidentResponse, Norm, OffRamp, Stance
from crises.services import registers as services
from tests.crises.conftest import CrisisWorld
from tests.crises.test_pages_authorization import (
    EVERYONE,
    LOGIN,
    PARTICIPANTS,
    ROLES,
    SECRETARIAT,
    _by_role,
    _expect,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(cw: CrisisWorld) -> dict[str, Any]:
    off_ramp = services.off_ramp_create(user=cw.sec, crisis=cw.crisis, title="Grain corridor")
    norm = services.norm_create(
        user=cw.sec, session=cw.table.session, title="Safe distances", text="<p>500 feet.</p>"
    )
    incident = services.incident_report(
        user=cw.user("ru"),
        norm=norm,
        occurred_on=timezone.localdate(),
        place="Baltic",
        parties_involved=[cw.table.parties["USA"]],
        description="A close intercept.",
    )
    return {"crisis": cw.crisis, "off_ramp": off_ramp, "norm": norm, "incident": incident}


def _path(name: str, objects: dict[str, Any], target: str | None) -> str:
    kwargs = {"public_id": objects[target].public_id} if target else None
    return reverse(name, kwargs=kwargs)


PAGES = [
    ("crises:off_ramp_board", "crisis", PARTICIPANTS),
    ("crises:off_ramp_detail", "off_ramp", PARTICIPANTS),
    ("crises:off_ramp_create", "crisis", SECRETARIAT),
    ("crises:norm_list", None, EVERYONE),
    ("crises:norm_detail", "norm", PARTICIPANTS),
    ("crises:norm_create", None, SECRETARIAT),
    ("crises:norm_edit", "norm", SECRETARIAT),
    ("crises:off_ramp_edit", "off_ramp", SECRETARIAT),
    ("crises:incident_report", "norm", PARTICIPANTS),
]


@pytest.mark.parametrize(("name", "target", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_pages(
    cw: CrisisWorld,
    objects: dict[str, Any],
    name: str,
    target: str | None,
    expected: dict[str, Any],
) -> None:
    assert _by_role(cw, "get", _path(name, objects, target)) == expected


def _state() -> tuple[Any, ...]:
    return (
        list(OffRamp.objects.values_list("title", "status")),
        list(Norm.objects.values_list("title", flat=True)),
        Stance.objects.count(),
        Adherence.objects.count(),
        Incident.objects.count(),
        IncidentResponse.objects.count(),
    )


SECRETARIAT_ACTIONS = [
    ("crises:off_ramp_create", "crisis", {"title": "x", "on": "2030-01-01"}),
    ("crises:off_ramp_transition", "off_ramp", {"to_status": "discussed", "on": "2030-01-01"}),
    ("crises:norm_create", None, {"title": "x", "text": "y", "distribution": "public"}),
    ("crises:norm_edit", "norm", {"title": "x", "text": "y", "distribution": "public"}),
    ("crises:off_ramp_edit", "off_ramp", {"title": "x"}),
]


@pytest.mark.parametrize(
    ("name", "target", "data"), SECRETARIAT_ACTIONS, ids=[a[0] for a in SECRETARIAT_ACTIONS]
)
def test_secretariat_actions_are_refused_to_others(
    cw: CrisisWorld, objects: dict[str, Any], name: str, target: str | None, data: dict[str, Any]
) -> None:
    path = _path(name, objects, target)
    before = _state()
    others = ROLES[:-1]
    seen = _by_role(cw, "post", path, data, roles=others)
    assert seen == {role: LOGIN if role == "anonymous" else 404 for role in others}
    assert _state() == before
    assert _by_role(cw, "post", path, data, roles=["sec"])["sec"] in (200, 302, 400)


@pytest.mark.parametrize("name", ["crises:off_ramp_transition", "crises:adherence_state"])
def test_actions_answer_post_only(cw: CrisisWorld, objects: dict[str, Any], name: str) -> None:
    target = "off_ramp" if name == "crises:off_ramp_transition" else "norm"
    path = _path(name, objects, target)
    assert _by_role(cw, "get", path) == _expect(LOGIN, 405, 405, 405, 405, 405, 405)


def test_stances_are_stated_only_by_delegates_at_the_table(
    cw: CrisisWorld, objects: dict[str, Any]
) -> None:
    """The board's readers without a party at the table (the secretariat) are refused (403),
    those who do not read the option find nothing; the others state their own stance."""
    path = _path("crises:off_ramp_detail", objects, "off_ramp")
    parties = {"us": "USA", "de": "DEU", "csto": "CSTO"}
    seen = {}
    for role in ROLES:
        data = {"position": "open", "note": "n"}
        if role in parties:
            data["party"] = str(cw.table.parties[parties[role]].public_id)
        seen.update(_by_role(cw, "post", path, data, roles=[role]))
    assert seen == _expect(LOGIN, 404, 302, 302, 302, 404, 403)
    assert sorted(Stance.objects.values_list("party__code", flat=True)) == ["CSTO", "DEU", "USA"]


def test_adherence_incidents_and_responses_by_role(
    cw: CrisisWorld, objects: dict[str, Any]
) -> None:
    norm, incident = objects["norm"], objects["incident"]
    usa = str(cw.table.parties["USA"].public_id)
    rus = str(cw.table.parties["RUS"].public_id)
    adherence = _path("crises:adherence_state", objects, "norm")
    seen = _by_role(cw, "post", adherence, {"party": usa, "level": "adheres"})
    # Only the US delegate speaks for the United States: the others' choice is refused (400).
    assert seen == _expect(LOGIN, 404, 302, 400, 400, 404, 400)
    assert list(Adherence.objects.values_list("party__code", flat=True)) == ["USA"]

    report = _path("crises:incident_report", objects, "norm")
    data = {
        "party": usa,
        "occurred_on": timezone.localdate().isoformat(),
        "place": "Black Sea",
        "parties_involved": [rus],
        "description": "A drone intercepted.",
        "distribution": "participants",
    }
    seen = _by_role(cw, "post", report, data)
    assert seen == _expect(LOGIN, 404, 302, 400, 400, 404, 400)
    assert Incident.objects.filter(norm=norm).count() == 2

    respond = reverse("crises:incident_respond", kwargs={"public_id": incident.public_id})
    for role in ROLES:
        _by_role(cw, "post", respond, {"party": usa, "text": f"Response by {role}"}, roles=[role])
    # Russia reported it: it does not answer its own report; only the US answered for the US.
    assert list(IncidentResponse.objects.values_list("text", flat=True)) == ["Response by us"]
    seen = _by_role(cw, "post", respond, {"party": rus, "text": "Ours"}, roles=["anonymous", "ua"])
    assert seen == {"anonymous": LOGIN, "ua": 404}
    ru = _by_role(cw, "post", respond, {"party": rus, "text": "Ours"}, roles=["ru"])
    assert ru == {"ru": 302}
    assert IncidentResponse.objects.count() == 1
