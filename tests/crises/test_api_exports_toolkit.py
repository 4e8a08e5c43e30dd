"""The crisis toolkit's exports (tests/test_authorization_matrix.py points here for
"export-exercises-csv", "export-exercises-jsonl", "export-injects-csv",
"export-injects-jsonl", "export-off-ramps-csv", "export-off-ramps-jsonl",
"export-stances-csv", "export-stances-jsonl", "export-norms-csv", "export-norms-jsonl",
"export-adherence-csv", "export-adherence-jsonl", "export-incidents-csv",
"export-incidents-jsonl", "export-alerts-csv" and "export-alerts-jsonl").

Each export holds what its list's selector lets the caller read and nothing more: a
delegation that does not play an exercise exports none of it, an inject reaches its
recipients once released (a secret one only its party), the MSEL's expected response is
the secretariat's, a private stance its party's, a sealed incident its reporter's, an
alert its recipients'. The lists' filters apply; the queries do not grow with the rows.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import orjson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consult.access import Distribution
from crises.models import Crisis, Inject, Norm
from crises.services import exercises as exercise_services
from crises.services import registers as services
from crises.services.alerts import alert_raise
from tests.crises.api import api
from tests.crises.conftest import CrisisWorld
from tests.crises.exercise_helpers import add_inject, make_exercise

pytestmark = pytest.mark.django_db

NAMES = [
    "exercises", "injects", "off-ramps", "stances", "norms", "adherence", "incidents", "alerts",
]  # fmt: skip


def rows(user: Any, name: str, fmt: str = "csv", **params: str) -> list[dict[str, Any]]:
    response = api(user).get(f"/api/v1/exports/{name}.{fmt}", params)
    assert response.status_code == 200, response.content
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(body.decode())))
    return [orjson.loads(line) for line in body.splitlines() if line]


def ids(user: Any, name: str, **params: str) -> set[str]:
    return {row["id"] for row in rows(user, name, **params)}


@pytest.fixture
def world(cw: CrisisWorld) -> dict[str, Any]:
    sec, parties = cw.sec, cw.table.parties
    exercise = make_exercise(cw, codes=("USA", "RUS"))
    to_all = add_inject(cw, exercise, "Radar contact lost", expected_response="EXPECTED-ALL")
    to_ru = add_inject(cw, exercise, "A note for Moscow only", to="RUS")
    unreleased = add_inject(cw, exercise, "Not yet", expected_response="EXPECTED-LATER")
    exercise_services.exercise_start(exercise=exercise, user=sec)
    exercise_services.inject_release(inject=to_all, user=sec)
    exercise_services.inject_release(inject=to_ru, user=sec)
    draft = make_exercise(cw)
    off_ramp = services.off_ramp_create(user=sec, crisis=cw.crisis, title="Grain corridor")
    ru_public = services.stance_state(user=cw.user("ru"), off_ramp=off_ramp, position="opposes")
    ru_private = services.stance_state(
        user=cw.user("ru"), off_ramp=off_ramp, position="supports", private=True
    )
    us_public = services.stance_state(user=cw.user("us"), off_ramp=off_ramp, position="open")
    norm = services.norm_create(
        user=sec, session=cw.table.session, title="Safe distances", text="<p>500 ft.</p>"
    )
    sealed_norm = services.norm_create(
        user=sec, session=cw.table.session, title="Hotline use", text="<p>5 minutes.</p>"
    )
    sealed_adherence = services.adherence_state(
        user=cw.user("us"), norm=sealed_norm, level="does_not"
    )
    # Kept to the secretariat once the US had stated its adherence.
    Norm.objects.filter(pk=sealed_norm.pk).update(distribution=Distribution.SECRETARIAT)
    adherence = services.adherence_state(user=cw.user("us"), norm=norm, level="adheres")
    incident = services.incident_report(
        user=cw.user("ru"), norm=norm, occurred_on=timezone.localdate(), place="Baltic",
        parties_involved=[parties["USA"]], description="Close intercept.",
    )  # fmt: skip
    sealed_incident = services.incident_report(
        user=cw.user("ru"), norm=norm, occurred_on=timezone.localdate(), place="Black Sea",
        parties_involved=[parties["USA"]], description="Drone.",
        distribution=Distribution.SECRETARIAT,
    )  # fmt: skip
    alert = alert_raise(user=cw.user("us"), text="A collision near Gotland.", crisis=cw.crisis)
    return {
        "exercise": str(exercise.public_id),
        "draft": str(draft.public_id),
        "to_all": str(to_all.public_id),
        "to_ru": str(to_ru.public_id),
        "unreleased": str(unreleased.public_id),
        "off_ramp": str(off_ramp.public_id),
        "ru_public": str(ru_public.public_id),
        "ru_private": str(ru_private.public_id),
        "us_public": str(us_public.public_id),
        "norm": str(norm.public_id),
        "sealed_norm": str(sealed_norm.public_id),
        "adherence": str(adherence.public_id),
        "sealed_adherence": str(sealed_adherence.public_id),
        "incident": str(incident.public_id),
        "sealed_incident": str(sealed_incident.public_id),
        "alert": str(alert.public_id),
    }


def test_exercises_go_to_their_players_and_never_a_draft(cw: CrisisWorld, world: Any) -> None:
    assert ids(cw.sec, "exercises") == {world["exercise"], world["draft"]}
    for player in ("us", "ru"):
        assert ids(cw.user(player), "exercises") == {world["exercise"]}
    for other in ("de", "nato", "outsider"):  # NATO plays only in the draft
        assert ids(cw.user(other), "exercises") == set()
    (row,) = rows(cw.user("us"), "exercises", fmt="jsonl")
    assert row["parties"] == "RUS USA"
    assert row["subject"] == "Baltic Sea airspace incidents"
    assert "scenario" in row
    assert "Not yet" not in str(row)  # no inject rides along with an exercise


def test_injects_reach_their_recipients_after_release_and_the_msel_stays_hidden(
    cw: CrisisWorld, world: Any
) -> None:
    assert ids(cw.sec, "injects") == {world["to_all"], world["to_ru"], world["unreleased"]}
    assert ids(cw.user("ru"), "injects") == {world["to_all"], world["to_ru"]}
    assert ids(cw.user("us"), "injects") == {world["to_all"]}  # Russia's secret is not the US's
    assert ids(cw.user("de"), "injects") == set()
    expected = {row["id"]: row["expected_response"] for row in rows(cw.sec, "injects")}
    assert expected[world["to_all"]] == "EXPECTED-ALL"
    assert expected[world["unreleased"]] == "EXPECTED-LATER"
    for row in rows(cw.user("ru"), "injects", fmt="jsonl"):
        assert row["expected_response"] == ""
    # Disclosed, Russia's inject is the US's too.
    exercise_services.inject_disclose(
        inject=Inject.objects.get(public_id=world["to_ru"]), user=cw.sec
    )
    assert ids(cw.user("us"), "injects") == {world["to_all"], world["to_ru"]}


def test_a_private_stance_is_exported_to_its_party_and_the_secretariat_only(
    cw: CrisisWorld, world: Any
) -> None:
    everyone = {world["ru_public"], world["us_public"]}
    assert ids(cw.sec, "stances") == everyone | {world["ru_private"]}
    assert ids(cw.user("ru"), "stances") == everyone | {world["ru_private"]}
    for other in ("us", "nato", "de"):
        assert ids(cw.user(other), "stances") == everyone
    assert ids(cw.user("outsider"), "stances") == set()
    assert ids(cw.user("us"), "off-ramps") == {world["off_ramp"]}
    Crisis.objects.filter(pk=cw.crisis.pk).update(distribution=Distribution.SECRETARIAT)
    assert ids(cw.user("us"), "off-ramps") == set()
    assert ids(cw.user("ru"), "stances") == set()


def test_norms_adherence_and_incidents_follow_their_distributions(
    cw: CrisisWorld, world: Any
) -> None:
    assert ids(cw.sec, "norms") == {world["norm"], world["sealed_norm"]}
    assert ids(cw.user("us"), "norms") == {world["norm"]}
    assert ids(cw.user("us"), "adherence") == {world["adherence"]}
    assert ids(cw.sec, "adherence") == {world["adherence"], world["sealed_adherence"]}
    assert ids(cw.sec, "incidents") == {world["incident"], world["sealed_incident"]}
    assert ids(cw.user("ru"), "incidents") == {world["incident"], world["sealed_incident"]}
    assert ids(cw.user("us"), "incidents") == {world["incident"]}
    assert ids(cw.user("outsider"), "incidents") == set()


def test_alerts_go_to_their_recipients_only(cw: CrisisWorld, world: Any) -> None:
    for reader in ("sec", "us", "ru", "nato"):
        assert ids(cw.user(reader), "alerts") == {world["alert"]}
    for other in ("de", "ua", "outsider"):  # not heads of a seat-holder
        assert ids(cw.user(other), "alerts") == set()
    (row,) = rows(cw.user("ru"), "alerts")
    assert row["crisis_title"] == "Baltic Sea airspace incidents"
    # A dossier kept to the secretariat is not named to a head who does not read it.
    Crisis.objects.filter(pk=cw.crisis.pk).update(distribution=Distribution.SECRETARIAT)
    (row,) = rows(cw.user("ru"), "alerts", fmt="jsonl")
    assert (row["crisis"], row["crisis_title"]) == (None, "")
    (row,) = rows(cw.sec, "alerts", fmt="jsonl")
    assert row["crisis_title"] == "Baltic Sea airspace incidents"


def test_the_lists_filters_apply(cw: CrisisWorld, world: Any) -> None:
    assert ids(cw.sec, "stances", position="supports") == {world["ru_private"]}
    assert ids(cw.sec, "stances", party="rus") == {world["ru_public"], world["ru_private"]}
    assert ids(cw.sec, "injects", released="false") == {world["unreleased"]}
    assert ids(cw.sec, "injects", recipient="RUS") == {world["to_ru"]}
    assert ids(cw.sec, "exercises", status="draft") == {world["draft"]}
    assert ids(cw.sec, "incidents", party="USA") == {world["incident"], world["sealed_incident"]}
    assert ids(cw.sec, "adherence", norm=world["sealed_norm"]) == {world["sealed_adherence"]}
    assert ids(cw.sec, "norms", q="hotline") == {world["sealed_norm"]}
    assert ids(cw.sec, "off-ramps", status="dropped") == set()
    assert ids(cw.sec, "alerts", party="RUS") == set()


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("stances", {"position": "maybe"}),
        ("injects", {"released": "banana"}),
        ("exercises", {"status": "sleeping"}),
        ("incidents", {"occurred_from": "yesterday"}),
        ("alerts", {"urgency": "panic"}),
    ],
)
def test_bad_filters_are_refused_clearly(
    cw: CrisisWorld, world: Any, name: str, params: dict[str, str]
) -> None:
    response = api(cw.sec).get(f"/api/v1/exports/{name}.csv", params)
    assert response.status_code == 400
    assert response.json()


@pytest.mark.parametrize("name", NAMES)
def test_anonymous_callers_export_nothing(world: Any, name: str) -> None:
    assert api(None).get(f"/api/v1/exports/{name}.jsonl").status_code in (401, 403)


def _count(user: Any, name: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        found = rows(user, name)
    return len(queries), len(found)


def test_the_queries_do_not_grow_with_the_rows(cw: CrisisWorld, world: Any) -> None:
    users = {"sec": cw.sec, "ru": cw.user("ru")}
    before = {(who, name): _count(user, name) for who, user in users.items() for name in NAMES}
    # More of everything: exercises and injects, off-ramps and stances, norms, adherence,
    # incidents and alerts.
    parties = cw.table.parties
    for number in range(3):
        exercise = make_exercise(cw, codes=("USA", "RUS"))
        injects = [add_inject(cw, exercise, f"{text} {number}", to="RUS") for text in "ab"]
        exercise_services.exercise_start(exercise=exercise, user=cw.sec)
        for inject in injects:
            exercise_services.inject_release(inject=inject, user=cw.sec)
        off_ramp = services.off_ramp_create(user=cw.sec, crisis=cw.crisis, title=f"Option {number}")
        services.stance_state(user=cw.user("ru"), off_ramp=off_ramp, position="open", private=True)
        services.stance_state(user=cw.user("us"), off_ramp=off_ramp, position="supports")
        norm = services.norm_create(
            user=cw.sec, session=cw.table.session, title=f"Norm {number}", text="<p>Text.</p>"
        )
        services.adherence_state(user=cw.user("ru"), norm=norm, level="adheres")
        services.incident_report(
            user=cw.user("ru"), norm=norm, occurred_on=timezone.localdate(), place="Sea",
            parties_involved=[parties["USA"], parties["NATO"]], description="Again.",
        )  # fmt: skip
        alert_raise(user=cw.user("ru"), text=f"Alert {number}", crisis=cw.crisis)
    for (who, name), (queries, found) in before.items():
        after_queries, after_found = _count(users[who], name)
        assert after_found > found, (who, name)
        assert after_queries == queries, (who, name, queries, after_queries)
