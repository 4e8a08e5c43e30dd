"""Crises, threats and assessments through the API: reads follow the access rule (a refused
read is a 404 like a missing one), writes are the secretariat's and go through the services,
and the charts answer as SVG."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from xml.etree import ElementTree

from django.utils import timezone

from consult.access import Distribution
from crises.models import Assessment, Crisis, CrisisTransition, Threat
from crises.services import assessments as assessment_services
from crises.services import crises as crisis_services
from crises.services import threats as threat_services
from tests.crises.api import analyst, api, release, score_all
from tests.crises.conftest import CrisisWorld
from tests.minutes.conftest import build_world

CRISES = "/api/v1/crises/"
THREATS = "/api/v1/threats/"
ASSESSMENTS = "/api/v1/assessments/"
NOT_FOUND = {"detail": "Not found."}


def ids(user: Any, url: str, **params: Any) -> set[str]:
    response = api(user).get(url, params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def secret_crisis(cw: CrisisWorld) -> Crisis:
    return crisis_services.crisis_create(
        user=cw.sec,
        session=cw.table.session,
        title="Arctic submarine cables",
        region="Barents Sea",
        on=timezone.localdate(),
        distribution=Distribution.SECRETARIAT,
    )


# Crises


def test_crises_are_read_by_whom_the_rule_lets(cw: CrisisWorld) -> None:
    hidden = secret_crisis(cw)
    mine, theirs = str(cw.crisis.public_id), str(hidden.public_id)
    for name in ("us", "ru", "de", "csto"):
        assert ids(cw.user(name), CRISES) == {mine}, name
        assert api(cw.user(name)).get(f"{CRISES}{theirs}/").json() == NOT_FOUND
    for user in (cw.user("outsider"), cw.user("ua"), analyst()):
        assert ids(user, CRISES) == set(), user.username
        assert api(user).get(f"{CRISES}{mine}/").status_code == 404
    assert ids(cw.sec, CRISES) == {mine, theirs}
    assert ids(analyst(secretariat=True), CRISES) == {mine, theirs}
    assert api(None).get(CRISES).status_code == 401
    body = api(cw.user("us")).get(f"{CRISES}{mine}/").json()
    assert body["title"] == "Baltic Sea airspace incidents"
    assert body["session"]["number"] == "CCB/T/1"
    assert [t["to_status"] for t in body["transitions"]] == ["watch"]
    assert body["timeline_url"].endswith(f"/api/v1/crises/{mine}/timeline/")
    assert ids(cw.sec, CRISES, status="active") == set()
    assert ids(cw.sec, CRISES, region="barents") == {theirs}
    assert api(cw.sec).get(CRISES, {"status": "burning"}).status_code == 400


def test_the_secretariat_opens_edits_and_moves_a_crisis(cw: CrisisWorld) -> None:
    body = {
        "session": str(cw.table.session.public_id),
        "title": "Black Sea corridor",
        "region": "Black Sea",
        "on": str(timezone.localdate()),
        "summary": "<p>Grain ships <script>x()</script>stopped.</p>",
    }
    created = api(cw.sec).post(CRISES, body, format="json")
    assert created.status_code == 201, created.content
    crisis = created.json()
    assert "<script>" not in crisis["summary"]
    url = f"{CRISES}{crisis['id']}/"
    edited = api(cw.sec).patch(url, {"region": "Black Sea and Danube"}, format="json")
    assert edited.json()["region"] == "Black Sea and Danube"
    assert edited.json()["title"] == "Black Sea corridor"
    moved = api(cw.sec).post(
        f"{url}transition/",
        {"to_status": "active", "on": str(timezone.localdate()), "reason": "Ships stopped."},
        format="json",
    )
    assert moved.status_code == 200
    assert moved.json()["status"] == "active"
    assert [t["to_status"] for t in moved.json()["transitions"]] == ["watch", "active"]
    assert api(cw.sec).put(url, body, format="json").status_code == 405


def test_crisis_writes_are_refused_to_all_but_the_secretariat(cw: CrisisWorld) -> None:
    url = f"{CRISES}{cw.crisis.public_id}/"
    transition = {"to_status": "active", "on": str(timezone.localdate()), "reason": "Why."}
    for user in (cw.user("us"), cw.user("outsider"), analyst(secretariat=True)):
        assert api(user).post(CRISES, {}, format="json").status_code == 403
        assert api(user).patch(url, {"title": "X"}, format="json").status_code == 403
        assert api(user).post(f"{url}transition/", transition, format="json").status_code == 403
    assert api(None).patch(url, {"title": "X"}, format="json").status_code == 401
    cw.crisis.refresh_from_db()
    assert (cw.crisis.title, cw.crisis.status) == ("Baltic Sea airspace incidents", "watch")


def test_a_crisis_refuses_bad_input_with_a_clear_message(cw: CrisisWorld) -> None:
    url = f"{CRISES}{cw.crisis.public_id}/"
    leap = api(cw.sec).post(
        f"{url}transition/",
        {"to_status": "de_escalating", "on": str(timezone.localdate()), "reason": "Calm."},
        format="json",
    )
    assert leap.status_code == 400
    assert leap.json()["detail"] == (
        "A crisis in “Watch” can move to Active, Closed, not to “De-escalating”."
    )
    early = api(cw.sec).post(
        f"{url}transition/",
        {"to_status": "active", "on": "2001-01-01", "reason": "Long ago."},
        format="json",
    )
    assert early.status_code == 400
    assert "before the current status began" in early.json()["detail"]
    assert CrisisTransition.objects.filter(crisis=cw.crisis).count() == 1
    nowhere = api(cw.sec).post(
        CRISES,
        {
            "session": "00000000-0000-4000-8000-000000000000",
            "title": "T",
            "region": "R",
            "on": "2027-01-01",
        },
        format="json",
    )
    assert nowhere.json() == {"session": ["No such session."]}
    delegation_only = api(cw.sec).patch(url, {"distribution": "delegation"}, format="json")
    assert delegation_only.status_code == 400
    assert Crisis.objects.count() == 1


def test_linked_records_appear_on_the_timeline_to_their_readers(cw: CrisisWorld) -> None:
    url = f"{CRISES}{cw.crisis.public_id}/"
    item = cw.table.items[0]
    linked = api(cw.sec).post(
        f"{url}link/", {"kind": "items", "id": str(item.public_id)}, format="json"
    )
    assert linked.status_code == 200, linked.content
    timeline = api(cw.user("us")).get(f"{url}timeline/")
    assert timeline.status_code == 200
    entries = timeline.json()
    # Raised today; the session with the item opens in ten days.
    assert [(e["kind"], e["title"]) for e in entries] == [
        ("status", "Status: Watch"),
        ("item", "Baltic airspace"),
    ]
    assert entries[0]["page_url"] == ""
    assert entries[1]["page_url"].startswith("http")
    assert api(cw.user("outsider")).get(f"{url}timeline/").json() == NOT_FOUND
    unknown = api(cw.sec).post(
        f"{url}link/",
        {"kind": "documents", "id": "00000000-0000-4000-8000-000000000000"},
        format="json",
    )
    assert unknown.json() == {"id": ["No such record."]}
    refused = api(cw.user("us")).post(
        f"{url}link/", {"kind": "items", "id": str(item.public_id), "linked": False}
    )
    assert refused.status_code == 403
    unlinked = api(cw.sec).post(
        f"{url}link/", {"kind": "items", "id": str(item.public_id), "linked": False}
    )
    assert unlinked.status_code == 200
    assert [e["kind"] for e in api(cw.user("us")).get(f"{url}timeline/").json()] == ["status"]


# Threats


def _assessed_elsewhere(cw: CrisisWorld, threats: list[Threat]) -> Assessment:
    """An assessment of another regular session (two quarters on) of the same table."""
    table = build_world(number="CCB/T/2", starts_at=timezone.now() + timedelta(days=200))
    table.session.status = "scheduled"
    table.session.save(update_fields=["status"])
    return assessment_services.assessment_open(
        user=cw.sec,
        session=table.session,
        threats=threats,
        deadline=timezone.now() + timedelta(days=5),
    )


def test_threats_are_read_through_assessments_and_crises(cw: CrisisWorld) -> None:
    listed = {str(t.public_id) for t in cw.threats}
    unlisted = threat_services.threat_create(user=cw.sec, title="Unassessed")
    assert ids(cw.user("us"), THREATS) == listed
    assert ids(cw.sec, THREATS) == {*listed, str(unlisted.public_id)}
    assert api(cw.user("us")).get(f"{THREATS}{unlisted.public_id}/").json() == NOT_FOUND
    assert ids(cw.user("outsider"), THREATS) == set()
    body = api(cw.user("us")).get(f"{THREATS}{cw.threats[0].public_id}/").json()
    assert body["crisis"]["title"] == "Baltic Sea airspace incidents"
    assert ids(cw.user("us"), THREATS, crisis=str(cw.crisis.public_id)) == listed


def test_a_threat_read_through_an_assessment_does_not_name_a_crisis_its_reader_cannot(
    cw: CrisisWorld,
) -> None:
    hidden = secret_crisis(cw)
    cable = threat_services.threat_create(user=cw.sec, title="Cable cut", crisis=hidden)
    _assessed_elsewhere(cw, [cable])
    body = api(cw.user("us")).get(f"{THREATS}{cable.public_id}/").json()
    assert body["title"] == "Cable cut"
    assert body["crisis"] is None
    assert "Arctic" not in api(cw.user("us")).get(THREATS).content.decode()
    assert api(cw.sec).get(f"{THREATS}{cable.public_id}/").json()["crisis"]["title"] == (
        "Arctic submarine cables"
    )


def test_the_secretariat_keeps_the_threat_list(cw: CrisisWorld) -> None:
    created = api(cw.sec).post(
        THREATS,
        {"title": "Drone swarms", "region": "Baltic", "crisis": str(cw.crisis.public_id)},
        format="json",
    )
    assert created.status_code == 201, created.content
    url = f"{THREATS}{created.json()['id']}/"
    assert api(cw.sec).patch(url, {"description": "Seen twice."}, format="json").json()[
        "description"
    ] == ("Seen twice.")
    retired = api(cw.sec).post(f"{url}retire/")
    assert retired.json()["retired_at"] is not None
    assert ids(cw.sec, THREATS, retired="true") == {created.json()["id"]}
    assert created.json()["id"] not in ids(cw.sec, THREATS, retired="false")
    assert api(cw.sec).get(THREATS, {"retired": "maybe"}).status_code == 400
    # A "%" in a refused value is quoted back, never read as a placeholder.
    percent = api(cw.sec).get(f"{THREATS}trend/", {"retired": "50%s"})
    assert percent.status_code == 400
    assert percent.json() == {"retired": ["'50%s' is not a boolean; give true or false."]}
    nowhere = api(cw.sec).post(
        THREATS,
        {"title": "X", "crisis": "00000000-0000-4000-8000-000000000000"},
        format="json",
    )
    assert nowhere.json() == {"crisis": ["No such crisis."]}
    for user in (cw.user("us"), analyst(secretariat=True), cw.user("outsider")):
        assert api(user).post(THREATS, {"title": "Mine"}, format="json").status_code == 403
        assert api(user).post(f"{url}retire/").status_code == 403
    assert Threat.objects.filter(title="Mine").count() == 0


def test_the_trend_over_quarters_as_json_and_svg(cw: CrisisWorld) -> None:
    score_all(cw)
    release(cw)
    trend = api(cw.user("us")).get(f"{THREATS}trend/")
    assert trend.status_code == 200
    rows = {row["threat"]["title"]: row for row in trend.json()}
    assert set(rows) == {t.title for t in cw.threats}
    [point] = rows["Mid-air collision"]["points"]
    assert point["quarter"] == str(cw.assessment.session.quarter)
    assert point["stats"]["likelihood"]["median"] == 3.0
    assert rows["Mid-air collision"]["verdicts"] == []
    svg = api(cw.user("us")).get("/api/v1/threats/trend.svg", HTTP_ACCEPT="image/svg+xml")
    assert svg.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
    assert ElementTree.fromstring(svg.content).tag.endswith("svg")
    assert "Mid-air collision" in svg.content.decode()
    # Nothing is released to an outsider: an empty chart, no threat named.
    empty = api(cw.user("outsider")).get("/api/v1/threats/trend.svg")
    assert empty.status_code == 200
    assert "Mid-air collision" not in empty.content.decode()
    assert api(cw.user("us")).get(f"{THREATS}trend/", {"quarters": 0}).status_code == 400
    assert api(None).get("/api/v1/threats/trend.svg").status_code == 401


# Assessments and their charts


def test_assessments_are_read_by_the_sessions_participants(cw: CrisisWorld) -> None:
    mine = str(cw.assessment.public_id)
    for name in ("us", "ru", "de", "csto"):
        assert ids(cw.user(name), ASSESSMENTS) == {mine}, name
    for user in (cw.user("outsider"), cw.user("ua")):
        assert ids(user, ASSESSMENTS) == set()
        assert api(user).get(f"{ASSESSMENTS}{mine}/").json() == NOT_FOUND
    body = api(cw.user("us")).get(f"{ASSESSMENTS}{mine}/").json()
    assert body["attribution"] == "anonymised"
    assert [r["number"] for r in body["rounds"]] == [1]
    assert body["picture_url"].endswith(f"/api/v1/assessments/{mine}/picture/")
    assert ids(cw.user("us"), ASSESSMENTS, crisis=str(cw.crisis.public_id)) == {mine}
    assert ids(cw.user("us"), ASSESSMENTS, quarter="2001Q1") == set()
    odd = api(cw.user("us")).get(ASSESSMENTS, {"quarter": "20%d"})
    assert odd.status_code == 400
    assert "20%d" in str(odd.json()["quarter"])


def test_the_secretariat_opens_an_assessment(cw: CrisisWorld) -> None:
    table = build_world(number="CCB/T/2", starts_at=timezone.now() + timedelta(days=200))
    table.session.status = "scheduled"
    table.session.save(update_fields=["status"])
    body = {
        "session": str(table.session.public_id),
        "threats": [str(t.public_id) for t in cw.threats[:2]],
        "deadline": (timezone.now() + timedelta(days=20)).isoformat(),
        "attribution": "attributed",
        "convergence_threshold": "0.5",
    }
    for user in (cw.user("us"), analyst(secretariat=True)):
        assert api(user).post(ASSESSMENTS, body, format="json").status_code == 403
    unknown = {**body, "threats": ["00000000-0000-4000-8000-000000000000"]}
    assert api(cw.sec).post(ASSESSMENTS, unknown, format="json").json() == {
        "threats": ["No such threat."]
    }
    too_loose = api(cw.sec).post(
        ASSESSMENTS, {**body, "convergence_threshold": "4.5"}, format="json"
    )
    assert too_loose.status_code == 400
    assert Assessment.objects.count() == 1
    opened = api(cw.sec).post(ASSESSMENTS, body, format="json")
    assert opened.status_code == 201, opened.content
    assert opened.json()["convergence_threshold"] == "0.5"
    assert [t["title"] for t in opened.json()["threats"]] == ["Cable sabotage", "Mid-air collision"]
    again = api(cw.sec).post(ASSESSMENTS, body, format="json")
    assert again.status_code == 400
    assert again.json()["detail"] == "Session CCB/T/2 already has its threat assessment."


def test_the_charts_answer_svg_once_released_and_404_before(cw: CrisisWorld) -> None:
    base = f"{ASSESSMENTS}{cw.assessment.public_id}/picture"
    score_all(cw)
    for chart in ("matrix.svg", "divergence.svg"):
        sealed = api(cw.sec).get(f"{base}/{chart}", HTTP_ACCEPT="image/svg+xml")
        assert sealed.status_code == 404
        assert sealed.json() == {"detail": "Not found."}
    release(cw)
    for chart in ("matrix.svg", "divergence.svg"):
        drawn = api(cw.user("us")).get(f"{base}/{chart}")
        assert drawn.status_code == 200
        assert drawn["Content-Type"] == "image/svg+xml"
        document = ElementTree.fromstring(drawn.content)
        assert document.tag.endswith("svg")
        assert "Mid-air collision" in drawn.content.decode()
        assert api(cw.user("outsider")).get(f"{base}/{chart}").status_code == 404
        assert api(None).get(f"{base}/{chart}").status_code == 401
        assert api(cw.user("us")).get(f"{base}/{chart}", {"round": 2}).status_code == 404
        assert api(cw.user("us")).get(f"{base}/{chart}", {"round": "x"}).status_code == 400
    divergence = api(cw.user("us")).get(f"{base}/divergence.svg").content.decode()
    assert "Russian Federation" not in divergence
    assert "A participant" in divergence
