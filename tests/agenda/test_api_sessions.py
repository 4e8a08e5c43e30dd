"""``/api/v1/sessions/`` and ``/api/v1/invitations/`` through HTTP."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agenda.models import Invitation, Session, SessionGrant
from agenda.services.invitations import invitation_create
from consult.access import Distribution
from tests.factories import AgendaItemFactory, SessionFactory
from tests.openapi import assert_documented

SESSIONS = reverse("session-list")
INVITATIONS = reverse("invitation-list")


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def session_url(session, action: str | None = None) -> str:
    if action:
        return reverse(f"session-{action}", kwargs={"id": session.public_id})
    return reverse("session-detail", kwargs={"id": session.public_id})


def invitation_url(invitation, action: str) -> str:
    return reverse(f"invitation-{action}", kwargs={"id": invitation.public_id})


def ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def invite(session, party, kind="member", **fields) -> Invitation:
    return invitation_create(
        session=session, party=party, kind=kind, user=None, notify=False, **fields
    )


@pytest.fixture
def world(table):
    """A session the table is invited to (with Ukraine on item 2 only), a public one,
    and a participants session nobody was invited to."""
    quarter = str(table.quarter)
    invited = SessionFactory(number="CCB/T/X1", quarter=quarter, kind=Session.Kind.REGULAR)
    items = [
        AgendaItemFactory(agenda__session=invited, order=1, title="Norms"),
        AgendaItemFactory(agenda__session=invited, order=2, title="Ukraine"),
        AgendaItemFactory(
            agenda__session=invited,
            order=3,
            title="Red lines",
            distribution=Distribution.SEAT_HOLDERS,
        ),
    ]
    for party in table.seat_holders:
        invite(invited, party)
    invite(invited, table.csto, "observer")
    invite(invited, table.ukr, "ad_hoc", item=items[1])
    later = invited.starts_at + timedelta(days=1)
    public = SessionFactory(
        number="CCB/T/X2", quarter=quarter, distribution=Distribution.PUBLIC, starts_at=later
    )
    closed_door = SessionFactory(
        number="CCB/T/X3", quarter=quarter, starts_at=later + timedelta(days=1)
    )
    return {"invited": invited, "items": items, "public": public, "closed_door": closed_door}


# Reading sessions


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("secretary", {"invited", "public", "closed_door"}),
        ("usa_head", {"invited", "public"}),
        ("ukr_delegate", {"invited", "public"}),
        ("csto_delegate", {"invited", "public"}),
        ("analyst", {"public"}),
    ],
)
def test_the_list_holds_exactly_the_sessions_the_caller_may_read(table, world, who, expected):
    """Lists are filtered by the access rule, not only single objects."""
    got = ids(api(getattr(table, who)).get(SESSIONS))
    assert got == {str(world[name].public_id) for name in expected}


def test_anonymous_callers_are_refused(world):
    """The API needs an account or a token."""
    assert api().get(SESSIONS).status_code in (401, 403)


def test_items_summary_holds_only_readable_items(table, world):
    """Ukraine sees its one item; the observer no seat-holders item; a seat-holder all three."""

    def titles(user) -> list[str]:
        response = api(user).get(session_url(world["invited"]))
        assert response.status_code == 200
        return [item["title"] for item in response.json()["items"]]

    assert titles(table.ukr_delegate) == ["Ukraine"]
    assert titles(table.csto_delegate) == ["Norms", "Ukraine"]
    assert titles(table.usa_head) == ["Norms", "Ukraine", "Red lines"]


def test_chair_and_troika_are_nested(table, world):
    """Each session carries its chair seat and the troika of its quarter."""
    world["invited"].chair = table.usa.seats.get()
    world["invited"].save()
    body = api(table.usa_head).get(session_url(world["invited"])).json()
    assert body["chair"] == {"seat": "USA", "name": "United States", "party": "USA"}
    assert [member["party"] for member in body["troika"]] == ["EU", "USA", "RUS"]


def test_filters_by_quarter_kind_and_status(table, world):
    """quarter, kind and status narrow the list; a bad choice is a 400."""
    client = api(table.secretary)
    Session.objects.filter(pk=world["public"].pk).update(quarter="2020Q1", status="held")
    assert ids(client.get(SESSIONS, {"quarter": "2020Q1"})) == {str(world["public"].public_id)}
    assert ids(client.get(SESSIONS, {"kind": "regular"})) == {str(world["invited"].public_id)}
    assert ids(client.get(SESSIONS, {"status": "held"})) == {str(world["public"].public_id)}
    assert client.get(SESSIONS, {"status": "sleeping"}).status_code == 400


def test_a_refused_session_answers_like_a_missing_one(table, world):
    """404 with the same body for a session that exists but is refused and one that does not."""
    client = api(table.usa_head)
    refused = client.get(session_url(world["closed_door"]))
    missing = client.get(reverse("session-detail", kwargs={"id": uuid.uuid4()}))
    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content


@pytest.mark.parametrize("rows", [1, 50])
def test_the_list_takes_a_fixed_number_of_queries(table, rows, django_assert_max_num_queries):
    """Sessions, items and grants may grow; the list's query count does not."""
    for n in range(rows):
        session = SessionFactory(number=f"CCB/T/Y{n}", quarter=str(table.quarter))
        for order in (1, 2):
            AgendaItemFactory(agenda__session=session, order=order)
        invite(session, table.usa)
        invite(session, table.csto, "observer")
    client = api(table.usa_head)
    with django_assert_max_num_queries(12):
        response = client.get(SESSIONS)
    assert len(response.json()["results"]) == rows
    assert all(len(row["items"]) == 2 for row in response.json()["results"])


def test_the_list_does_not_load_the_items_guests(table):
    """A session lists its items' titles; its items' invitations stay in the database."""
    session = SessionFactory(number="CCB/T/G1", quarter=str(table.quarter))
    item = AgendaItemFactory(agenda__session=session, order=1)
    invite(session, table.usa)
    invite(session, table.csto, "ad_hoc", item=item, reason="Speaks on the item")
    with CaptureQueriesContext(connection) as queries:
        response = api(table.secretary).get(SESSIONS)
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"][0]["items"]] == [item.title]
    assert not [query for query in queries if '"agenda_invitation"' in query["sql"]]


# Writing sessions


def test_the_secretariat_creates_a_regular_session(table):
    """POST creates a numbered draft session."""
    starts = timezone.now() + timedelta(days=400)
    response = api(table.secretary).post(
        SESSIONS,
        {
            "kind": "regular",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=8)).isoformat(),
            "venue": "Hofburg",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["number"].startswith("CCB/")
    assert response.json()["status"] == "draft"


def convene_payload(starts) -> dict[str, str]:
    return {
        "kind": "extraordinary",
        "venue": "Vienna",
        "reason": "Crisis.",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=3)).isoformat(),
    }


def test_the_secretariat_convenes_through_the_api_within_72_hours(table):
    """kind=extraordinary convenes: within 72 hours, else a 400 with the reason."""
    client = api(table.secretary)
    ok = client.post(SESSIONS, convene_payload(timezone.now() + timedelta(hours=30)))
    assert ok.status_code == 201, ok.content
    assert ok.json()["status"] == "scheduled"
    refused = client.post(SESSIONS, convene_payload(timezone.now() + timedelta(days=5)))
    assert refused.status_code == 400
    assert "within 72 hours" in refused.json()["detail"]


def test_overlaps_and_illegal_transitions_answer_400_with_the_reason(table, world):
    """Refusals are 400 with the service's message; nothing changes."""
    client = api(table.secretary)
    soon = SessionFactory(number="CCB/T/X7", starts_at=timezone.now() + timedelta(hours=24))
    overlap = client.post(SESSIONS, convene_payload(soon.starts_at + timedelta(hours=1)))
    assert overlap.status_code == 400
    assert "overlap CCB/T/X7" in overlap.json()["detail"]
    other = world["invited"]
    illegal = client.post(session_url(other, "transition"), {"status": "closed"})
    assert illegal.status_code == 400
    assert "cannot become closed" in illegal.json()["detail"]
    other.refresh_from_db()
    assert other.status == "scheduled"
    moved = client.post(session_url(other, "transition"), {"status": "in_session"})
    assert moved.status_code == 200
    assert_documented(moved)
    assert moved.json()["status"] == "in_session"


@pytest.mark.parametrize("who", ["usa_head", "analyst"])
def test_delegates_and_analysts_cannot_write_sessions(table, world, who):
    """Writes are the secretariat's: 403 for delegates and analysts."""
    client = api(getattr(table, who))
    target = world["public"]
    assert client.patch(session_url(target), {"venue": "X"}).status_code == 403
    assert (
        client.post(session_url(target, "transition"), {"status": "cancelled"}).status_code == 403
    )
    assert client.post(SESSIONS, {"kind": "regular"}).status_code == 403
    target.refresh_from_db()
    assert (target.venue, target.status) == ("Hofburg, Vienna", "scheduled")


def test_the_secretariat_changes_the_venue(table, world, django_capture_on_commit_callbacks):
    """PATCH changes the venue and notifies the invited delegates."""
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        response = api(table.secretary).patch(session_url(world["invited"]), {"venue": "Geneva"})
    assert response.status_code == 200, response.content
    assert response.json()["venue"] == "Geneva"
    assert len(mail.outbox) == 5


# Invitations


def test_invitations_list_for_secretariat_and_own_delegation(table, world):
    """The secretariat reads all; a delegation its own; filters narrow the list."""
    every = ids(api(table.secretary).get(INVITATIONS))
    assert len(every) == 6
    own = api(table.ukr_delegate).get(INVITATIONS).json()["results"]
    assert [(row["party"], row["kind"], row["item"]["id"]) for row in own] == [
        ("UKR", "ad_hoc", str(world["items"][1].public_id))
    ]
    assert len(ids(api(table.secretary).get(INVITATIONS, {"party": "rus"}))) == 1
    assert len(ids(api(table.secretary).get(INVITATIONS, {"kind": "member"}))) == 4
    filtered = api(table.secretary).get(INVITATIONS, {"session": str(world["public"].public_id)})
    assert ids(filtered) == set()


def test_the_secretariat_invites_and_a_duplicate_is_refused(table, world):
    """POST invites; the same party again is a 400 naming it."""
    client = api(table.secretary)
    payload = {"session": str(world["public"].public_id), "party": "ukr", "kind": "ad_hoc"}
    created = client.post(INVITATIONS, payload)
    assert created.status_code == 201, created.content
    assert created.json()["party"] == "UKR"
    again = client.post(INVITATIONS, payload)
    assert again.status_code == 400
    assert "Ukraine is already invited" in again.json()["detail"]


def test_a_delegation_answers_its_own_invitation_only(table, world):
    """RUS accepts its invitation; USA cannot even see it (404); analysts cannot write."""
    rus = Invitation.objects.get(party=table.rus, session=world["invited"])
    assert api(table.usa_head).post(invitation_url(rus, "accept")).status_code == 404
    assert api(table.analyst).post(invitation_url(rus, "accept")).status_code == 403
    accepted = api(table.rus_adviser).post(invitation_url(rus, "accept"))
    assert accepted.status_code == 200
    assert_documented(accepted)
    assert accepted.json()["status"] == "accepted"
    declined = api(table.rus_head).post(invitation_url(rus, "decline"))
    assert_documented(declined)
    assert declined.json()["status"] == "declined"


def test_revoking_is_the_secretariats_and_ends_access(table, world):
    """A delegation cannot revoke; the secretariat's revocation removes the grants."""
    ukr = Invitation.objects.get(party=table.ukr)
    assert api(table.ukr_delegate).post(invitation_url(ukr, "revoke")).status_code == 403
    revoked = api(table.secretary).post(invitation_url(ukr, "revoke"))
    assert revoked.status_code == 200
    assert_documented(revoked)
    assert revoked.json()["status"] == "revoked"
    assert not SessionGrant.objects.filter(group=table.ukr.delegation.group).exists()
    assert api(table.ukr_delegate).get(session_url(world["invited"])).status_code == 404


def test_the_api_refuses_to_move_a_session_into_the_past(table, world):
    """400 with the reason on the field; the session keeps its date."""
    session = world["invited"]
    before = session.starts_at
    past = timezone.now() - timedelta(hours=3)
    response = api(table.secretary).patch(
        session_url(session),
        {"starts_at": past.isoformat(), "ends_at": (past + timedelta(hours=1)).isoformat()},
    )
    assert response.status_code == 400, response.content
    assert "cannot be moved into the past" in response.content.decode()
    session.refresh_from_db()
    assert session.starts_at == before
