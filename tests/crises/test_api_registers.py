"""The read API of off-ramps, stances, norms and incidents, URL by URL, as every role
(tests/test_authorization_matrix.py points here for "off-ramp-list", "off-ramp-detail",
"stance-list", "stance-detail", "norm-list", "norm-detail", "incident-list" and
"incident-detail").

The world: the crisis world's participants crisis with an option, Russia's public and
private stances and the US's stance on it; a participants norm, a norm for the
secretariat only; an incident Russia reported under the first norm at participants
level with the US's response, and one it reported at secretariat level. Lists are
checked by the ids they return; details refused answer 404 like a missing row.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consult.access import Distribution
from crises.services import registers as services
from tests.crises.api import analyst, api
from tests.crises.conftest import CrisisWorld

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "analyst_usa", "sec", "us", "ru", "de", "csto", "ua"]
READS_SESSION = {"analyst_usa", "sec", "us", "ru", "de", "csto"}
SECRETARIAT = {"sec"}


@pytest.fixture
def world(cw: CrisisWorld) -> dict[str, Any]:
    parties = cw.table.parties
    off_ramp = services.off_ramp_create(
        user=cw.sec, crisis=cw.crisis, title="Grain corridor", proposer=parties["USA"]
    )
    ru_public = services.stance_state(user=cw.user("ru"), off_ramp=off_ramp, position="opposes")
    ru_private = services.stance_state(
        user=cw.user("ru"), off_ramp=off_ramp, position="supports", private=True
    )
    us_public = services.stance_state(user=cw.user("us"), off_ramp=off_ramp, position="supports")
    norm = services.norm_create(
        user=cw.sec, session=cw.table.session, title="Safe distances", text="<p>500 ft.</p>"
    )
    sealed_norm = services.norm_create(
        user=cw.sec,
        session=cw.table.session,
        title="Hotline use",
        text="<p>Within 5 minutes.</p>",
        distribution=Distribution.SECRETARIAT,
    )
    services.adherence_state(user=cw.user("us"), norm=norm, level="adheres")
    services.adherence_state(user=cw.user("us"), norm=norm, level="with_reservations")
    incident = services.incident_report(
        user=cw.user("ru"),
        norm=norm,
        occurred_on=timezone.localdate(),
        place="Baltic",
        parties_involved=[parties["USA"]],
        description="Close intercept.",
    )
    services.incident_respond(user=cw.user("us"), incident=incident, text="200 feet.")
    sealed_incident = services.incident_report(
        user=cw.user("ru"),
        norm=norm,
        occurred_on=timezone.localdate(),
        place="Black Sea",
        parties_involved=[parties["USA"]],
        description="Drone.",
        distribution=Distribution.SECRETARIAT,
    )
    users = {name: cw.user(name) for name in ROLES if name not in ("anonymous", "analyst_usa")}
    users["anonymous"] = None
    users["analyst_usa"] = analyst(of=cw.table.parties["USA"].delegation)
    return {
        "users": users,
        "off_ramp": off_ramp,
        "stances": {"ru_public": ru_public, "ru_private": ru_private, "us": us_public},
        "norm": norm,
        "sealed_norm": sealed_norm,
        "incident": incident,
        "sealed_incident": sealed_incident,
    }


def _ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _expected_lists(world: dict[str, Any], role: str) -> dict[str, set[str]]:
    reads = role in READS_SESSION
    secretariat = role in SECRETARIAT
    stances = world["stances"]
    stance_ids = set()
    if reads:
        stance_ids = {stances["ru_public"].public_id, stances["us"].public_id}
        if secretariat or role == "ru":
            stance_ids.add(stances["ru_private"].public_id)
    incidents = {world["incident"].public_id} if reads else set()
    if reads and (secretariat or role == "ru"):
        incidents.add(world["sealed_incident"].public_id)
    norms = {world["norm"].public_id} if reads else set()
    if secretariat:
        norms.add(world["sealed_norm"].public_id)
    return {
        "/api/v1/off-ramps/": {str(world["off_ramp"].public_id)} if reads else set(),
        "/api/v1/stances/": {str(i) for i in stance_ids},
        "/api/v1/norms/": {str(i) for i in norms},
        "/api/v1/incidents/": {str(i) for i in incidents},
    }


@pytest.mark.parametrize("role", ROLES)
def test_lists_and_details_by_role(cw: CrisisWorld, world: dict[str, Any], role: str) -> None:
    client = api(world["users"][role])
    expected = _expected_lists(world, role)
    for path, ids in expected.items():
        response = client.get(path)
        if role == "anonymous":
            # Anonymous callers read public rows only: none here.
            assert response.status_code in (200, 401, 403)
            if response.status_code == 200:
                assert _ids(response) == set()
            continue
        assert _ids(response) == ids, path
    details = {
        "/api/v1/off-ramps/": [world["off_ramp"]],
        "/api/v1/stances/": list(world["stances"].values()),
        "/api/v1/norms/": [world["norm"], world["sealed_norm"]],
        "/api/v1/incidents/": [world["incident"], world["sealed_incident"]],
    }
    for path, rows in details.items():
        for row in rows:
            response = client.get(f"{path}{row.public_id}/")
            readable = str(row.public_id) in expected[path]
            if role == "anonymous" and response.status_code in (401, 403):
                continue
            assert response.status_code == (200 if readable else 404), (path, row)


def test_the_current_stance_in_an_option_is_the_latest_the_caller_reads(
    cw: CrisisWorld, world: dict[str, Any]
) -> None:
    url = f"/api/v1/off-ramps/{world['off_ramp'].public_id}/"
    for role, russia in (("us", "opposes"), ("ru", "supports"), ("sec", "supports")):
        body = api(world["users"][role]).get(url).json()
        positions = {row["party"]["code"]: row["position"] for row in body["current_stances"]}
        assert positions == {"RUS": russia, "USA": "supports"}
        assert [t["to_status"] for t in body["transitions"]] == ["proposed"]
        assert body["proposer"]["code"] == "USA"
    body = api(world["users"]["de"]).get(f"/api/v1/norms/{world['norm'].public_id}/").json()
    assert [(row["party"]["code"], row["level"]) for row in body["adherence"]] == [
        ("USA", "with_reservations")
    ]
    assert len(body["adherence_history"]) == 2
    body = api(world["users"]["de"]).get(f"/api/v1/incidents/{world['incident'].public_id}/")
    assert [r["text"] for r in body.json()["responses"]] == ["200 feet."]


def test_filters(cw: CrisisWorld, world: dict[str, Any]) -> None:
    client = api(world["users"]["sec"])
    crisis = str(cw.crisis.public_id)
    assert len(_ids(client.get("/api/v1/off-ramps/", {"crisis": crisis}))) == 1
    assert _ids(client.get("/api/v1/off-ramps/", {"status": "dropped"})) == set()
    assert len(_ids(client.get("/api/v1/off-ramps/", {"party": "usa"}))) == 1
    assert _ids(client.get("/api/v1/off-ramps/", {"party": "RUS"})) == set()
    ru = _ids(client.get("/api/v1/stances/", {"party": "RUS", "crisis": crisis}))
    assert ru == {str(world["stances"][k].public_id) for k in ("ru_public", "ru_private")}
    assert len(_ids(client.get("/api/v1/stances/", {"position": "supports"}))) == 2
    assert len(_ids(client.get("/api/v1/stances/", {"status": "proposed"}))) == 3
    assert _ids(client.get("/api/v1/norms/", {"party": "USA"})) == {str(world["norm"].public_id)}
    assert len(_ids(client.get("/api/v1/incidents/", {"party": "usa"}))) == 2
    assert _ids(client.get("/api/v1/incidents/", {"party": "FRA"})) == set()
    for path, params in (
        ("/api/v1/off-ramps/", {"status": "won"}),
        ("/api/v1/off-ramps/", {"crisis": "not-a-uuid"}),
        ("/api/v1/stances/", {"position": "maybe"}),
        ("/api/v1/incidents/", {"occurred_from": "yesterday"}),
    ):
        assert client.get(path, params).status_code == 400, (path, params)


def test_lists_answer_in_a_constant_number_of_queries(
    cw: CrisisWorld, world: dict[str, Any]
) -> None:
    client = api(world["users"]["de"])
    paths = ["/api/v1/off-ramps/", "/api/v1/stances/", "/api/v1/norms/", "/api/v1/incidents/"]

    def queries() -> list[int]:
        counts = []
        for path in paths:
            client.get(path)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            counts.append(len(captured))
        return counts

    few = queries()
    parties = cw.table.parties
    for n in range(4):
        option = services.off_ramp_create(user=cw.sec, crisis=cw.crisis, title=f"Option {n}")
        for who in ("us", "ru", "fr"):
            services.stance_state(user=cw.user(who), off_ramp=option, position="open")
        norm = services.norm_create(
            user=cw.sec, session=cw.table.session, title=f"Norm {n}", text="<p>x</p>"
        )
        services.adherence_state(user=cw.user("fr"), norm=norm, level="adheres")
        incident = services.incident_report(
            user=cw.user("ru"),
            norm=norm,
            occurred_on=timezone.localdate(),
            place="Baltic",
            parties_involved=[parties["USA"], parties["FRA"]],
            description="x",
        )
        services.incident_respond(user=cw.user("us"), incident=incident, text="y")
    assert queries() == few


def test_search_finds_options_norms_and_incidents_its_reader_may_read_and_no_stance(
    cw: CrisisWorld, world: dict[str, Any]
) -> None:
    from analytics.services.search_index import search_index_refresh

    def titles(role: str, q: str) -> set[tuple[str, str]]:
        response = api(world["users"][role]).get("/api/v1/search/", {"q": q})
        assert response.status_code == 200, response.content
        return {(hit["kind"], hit["title"]) for hit in response.json()["results"]}

    services.stance_state(
        user=cw.user("ru"),
        off_ramp=world["off_ramp"],
        position="open",
        note="Zanzibarite terms",
        private=True,
    )
    search_index_refresh(full=True)
    assert titles("us", "Grain") == {("off_ramp", "Grain corridor")}
    assert titles("ua", "Grain") == set()
    assert ("norm", "Safe distances") in titles("de", "distances")
    assert titles("us", "Hotline") == set()
    assert titles("sec", "Hotline") == {("norm", "Hotline use")}
    assert ("incident", "Safe distances: Baltic") in titles("de", "intercept")
    assert ("incident", "Safe distances: Black Sea") not in titles("de", "Drone")
    assert ("incident", "Safe distances: Black Sea") in titles("ru", "Drone")
    for role in ("sec", "ru", "us"):
        assert titles(role, "Zanzibarite") == set()
    hit = api(world["users"]["us"]).get("/api/v1/search/", {"q": "Grain"}).json()
    assert hit["results"][0]["url"].endswith(f"/api/v1/off-ramps/{world['off_ramp'].public_id}/")
    assert hit["results"][0]["details"]["status"] == "proposed"
