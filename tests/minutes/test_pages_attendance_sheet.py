"""The attendance of every invited party in one submit, for the secretariat only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minutes.models import Attendance, Minutes
from minutes.services import record as record_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_minutes(world) -> Minutes:
    return record_services.minutes_create(session=world.session, user=world.user("sec"))


def sheet_url(minutes: Minutes) -> str:
    return f"/minutes/{minutes.public_id}/attendance/all/"


def test_one_submit_records_every_ticked_party(world, open_minutes, client_for):
    """The sheet lists every invited party with its delegates; one post records the ticked
    ones with the chosen delegates, and the sheet then shows them ticked."""
    client = client_for(world.user("sec"))
    html = client.get(sheet_url(open_minutes)).content.decode()
    for code in ("USA", "RUS", "NATO", "EU", "FRA", "DEU", "CSTO", "UKR"):
        assert f'name="present-{code}"' in html, code
    us, ru = world.user("us"), world.user("ru")
    response = client.post(
        sheet_url(open_minutes),
        {
            "present-USA": "on",
            "delegates-USA": [str(us.pk)],
            "present-RUS": "on",
            "delegates-RUS": [str(ru.pk)],
            "present-NATO": "on",
        },
    )
    assert response.status_code == 302
    recorded = {
        a.party.code: [u.username for u in a.delegates.all()]
        for a in Attendance.objects.filter(minutes=open_minutes)
    }
    assert recorded == {"USA": ["us"], "RUS": ["ru"], "NATO": []}
    again = client.get(sheet_url(open_minutes)).content.decode()
    assert 'name="present-USA" id="id_present-USA" checked' in again


def test_a_delegate_of_another_party_is_not_offered_nor_taken(world, open_minutes, client_for):
    """Russia's delegate posted under the USA is not an option; nothing is recorded for a
    sheet that fails."""
    client = client_for(world.user("sec"))
    response = client.post(
        sheet_url(open_minutes),
        {"present-USA": "on", "delegates-USA": [str(world.user("ru").pk)], "present-RUS": "on"},
    )
    assert response.status_code == 400
    assert not Attendance.objects.filter(minutes=open_minutes).exists()


def test_an_empty_sheet_is_refused(world, open_minutes, client_for):
    """Saving with nobody ticked says so, and records nothing."""
    response = client_for(world.user("sec")).post(sheet_url(open_minutes), {})
    assert response.status_code == 400
    assert "Tick at least one party" in response.content.decode()


def test_only_the_secretariat_opens_the_sheet(world, open_minutes, client_for):
    """Delegates (even of an attending party) and analysts get the 404 of a missing page."""
    for name in ("us", "ua", "outsider"):
        client = client_for(world.user(name))
        assert client.get(sheet_url(open_minutes)).status_code == 404, name
        assert client.post(sheet_url(open_minutes), {"present-USA": "on"}).status_code == 404
    assert not Attendance.objects.filter(minutes=open_minutes).exists()


def test_the_sheet_costs_the_same_queries_with_more_recorded(world, open_minutes, client_for):
    """Rendering the sheet does not cost a query per party or delegate."""
    client = client_for(world.user("sec"))
    record_services.attendance_record(
        minutes=open_minutes, party=world.parties["USA"], user=world.user("sec")
    )
    with CaptureQueriesContext(connection) as few:
        client.get(sheet_url(open_minutes))
    for code in ("RUS", "NATO", "EU", "FRA", "DEU"):
        record_services.attendance_record(
            minutes=open_minutes, party=world.parties[code], user=world.user("sec")
        )
    with CaptureQueriesContext(connection) as many:
        client.get(sheet_url(open_minutes))
    assert len(many) == len(few)
