from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from agenda.models import AgendaItem, Objection
from agenda.services import agendas as services
from agenda.services import objections as objections_services
from tests.openapi import assert_documented

ITEMS = "/api/v1/agenda-items/"
OBJECTIONS = "/api/v1/objections/"


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_items_are_listed_as_the_rule_allows(cycle):
    """Seat-holders list both items; Ukraine only its own; strangers none; anonymous 401/403."""
    both = {str(cycle.ukraine_item.public_id), str(cycle.other_item.public_id)}
    assert ids(client_for(cycle.user("USA")).get(ITEMS)) == both
    assert ids(client_for(cycle.user("UKR")).get(ITEMS)) == {str(cycle.ukraine_item.public_id)}
    assert ids(client_for(cycle.outsider).get(ITEMS)) == set()
    assert client_for(None).get(ITEMS).status_code in {401, 403}


def test_an_item_reads_with_its_session_proposer_and_guests(cycle):
    """The detail names the session, the Chatham House flag and the ad hoc guests."""
    response = client_for(cycle.user("RUS")).get(f"{ITEMS}{cycle.ukraine_item.public_id}/")
    assert response.status_code == 200
    body = response.json()
    assert body["session"] == {
        "id": str(cycle.session.public_id),
        "url": f"http://testserver/api/v1/sessions/{cycle.session.public_id}/",
        "number": "CCB/T/Q1",
        "quarter": cycle.session.quarter,
    }
    assert [party["code"] for party in body["invited_parties"]] == ["UKR"]
    assert body["chatham_house"] is False
    assert body["agenda_status"] == "draft"


def test_a_hidden_item_answers_like_a_missing_one(cycle):
    """Ukraine reading the other item gets the same 404 as for an unknown id."""
    client = client_for(cycle.user("UKR"))
    hidden = client.get(f"{ITEMS}{cycle.other_item.public_id}/")
    missing = client.get(f"{ITEMS}00000000-0000-0000-0000-000000000000/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("chatham_house=true", {"other"}),
        ("chatham_house=false", {"ukraine"}),
        ("kind=crisis_review", {"ukraine", "other"}),
        ("kind=norms", set()),
        ("quarter=1999Q1", set()),
    ],
)
def test_item_filters(cycle, query, expected):
    """Filters by Chatham House flag, kind, quarter and session narrow the list."""
    names = {
        str(cycle.ukraine_item.public_id): "ukraine",
        str(cycle.other_item.public_id): "other",
    }
    found = ids(client_for(cycle.secretary).get(f"{ITEMS}?{query}"))
    assert {names[i] for i in found} == expected
    by_session = ids(client_for(cycle.secretary).get(f"{ITEMS}?session={cycle.session.public_id}"))
    assert by_session == set(names)


def test_the_secretariat_adds_edits_and_removes_items(cycle):
    """POST adds at the end, PATCH edits, DELETE removes (draft agenda)."""
    client = client_for(cycle.secretary)
    created = client.post(
        ITEMS,
        {
            "session": str(cycle.session.public_id),
            "title": "Norms for drones",
            "kind": "norms",
            "proposer": "nato",
            "chatham_house": True,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["order"], body["proposer"]["code"], body["chatham_house"]) == (3, "NATO", True)
    edited = client.patch(f"{ITEMS}{body['id']}/", {"title": "Norms for uncrewed aircraft"})
    assert edited.json()["title"] == "Norms for uncrewed aircraft"
    assert client.delete(f"{ITEMS}{body['id']}/").status_code == 204
    assert not AgendaItem.objects.filter(public_id=body["id"]).exists()


@pytest.mark.parametrize("who", ["USA", "UKR", "analyst"])
def test_others_cannot_write_items(cycle, who):
    """Delegates and analysts are refused every write; nothing changes."""
    user = cycle.analyst if who == "analyst" else cycle.user(who)
    client = client_for(user)
    data = {"session": str(cycle.session.public_id), "title": "Mine", "kind": "norms"}
    assert client.post(ITEMS, data).status_code == 403
    assert client.patch(f"{ITEMS}{cycle.ukraine_item.public_id}/", {"title": "x"}).status_code in {
        403,
        404,
    }
    assert client.delete(f"{ITEMS}{cycle.ukraine_item.public_id}/").status_code in {403, 404}
    assert AgendaItem.objects.filter(session=cycle.session).count() == 2


def test_a_locked_agenda_refuses_api_edits_with_the_reason(cycle, time_machine):
    """Editing an item of an adopted agenda answers 400 with the service's message."""
    agenda = services.agenda_circulate(session=cycle.session, user=cycle.secretary)
    assert agenda.objection_deadline is not None
    time_machine.move_to(agenda.objection_deadline + timedelta(seconds=1))
    services.agenda_adopt(session=cycle.session, user=cycle.secretary)
    response = client_for(cycle.secretary).patch(
        f"{ITEMS}{cycle.other_item.public_id}/", {"title": "Late"}
    )
    assert response.status_code == 400
    assert "later changes need a new circulation" in response.json()["detail"]


def test_missing_fields_are_named(cycle):
    """Adding without a title or kind answers 400 naming them."""
    response = client_for(cycle.secretary).post(ITEMS, {"session": str(cycle.session.public_id)})
    assert response.status_code == 400
    assert set(response.json()) >= {"title", "kind"}


# Objections


def test_a_seat_holder_objects_through_the_api(cycle):
    """Russia posts an objection to item 2 during the window; it is listed for Russia."""
    services.agenda_circulate(session=cycle.session, user=cycle.secretary)
    client = client_for(cycle.user("RUS"))
    response = client.post(
        OBJECTIONS,
        {
            "session": str(cycle.session.public_id),
            "item": str(cycle.other_item.public_id),
            "text": "The item prejudges the facts.",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["party"]["code"], body["item"]["order"], body["pending"]) == ("RUS", 2, True)
    assert ids(client.get(OBJECTIONS)) == {body["id"]}


def test_objections_are_listed_for_the_secretariat_and_the_objector_only(cycle):
    """Other delegations neither list nor read Russia's objection."""
    services.agenda_circulate(session=cycle.session, user=cycle.secretary)
    objection = objections_services.objection_raise(
        session=cycle.session, user=cycle.user("RUS"), text="No"
    )
    assert ids(client_for(cycle.secretary).get(OBJECTIONS)) == {str(objection.public_id)}
    for code in ("USA", "NATO", "EU", "UKR", "CSTO"):
        client = client_for(cycle.user(code))
        assert ids(client.get(OBJECTIONS)) == set()
        assert client.get(f"{OBJECTIONS}{objection.public_id}/").status_code == 404


@pytest.mark.parametrize("who", ["UKR", "CSTO", "secretary"])
def test_non_seat_holders_cannot_object(cycle, who):
    """The ad hoc guest and the observer get 403 with the reason; the secretariat too."""
    services.agenda_circulate(session=cycle.session, user=cycle.secretary)
    user = cycle.secretary if who == "secretary" else cycle.user(who)
    session = cycle.session.public_id
    response = client_for(user).post(OBJECTIONS, {"session": str(session), "text": "We object"})
    assert response.status_code == 403
    assert "Only delegations holding a seat" in response.json()["detail"]
    assert Objection.objects.count() == 0


def test_an_objection_after_the_window_is_refused(cycle, time_machine):
    """After the deadline the API answers 400 saying when the window closed."""
    agenda = services.agenda_circulate(session=cycle.session, user=cycle.secretary)
    assert agenda.objection_deadline is not None
    time_machine.move_to(agenda.objection_deadline + timedelta(minutes=1))
    response = client_for(cycle.user("USA")).post(
        OBJECTIONS, {"session": str(cycle.session.public_id), "text": "Late"}
    )
    assert response.status_code == 400
    assert "The objection window closed on" in response.json()["detail"]


def test_the_secretariat_answers_through_the_api(cycle):
    """POST …/answer/ records the answer; a delegate cannot answer."""
    services.agenda_circulate(session=cycle.session, user=cycle.secretary)
    objection = objections_services.objection_raise(
        session=cycle.session, user=cycle.user("RUS"), text="x"
    )
    url = f"{OBJECTIONS}{objection.public_id}/answer/"
    assert client_for(cycle.user("RUS")).post(url, {"response": "Mine"}).status_code == 403
    response = client_for(cycle.secretary).post(url, {"response": "Noted; see item 2."})
    assert response.status_code == 200
    assert_documented(response)
    assert response.json()["pending"] is False
    assert client_for(cycle.user("RUS")).get(OBJECTIONS).json()["results"][0]["response"] == (
        "Noted; see item 2."
    )


@pytest.mark.parametrize("rows", [1, 50])
def test_item_list_endpoint_queries_do_not_grow(cycle, rows, django_assert_max_num_queries):
    """The list endpoint's query count is the same for 1 and 50 items."""
    from tests.factories import AgendaItemFactory

    for n in range(rows):
        AgendaItemFactory(agenda=cycle.ukraine_item.agenda, order=10 + n)
    client = client_for(cycle.user("USA"))
    with django_assert_max_num_queries(8):
        response = client.get(f"{ITEMS}?page_size=100")
    assert len(response.json()["results"]) == rows + 2
