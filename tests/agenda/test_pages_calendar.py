"""The iCalendar feed: a secret token URL per user, parsed back with the icalendar library."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from agenda.models import CalendarFeed
from agenda.services.calendar import calendar_feed_rotate, calendar_token_hash
from agenda.services.invitations import invitation_create
from agenda.services.sessions import session_create, session_transition, session_update
from consult.access import Distribution
from tests.factories import SessionFactory


@pytest.fixture
def sessions(table):
    starts = datetime(2031, 5, 12, 8, 0, tzinfo=UTC)
    invited = session_create(
        kind="regular",
        starts_at=starts,
        ends_at=starts + timedelta(hours=9),
        venue="Hofburg, Vienna",
        title="Spring session",
        user=table.secretary,
    )
    invitation_create(session=invited, party=table.usa, kind="member", user=None, notify=False)
    cancelled = session_create(
        kind="extraordinary",
        starts_at=starts + timedelta(days=20),
        ends_at=starts + timedelta(days=20, hours=3),
        venue="Geneva",
        user=table.secretary,
    )
    invitation_create(session=cancelled, party=table.usa, kind="member", user=None, notify=False)
    session_transition(session=cancelled, to_status="cancelled", user=table.secretary)
    public = SessionFactory(number="CCB/2031/X9", distribution=Distribution.PUBLIC)
    hidden = SessionFactory(number="CCB/2031/X8")
    return {"invited": invited, "cancelled": cancelled, "public": public, "hidden": hidden}


def fetch(client, token: str):
    return client.get(reverse("agenda:calendar_feed", kwargs={"token": token}))


def test_the_feed_is_valid_icalendar_of_the_users_sessions(table, sessions, client):
    """The feed parses back, lists exactly the sessions the user may read, times in UTC."""
    token = calendar_feed_rotate(user=table.usa_head)
    response = fetch(client, token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {
        "CCB/2031/Q2: Spring session",
        sessions["cancelled"].number,
        "CCB/2031/X9",
    }
    spring = events["CCB/2031/Q2: Spring session"]
    assert str(spring["UID"]) == f"session-{sessions['invited'].public_id}@testserver"
    assert spring.decoded("DTSTART") == datetime(2031, 5, 12, 8, 0, tzinfo=UTC)
    assert spring.decoded("DTEND") == datetime(2031, 5, 12, 17, 0, tzinfo=UTC)
    assert spring["DTSTART"].to_ical() == b"20310512T080000Z"
    assert spring.decoded("DTSTAMP").tzinfo is not None
    assert str(spring["LOCATION"]) == "Hofburg, Vienna"
    assert str(spring["STATUS"]) == "TENTATIVE"
    assert str(events[sessions["cancelled"].number]["STATUS"]) == "CANCELLED"
    assert b"\r\n" in response.content


def test_a_new_date_bumps_the_event_sequence(table, sessions, client):
    """Calendar clients replace the event when its date changes (SEQUENCE grows)."""
    token = calendar_feed_rotate(user=table.usa_head)
    session = sessions["invited"]
    session_update(session=session, user=table.secretary, venue="Redoutensaal")
    calendar = Calendar.from_ical(fetch(client, token).content)
    event = next(
        e
        for e in calendar.walk("VEVENT")
        if str(e["UID"]).startswith(f"session-{session.public_id}")
    )
    assert event.decoded("SEQUENCE") == 1
    assert str(event["LOCATION"]) == "Redoutensaal"


def test_only_the_tokens_hash_is_stored(table):
    """The database holds a SHA-256 of the token, never the token."""
    token = calendar_feed_rotate(user=table.usa_head)
    feed = CalendarFeed.objects.get(user=table.usa_head)
    assert feed.token_hash == calendar_token_hash(token)
    assert token not in feed.token_hash


def test_rotating_revokes_the_old_url(table, sessions, client):
    """A new token switches the old URL off at once."""
    old = calendar_feed_rotate(user=table.usa_head)
    new = calendar_feed_rotate(user=table.usa_head)
    assert fetch(client, old).status_code == 404
    assert fetch(client, new).status_code == 200


@pytest.mark.parametrize("token", ["", "x", "not-a-token-at-all-0123456789abcdefghijklmnopq"])
def test_unknown_tokens_answer_404(table, client, token):
    """A wrong token answers like a missing page."""
    if not token:
        assert client.get("/calendar/.ics").status_code == 404
    else:
        assert fetch(client, token).status_code == 404


def test_a_deactivated_user_loses_the_feed(table, sessions, client):
    """When the user is deactivated the URL stops answering."""
    token = calendar_feed_rotate(user=table.usa_head)
    table.usa_head.is_active = False
    table.usa_head.save()
    assert fetch(client, token).status_code == 404


def test_the_feed_follows_the_access_rule_on_each_request(table, sessions, client):
    """A delegate whose membership ended sees public sessions only in the feed."""
    token = calendar_feed_rotate(user=table.usa_head)
    membership = table.usa_head.delegation_memberships.get()
    membership.valid_until = membership.valid_from + timedelta(days=1)
    membership.save()
    calendar = Calendar.from_ical(fetch(client, token).content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["CCB/2031/X9"]


def test_the_calendar_page_shows_the_url_once_and_rotates_it(table, client):
    """The page issues a URL, shows it only in that answer, and can switch it off."""
    client.force_login(table.usa_head)
    page = reverse("agenda:calendar")
    assert b"Issue my calendar address" in client.get(page).content
    issued = client.post(page, {"action": "rotate"})
    assert issued.status_code == 200
    assert issued["Cache-Control"] == "no-store"
    url = issued.context["feed_url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeed.objects.get(user=table.usa_head).token_hash == calendar_token_hash(token)
    assert token.encode() not in client.get(page).content
    client.post(page, {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=table.usa_head).exists()
    assert client.get(url).status_code == 404
