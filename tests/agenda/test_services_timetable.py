"""An item's time in the session's timetable: typed at the venue, kept within the session,
shown on the session page, in the builder and in the pack, in winter and in summer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from agenda.models import AgendaItem
from agenda.services.items import agenda_item_add, agenda_item_update
from briefings.selectors.audiences import pack_audience
from briefings.selectors.content import pack_content
from consult.errors import ApplicationError
from tests.factories import PartyFactory, SessionFactory, delegate, secretariat_user

pytestmark = pytest.mark.django_db

# 09:00 UTC is 10:00 in Vienna in winter (UTC+1); 08:00 UTC is 10:00 in summer (UTC+2).
SEASONS = {
    "winter": ("2027-01-05T12:00:00Z", datetime(2027, 1, 15, 9, 0, tzinfo=UTC), 1),
    "summer": ("2027-07-05T12:00:00Z", datetime(2027, 7, 15, 8, 0, tzinfo=UTC), 2),
}


@pytest.fixture(params=sorted(SEASONS))
def season(request) -> Any:
    today, opens, offset = SEASONS[request.param]
    with time_machine.travel(today, tick=False):
        session = SessionFactory(starts_at=opens, ends_at=opens + timedelta(hours=6))
        yield session, offset


def test_builder_reads_the_time_at_the_venue(client, season):
    """10:30 typed in the builder is 10:30 in Vienna, stored in UTC; the field names the zone."""
    session, offset = season
    secretary = secretariat_user()
    client.force_login(secretary)
    url = f"/sessions/{session.public_id}/agenda/"
    assert "Taken up at (venue time, Europe/Vienna)" in client.get(url).content.decode()
    day = session.starts_at.date().isoformat()
    response = client.post(
        url,
        {
            "title": "Black Sea corridor",
            "kind": "off_ramps",
            "distribution": "participants",
            "starts_at": f"{day}T10:30",
            "duration_minutes": "45",
        },
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(session=session)
    assert item.starts_at == datetime.fromisoformat(f"{day}T10:30").replace(tzinfo=UTC) - (
        timedelta(hours=offset)
    )
    assert item.duration_minutes == 45
    html = client.get(f"/sessions/{session.public_id}/").content.decode()
    assert "10:30</time>\N{EN DASH}11:15" in html
    assert "Times are the venue's (Europe/Vienna)." in html


def test_pack_shows_the_slot_at_the_venue(season):
    """The pack (browser and PDF share its template) gives the slot in venue time."""
    session, _ = season
    secretary = secretariat_user()
    agenda_item_add(
        session=session,
        user=secretary,
        title="Threat picture",
        kind="threat_assessment",
        starts_at=session.starts_at + timedelta(minutes=30),
        duration_minutes=60,
    )
    content = pack_content(
        session=session,
        audience=pack_audience(user=secretary, session=session),
        viewer=secretary,
    )
    (item,) = content.items
    assert item.time == "10:30\N{EN DASH}11:30"


def test_a_slot_outside_the_session_is_refused(season):
    """Before the opening, past the close, or a length without a time: each refused."""
    session, _ = season
    secretary = secretariat_user()
    for starts_at, minutes, field in [
        (session.starts_at - timedelta(minutes=1), None, "starts_at"),
        (session.ends_at, None, "starts_at"),
        (session.ends_at - timedelta(minutes=30), 31, "duration_minutes"),
        (None, 30, "starts_at"),
    ]:
        with pytest.raises(ApplicationError) as refused:
            agenda_item_add(
                session=session,
                user=secretary,
                title="Off-ramps",
                kind="off_ramps",
                starts_at=starts_at,
                duration_minutes=minutes,
            )
        assert field in refused.value.fields
    assert not AgendaItem.objects.filter(session=session).exists()


def test_editing_sets_and_clears_the_slot(season):
    """The edit form's values replace the slot; empty ones clear it."""
    session, _ = season
    secretary = secretariat_user()
    item = agenda_item_add(session=session, user=secretary, title="Norms", kind="norms")
    agenda_item_update(
        item=item,
        user=secretary,
        set_timetable=True,
        starts_at=session.starts_at,
        duration_minutes=20,
    )
    item.refresh_from_db()
    assert (item.starts_at, item.ends_at) == (
        session.starts_at,
        session.starts_at + timedelta(minutes=20),
    )
    agenda_item_update(item=item, user=secretary, set_timetable=True)
    item.refresh_from_db()
    assert (item.starts_at, item.duration_minutes) == (None, None)


def test_a_delegate_cannot_set_a_slot(client, season):
    """Only the secretariat builds the agenda: a delegate's post is refused, nothing is kept."""
    session, _ = season
    usa = delegate(PartyFactory(code="USA", name_en="United States"))
    client.force_login(usa)
    response = client.post(
        f"/sessions/{session.public_id}/agenda/",
        {"title": "Mine", "kind": "norms", "distribution": "participants"},
    )
    assert response.status_code in (403, 404)
    assert not AgendaItem.objects.filter(session=session).exists()
