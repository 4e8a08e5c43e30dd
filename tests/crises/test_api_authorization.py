"""The crisis toolkit's API, URL by URL, as every role (tests/test_authorization_matrix.py
points here for these URLs).

The world: the crisis world's participants session, a crisis on it and one for the
secretariat only, a threat nobody assessed, round 1 scored by the four seat-holders and
released, round 2 open with the United States' scores sealed in it. The oracle below says
from these facts alone who reads what; lists are checked by the ids they return.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from consult.access import Distribution
from crises.models import Score
from crises.services import assessments as assessment_services
from crises.services import crises as crisis_services
from crises.services import threats as threat_services
from tests.crises.api import ROUND_ONE, analyst, payload
from tests.crises.conftest import CrisisWorld, build_crisis_world

ALLOWED = frozenset({200, 201, 400})  # the secretariat's placeholder writes: no refusal of access


@dataclass(frozen=True)
class Role:
    name: str
    reads_session: bool = False  # reads the participants session's material
    secretariat: bool = False  # reads as the secretariat (staff, or its analyst)
    acts: bool = False  # the secretariat itself, which writes
    party: str | None = None  # the party whose own material the role reads
    scores_for: str | None = None  # the seat-holder it may score for


ROLES = [
    Role("anonymous"),
    Role("outsider"),
    Role("analyst"),
    Role("analyst_sec", reads_session=True, secretariat=True),
    Role("analyst_usa", reads_session=True, party="USA"),
    Role("sec", reads_session=True, secretariat=True, acts=True),
    Role("us", reads_session=True, party="USA", scores_for="USA"),
    Role("ru", reads_session=True, party="RUS", scores_for="RUS"),
    Role("de", reads_session=True, party="DEU"),
    Role("csto", reads_session=True, party="CSTO"),
    Role("ua", party="UKR"),
]


@dataclass
class World:
    cw: CrisisWorld
    users: dict[str, Any]
    objects: dict[str, Any]
    # Facts: id -> who reads it.
    crises: dict[str, Callable[[Role], bool]]
    threats: dict[str, Callable[[Role], bool]]
    scores: dict[str, Callable[[Role], bool]]


def _reads_session(role: Role) -> bool:
    return role.reads_session


def _of_party(code: str, role: Role) -> bool:
    return role.party == code


def build() -> World:
    cw = build_crisis_world()
    sec = cw.sec
    hidden = crisis_services.crisis_create(
        user=sec,
        session=cw.table.session,
        title="Arctic submarine cables",
        region="Barents Sea",
        on=timezone.localdate(),
        distribution=Distribution.SECRETARIAT,
    )
    unassessed = threat_services.threat_create(user=sec, title="Unassessed")
    for name, values in ROUND_ONE.items():
        assessment_services.scores_submit(
            user=cw.user(name),
            assessment=cw.assessment,
            answers=[
                assessment_services.ScoreInput(
                    threat=threat, likelihood=li, impact=im, trend="steady", confidence="low"
                )
                for threat, (li, im) in zip(cw.threats, values, strict=True)
            ],
        )
    assessment_services.round_release(user=sec, assessment=cw.assessment)
    assessment_services.round_open_next(
        user=sec, assessment=cw.assessment, deadline=timezone.now() + timedelta(days=4)
    )
    assessment_services.scores_submit(
        user=cw.user("us"),
        assessment=cw.assessment,
        answers=[
            assessment_services.ScoreInput(
                threat=threat, likelihood=3, impact=3, trend="steady", confidence="low"
            )
            for threat in (cw.threats[0], cw.threats[2])
        ],
    )
    users = {name: cw.user(name) for name in ("sec", "us", "ru", "de", "csto", "ua", "outsider")}
    users["analyst"] = analyst()
    users["analyst_sec"] = analyst(secretariat=True)
    users["analyst_usa"] = analyst(of=cw.table.parties["USA"].delegation)
    scores: dict[str, Callable[[Role], bool]] = {}
    for score in Score.objects.select_related("round", "party"):
        if score.round.released_at is not None:
            scores[str(score.public_id)] = _reads_session
        else:
            code = score.party.code
            scores[str(score.public_id)] = partial(_of_party, code)
    sealed = Score.objects.filter(round__released_at__isnull=True).first()
    released = Score.objects.filter(round__released_at__isnull=False).first()
    return World(
        cw=cw,
        users=users,
        objects={
            "crisis": cw.crisis,
            "hidden_crisis": hidden,
            "threat": cw.threats[0],
            "unassessed": unassessed,
            "assessment": cw.assessment,
            "released_score": released,
            "sealed_score": sealed,
        },
        crises={
            str(cw.crisis.public_id): lambda role: role.reads_session,
            str(hidden.public_id): lambda role: role.secretariat,
        },
        threats={
            **{str(t.public_id): lambda role: role.reads_session for t in cw.threats},
            str(unassessed.public_id): lambda role: role.secretariat,
        },
        scores=scores,
    )


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """Built once in a transaction rolled back at the module's end; each probe runs in a
    savepoint of its own, rolled back when it writes."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# Oracles


def read(reads: Callable[[Role], bool]) -> Callable[[Role], Any]:
    return lambda role: 401 if role.name == "anonymous" else (200 if reads(role) else 404)


def authenticated(role: Role) -> Any:
    return 401 if role.name == "anonymous" else 200


def staff_write(role: Role) -> Any:
    if role.name == "anonymous":
        return 401
    return ALLOWED if role.acts else 403


def not_allowed(role: Role) -> Any:
    if role.name == "anonymous":
        return 401
    return 405 if role.acts else 403


def score_post(role: Role) -> Any:
    """Seat-holders score the open round; who does not read the assessment is told it is no
    such thing; everyone else is refused."""
    if role.name == "anonymous":
        return 401
    if role.scores_for:
        return 201
    if role.name.startswith("analyst") or role.name == "outsider":
        return 403
    if not role.reads_session:
        return 400
    return 403


@dataclass(frozen=True)
class Probe:
    method: str
    target: str | None  # a key of World.objects, or None
    expect: Callable[[Role], Any]
    data: Callable[[World], dict[str, Any]] | None = None
    lists: str | None = None  # "crises", "threats" or "scores": the ids the list must hold
    rows: Callable[[Role], int] | None = None  # an export's number of rows


def _url(name: str, world: World, target: str | None) -> str:
    if target is None:
        return reverse(name)
    return reverse(name, kwargs={"id": str(world.objects[target].public_id)})


ROUTES: dict[str, list[Probe]] = {
    "crisis-list": [
        Probe("get", None, authenticated, lists="crises"),
        Probe("post", None, staff_write),
    ],
    "crisis-detail": [
        Probe("get", "crisis", read(lambda role: role.reads_session)),
        Probe("get", "hidden_crisis", read(lambda role: role.secretariat)),
        Probe("patch", "crisis", staff_write, data=lambda world: {"title": "Renamed"}),
        Probe("put", "crisis", not_allowed),
        Probe("delete", "crisis", not_allowed),
    ],
    "crisis-timeline": [
        Probe("get", "crisis", read(lambda role: role.reads_session)),
        Probe("get", "hidden_crisis", read(lambda role: role.secretariat)),
    ],
    "crisis-transition": [
        Probe(
            "post",
            "crisis",
            staff_write,
            data=lambda world: {
                "to_status": "active",
                "on": str(timezone.localdate()),
                "reason": "Escalation.",
            },
        )
    ],
    "crisis-link": [
        Probe(
            "post",
            "crisis",
            staff_write,
            data=lambda world: {"kind": "items", "id": str(world.cw.table.items[0].public_id)},
        )
    ],
    "threat-list": [
        Probe("get", None, authenticated, lists="threats"),
        Probe("post", None, staff_write, data=lambda world: {"title": "New"}),
    ],
    "threat-detail": [
        Probe("get", "threat", read(lambda role: role.reads_session)),
        Probe("get", "unassessed", read(lambda role: role.secretariat)),
        Probe("patch", "threat", staff_write, data=lambda world: {"region": "North"}),
        Probe("delete", "threat", not_allowed),
    ],
    "threat-retire": [Probe("post", "unassessed", staff_write)],
    "threat-trend": [Probe("get", None, authenticated)],
    "threat-trend-svg": [Probe("get", None, authenticated)],
    "assessment-list": [Probe("get", None, authenticated), Probe("post", None, staff_write)],
    "assessment-detail": [
        Probe("get", "assessment", read(lambda role: role.reads_session)),
        Probe("delete", "assessment", not_allowed),
    ],
    "assessment-release": [Probe("post", "assessment", staff_write)],
    "assessment-rounds": [
        Probe(
            "post",
            "assessment",
            staff_write,
            data=lambda world: {"deadline": (timezone.now() + timedelta(days=3)).isoformat()},
        )
    ],
    "assessment-picture": [Probe("get", "assessment", read(lambda role: role.reads_session))],
    "assessment-picture-matrix": [
        Probe("get", "assessment", read(lambda role: role.reads_session))
    ],
    "assessment-picture-divergence": [
        Probe("get", "assessment", read(lambda role: role.reads_session))
    ],
    "score-list": [
        Probe("get", None, authenticated, lists="scores"),
        Probe(
            "post",
            None,
            score_post,
            data=lambda world: payload(world.cw, {0: (2, 2), 2: (4, 4)}),
        ),
    ],
    "score-detail": [
        Probe("get", "released_score", read(lambda role: role.reads_session)),
        Probe("get", "sealed_score", read(lambda role: role.party == "USA")),
        Probe("delete", "released_score", not_allowed),
    ],
    "export-threat-pictures-csv": [
        Probe("get", None, authenticated, rows=lambda role: 3 if role.reads_session else 0)
    ],
    "export-threat-pictures-jsonl": [
        Probe("get", None, authenticated, rows=lambda role: 3 if role.reads_session else 0)
    ],
}


def _ids(response: Any) -> set[str]:
    return {row["id"] for row in response.json()["results"]}


def _rows(response: Any) -> int:
    text = b"".join(response.streaming_content).decode()
    if response["Content-Type"].startswith("text/csv"):
        return len(list(csv.DictReader(io.StringIO(text))))
    return len([json.loads(line) for line in text.splitlines() if line.strip()])


def _matches(expected: Any, status: int) -> bool:
    return status in expected if isinstance(expected, frozenset) else status == expected


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_matrix(world: World, db: None, name: str) -> None:
    """Each role gets, for each object, the answer the oracle gives."""
    problems: list[str] = []
    for role in ROLES:
        client = APIClient()
        if role.name != "anonymous":
            client.force_authenticate(world.users[role.name])
        for probe in ROUTES[name]:
            url = _url(name, world, probe.target)
            expected = probe.expect(role)
            with transaction.atomic():
                data = probe.data(world) if probe.data else {}
                send = getattr(client, probe.method)
                response = send(url, data) if probe.method == "get" else send(url, data, "json")
                transaction.set_rollback(probe.method != "get")
            where = f"{probe.method.upper()} {url} as {role.name}"
            if not _matches(expected, response.status_code):
                problems.append(f"{where}: {response.status_code}, expected {expected}")
                continue
            if probe.lists and response.status_code == 200:
                facts: dict[str, Callable[[Role], bool]] = getattr(world, probe.lists)
                wanted = {pid for pid, reads in facts.items() if reads(role)}
                if _ids(response) != wanted:
                    problems.append(f"{where}: lists {_ids(response)}, expected {wanted}")
            if probe.rows and response.status_code == 200:
                rows = _rows(response)
                if rows != probe.rows(role):
                    problems.append(f"{where}: {rows} rows, not {probe.rows(role)}")
    assert problems == [], f"{name}:\n" + "\n".join(problems)
