"""The record's API through HTTP: reads, filters, writes by delegations, query counts."""

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model

from minutes.models import ActionPoint, Position
from minutes.services import action_points as action_points_services
from minutes.services import communiques as communiques_services
from minutes.services import positions as positions_services
from minutes.services import record as record_services
from minutes.services import review as review_services
from tests.openapi import assert_documented

from .conftest import reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def circulated(world, minutes):
    def make(count: int) -> None:
        for number in range(count):
            code = ("USA", "RUS", "NATO", "EU")[number % 4]
            record_services.statement_record(
                minutes=minutes,
                item=world.items[number % 2],
                party=world.parties[code],
                user=world.user("sec"),
                summary=f"Statement {number}.",
                speaker=world.user({"USA": "us", "RUS": "ru", "NATO": "nato", "EU": "eu"}[code]),
            )
        review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))

    return make


def test_statement_filters(world, say, minutes, api_for):
    """Filter by session, item, party and dates; unknown values match nothing."""
    first = say("USA", 1, "Baltic.")
    say("RUS", 3, "Corridor.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    client = api_for(world.user("fr"))

    def ids(**params):
        response = client.get("/api/v1/statements/", params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert len(ids()) == 2
    assert len(ids(session=str(world.session.public_id))) == 2
    assert ids(item=str(world.items[0].public_id)) == [str(first.public_id)]
    assert ids(party="usa") == [str(first.public_id)]
    day = world.session.starts_at.date()
    assert len(ids(date_from=day.isoformat(), date_to=day.isoformat())) == 2
    assert ids(date_from=(day + timedelta(days=1)).isoformat()) == []
    assert ids(party="XXX") == []
    assert client.get("/api/v1/statements/", {"date_from": "yesterday"}).status_code == 400


@pytest.mark.parametrize("rows", [1, 12])
def test_statement_list_queries_do_not_grow(
    world, circulated, api_for, django_assert_max_num_queries, rows
):
    """One page of statements costs the same queries for 1 row as for many."""
    circulated(rows)
    client = api_for(world.user("ru"))
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/statements/")
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 6])
def test_minutes_and_action_point_lists_queries_do_not_grow(
    world, attend, api_for, django_assert_max_num_queries, rows
):
    """Minutes with attendance, and action points, are read with a fixed number of queries."""
    from .conftest import build_world

    for index in range(rows):
        other = (
            world
            if index == 0
            else build_world(
                number=f"CCB/Q/{index}",
                starts_at=world.session.starts_at - timedelta(days=100 * index),
            )
        )
        minutes = record_services.minutes_create(session=other.session, user=world.user("sec"))
        for code in ("USA", "RUS"):
            party = other.parties[code]
            record_services.attendance_record(
                minutes=minutes,
                party=party,
                user=world.user("sec"),
                delegates=list(
                    get_user_model().objects.filter(delegation_memberships__delegation__party=party)
                ),
            )
        record_services.statement_record(
            minutes=minutes,
            item=other.items[0],
            party=other.parties["USA"],
            user=world.user("sec"),
            summary="x",
        )
        action_points_services.action_point_create(
            minutes=minutes,
            user=world.user("sec"),
            description="Follow up.",
            due_date=date.today(),
            owner=other.parties["USA"],
            item=other.items[0],
        )
        review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    client = api_for(world.user("us"))
    with django_assert_max_num_queries(9):
        minutes_rows = client.get("/api/v1/minutes/").json()["results"]
    with django_assert_max_num_queries(7):
        points = client.get("/api/v1/action-points/").json()["results"]
    assert len(minutes_rows) == len(points) == rows
    assert minutes_rows[0]["attendance"][0]["party"]["code"] in ("RUS", "USA")


def test_action_point_status_by_the_owner_only(world, say, minutes, api_for):
    """The owning delegation and the secretariat update a point; another delegation gets 403."""
    say("USA", 1, "x")
    point = action_points_services.action_point_create(
        minutes=minutes,
        user=world.user("sec"),
        description="Paper.",
        due_date=date.today(),
        owner=world.parties["USA"],
    )
    url = f"/api/v1/action-points/{point.public_id}/status/"
    refused = api_for(world.user("ru")).post(url, {"status": "done"})
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "Only a current member of the delegation of United States of America "
        "may update this action point."
    }
    assert reload(point).status == ActionPoint.Status.OPEN
    done = api_for(world.user("us")).post(url, {"status": "done"})
    assert done.status_code == 200
    assert done.json()["status"] == "done"
    assert_documented(done)
    reopened = api_for(world.user("sec")).post(url, {"status": "open"})
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "open"
    assert reload(point).done_at is None


def test_the_secretariats_own_action_points_are_its_own_to_update(world, minutes, api_for):
    """A point without an owner: delegations get 403, the secretariat updates it."""
    point = action_points_services.action_point_create(
        minutes=minutes, user=world.user("sec"), description="Book rooms.", due_date=date.today()
    )
    url = f"/api/v1/action-points/{point.public_id}/status/"
    refused = api_for(world.user("us")).post(url, {"status": "done"})
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Only the secretariat follows up its own action points."}
    assert reload(point).status == ActionPoint.Status.OPEN
    done = api_for(world.user("sec")).post(url, {"status": "done"})
    assert done.status_code == 200
    assert reload(point).status == ActionPoint.Status.DONE


def test_analyst_tokens_cannot_write(world, say, minutes, api_for):
    """Analysts read; their writes are refused by the API's policy."""
    from django.contrib.auth.models import Group

    analyst = get_user_model().objects.create_user("ana")
    analyst.groups.add(Group.objects.get_or_create(name="analysts")[0])
    assert api_for(analyst).get("/api/v1/statements/").status_code == 200
    assert api_for(analyst).post("/api/v1/positions/", {}).status_code == 403


def test_positions_are_stated_through_the_api(world, circulated_communique, api_for):
    """A seat-holder POSTs its position; stating again changes it; others are refused."""
    communique = circulated_communique()
    client = api_for(world.user("us"))
    payload = {
        "communique": str(communique.public_id),
        "stance": "associates_with_reservation",
        "reservation": "The United States reads paragraph 2 as ...",
    }
    created = client.post("/api/v1/positions/", payload)
    assert created.status_code == 201, created.content
    assert_documented(created)
    assert created.json()["party"] == {"code": "USA", "name": "United States of America"}
    changed = client.post(
        "/api/v1/positions/", {"communique": str(communique.public_id), "stance": "associates"}
    )
    assert changed.json()["stance"] == "associates"
    assert Position.objects.count() == 1

    observer = api_for(world.user("csto")).post(
        "/api/v1/positions/", {"communique": str(communique.public_id), "stance": "dissociates"}
    )
    assert observer.status_code == 400
    # The observer cannot read the draft: the same answer as for a missing text.
    assert observer.json() == {"communique": ["No such communiqué."]}
    with time_machine.travel(communique.deadline + timedelta(minutes=1)):
        late = client.post(
            "/api/v1/positions/",
            {"communique": str(communique.public_id), "stance": "dissociates"},
        )
    assert late.status_code == 400
    assert "passed" in late.json()["detail"]
    assert Position.objects.get().stance == "associates"
    listed = client.get("/api/v1/positions/", {"communique": str(communique.public_id)}).json()
    assert [row["stance"] for row in listed["results"]] == ["associates"]
    assert api_for(world.user("de")).get("/api/v1/positions/").json()["results"] == []


def test_anonymous_readers_get_published_communiques_only(world, circulated_communique, api_for):
    """Without credentials: published texts (with footnotes) listed and readable; drafts not."""
    draft = circulated_communique(title="Still a draft")
    published = circulated_communique(title="Published text")
    positions_services.position_state(
        communique=published,
        party=world.parties["USA"],
        user=world.user("us"),
        stance="associates_with_reservation",
        reservation="On paragraph 1.",
    )
    with time_machine.travel(published.deadline + timedelta(minutes=1)):
        communiques_services.communique_publish(communique=published, user=world.user("sec"))
    client = api_for(None)
    listing = client.get("/api/v1/communiques/")
    assert listing.status_code == 200
    rows = listing.json()["results"]
    assert [row["id"] for row in rows] == [str(published.public_id)]
    assert rows[0]["footnotes"] == [
        {
            "number": 1,
            "party": {"code": "USA", "name": "United States of America"},
            "text": "On paragraph 1.",
        }
    ]
    assert rows[0]["text"] == "<p>The participants met.</p>"
    assert client.get(f"/api/v1/communiques/{published.public_id}/").status_code == 200
    assert client.get(f"/api/v1/communiques/{draft.public_id}/").status_code == 404
    assert client.get("/api/v1/statements/").status_code in (401, 403)
    assert client.post("/api/v1/positions/", {}).status_code in (401, 403)


@pytest.mark.parametrize("rows", [1, 5])
def test_communique_list_queries_do_not_grow(
    world, circulated_communique, api_for, django_assert_max_num_queries, rows
):
    """Published texts with footnotes are listed with a fixed number of queries."""
    for number in range(rows):
        communique = circulated_communique(title=f"Text {number}")
        positions_services.position_state(
            communique=communique,
            party=world.parties["USA"],
            user=world.user("us"),
            stance="associates_with_reservation",
            reservation=f"Reservation {number}.",
        )
        with time_machine.travel(communique.deadline + timedelta(minutes=1)):
            communiques_services.communique_publish(communique=communique, user=world.user("sec"))
    with django_assert_max_num_queries(5):
        body = api_for(None).get("/api/v1/communiques/").json()
    assert len(body["results"]) == rows


def test_schema_documents_the_record(api_for):
    """The OpenAPI schema lists the record's resources and their filters."""
    response = api_for(None).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/minutes/",
        "/api/v1/statements/",
        "/api/v1/action-points/",
        "/api/v1/communiques/",
        "/api/v1/positions/",
    ):
        assert path in paths
    names = {parameter["name"] for parameter in paths["/api/v1/statements/"]["get"]["parameters"]}
    assert {"session", "item", "party", "date_from", "date_to", "q"} <= names
    assert {} in paths["/api/v1/communiques/"]["get"]["security"]
