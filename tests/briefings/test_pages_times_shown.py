"""Every time the platform shows, checked in winter and in summer against hand-written text.

A session at 09:00 UTC opens at 10:00 in Vienna in December (CET, UTC+1) and at
11:00 in June (CEST, UTC+2). The pages, the pack in the browser and in the
PDF, the e-mails and the iCalendar feed must all say so, whichever zone is
active when they are rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from agenda.models import Session
from agenda.services.calendar import calendar_feed_rotate
from agenda.services.notifications import session_summary
from agenda.services.sessions import session_update
from consult.times import format_in_zone, utc_text
from notices.models import Notification
from tests.briefings.packs import Table, build_packs, pages_text


@dataclass(frozen=True)
class Season:
    starts: datetime
    venue_opens: str
    venue_closes: str
    utc_opens: str
    mail_opens: str


WINTER = Season(
    starts=datetime(2026, 12, 12, 9, 0, tzinfo=UTC),
    venue_opens="Sat 12 Dec 2026, 10:00",
    venue_closes="Sat 12 Dec 2026, 17:00",
    utc_opens="12 Dec 2026, 09:00",
    mail_opens="Saturday 12 December 2026, 10:00",
)
SUMMER = Season(
    starts=datetime(2027, 6, 15, 9, 0, tzinfo=UTC),
    venue_opens="Tue 15 Jun 2027, 11:00",
    venue_closes="Tue 15 Jun 2027, 18:00",
    utc_opens="15 Jun 2027, 09:00",
    mail_opens="Tuesday 15 June 2027, 11:00",
)
SEASONS = pytest.mark.parametrize("season", [WINTER, SUMMER], ids=["winter", "summer"])


def at(table: Table, season: Season) -> Session:
    """The table's session moved to the season's date (seven hours long)."""
    Session.objects.filter(pk=table.session.pk).update(
        starts_at=season.starts, ends_at=season.starts + timedelta(hours=7)
    )
    table.session.refresh_from_db()
    return table.session


@pytest.fixture
def tokyo_active():
    """A zone active in the thread (as a user's preference would be) changes nothing shown."""
    timezone.activate("Asia/Tokyo")
    yield
    timezone.deactivate()


@SEASONS
def test_the_helper_shows_the_venue_clock(season: Season) -> None:
    """format_in_zone reads the venue's wall clock, even with another zone active."""
    timezone.activate("Asia/Tokyo")
    try:
        assert format_in_zone(season.starts, "Europe/Vienna", "D j M Y, H:i") == season.venue_opens
        assert utc_text(season.starts, "j M Y, H:i") == f"{season.utc_opens} UTC"
    finally:
        timezone.deactivate()
    assert format_in_zone(None, "Europe/Vienna", "H:i") == ""


@SEASONS
def test_the_session_page_shows_venue_and_utc_times(client, table, season, tokyo_active) -> None:
    session = at(table, season)
    client.force_login(table.secretary)
    response = client.get(reverse("agenda:session_detail", kwargs={"public_id": session.public_id}))
    text = response.content.decode()
    assert f"{season.venue_opens} \N{EN DASH} {season.venue_closes}" in text
    assert f"{season.utc_opens} \N{EN DASH} " in text


@SEASONS
def test_the_session_page_shows_the_viewers_zone(client, table, season) -> None:
    """A viewer who chose New York sees the session's time there too (EST / EDT)."""
    session = at(table, season)
    client.force_login(table.secretary)
    client.post(reverse("notices:viewer_timezone_set"), {"timezone": "America/New_York"})
    response = client.get(reverse("agenda:session_detail", kwargs={"public_id": session.public_id}))
    expected = "12 Dec 2026, 04:00" if season is WINTER else "15 Jun 2027, 05:00"
    assert f"{expected} \N{EN DASH} " in response.content.decode()


@SEASONS
def test_the_pack_shows_the_venue_time_in_the_browser_and_the_pdf(
    client, table, season, tokyo_active
) -> None:
    """The reported defect: 'Opens Sat 12 Dec 2026, 09:00 Europe/Vienna' for a 10:00 session."""
    session = at(table, season)
    build_packs(session, only=[table.user("USA")])
    client.force_login(table.user("USA"))
    page = client.get(reverse("briefings:pack_detail", kwargs={"public_id": session.public_id}))
    html = " ".join(page.content.decode().split())
    day_month = season.utc_opens.rsplit(" ", 2)[0].replace(" 2026", "").replace(" 2027", "")
    weekday = season.venue_opens.split(" ", 1)[0]
    assert f"{season.venue_opens} Europe/Vienna" in html
    assert f"{season.venue_closes} Europe/Vienna" in html
    assert f"({weekday} {day_month}, 09:00 UTC)" in html
    download = client.get(
        reverse("briefings:pack_download", kwargs={"public_id": session.public_id})
    )
    first_page = pages_text(b"".join(download.streaming_content))[0]
    assert f"{season.venue_opens} Europe/Vienna" in first_page
    assert f"({weekday} {day_month}, 09:00 UTC)" in first_page


@SEASONS
def test_e_mails_give_the_venue_and_utc_times(table, season, tokyo_active) -> None:
    session = at(table, season)
    summary = session_summary(session)
    assert f"From {season.mail_opens} to " in summary
    assert "(Europe/Vienna)" in summary
    long_utc = "12 December 2026, 09:00 UTC" if season is WINTER else "15 June 2027, 09:00 UTC"
    assert long_utc in summary


@SEASONS
def test_a_change_notice_gives_the_new_venue_time(table, season, tokyo_active) -> None:
    """The notice recorded when a session moves names its time at the venue."""
    session = at(table, season)
    session_update(session=session, user=table.secretary, venue="Redoutensaal")
    bodies = list(Notification.objects.filter(session=session).values_list("body", flat=True))
    assert bodies, "invited delegates are notified of the change"
    assert all(f"From {season.mail_opens} to " in body for body in bodies)


@SEASONS
def test_the_calendar_feed_gives_utc_instants(client, table, season) -> None:
    session = at(table, season)
    token = calendar_feed_rotate(user=table.user("USA"))
    response = client.get(reverse("agenda:calendar_feed", kwargs={"token": token}))
    events = {
        str(event["UID"]): event for event in Calendar.from_ical(response.content).walk("VEVENT")
    }
    event = next(e for uid, e in events.items() if str(session.public_id) in uid)
    stamp = season.starts.strftime("%Y%m%dT%H%M%SZ")
    assert event["DTSTART"].to_ical() == stamp.encode()
    assert event.decoded("DTSTART") == season.starts
