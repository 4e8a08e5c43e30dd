"""The dashboard's action centre: each line per role, each one click from where it is done,
what another delegation must not see, and queries that do not grow with rows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agenda.models import (
    Agenda,
    ExtraordinaryRequest,
    Invitation,
    Session,
    SessionGrant,
)
from agenda.services.objections import objection_answer, objection_raise
from briefings.models import BuildStatus, Pack, PackReceipt, PackRender
from briefings.selectors.actions import action_centre
from briefings.selectors.actions_base import ActionCentre
from consult.access import ATTEND_SESSION, SIT_SESSION, VIEW_SESSION
from consult.quarters import Quarter
from members.selectors.users import user_roles
from minutes.models import Position
from minutes.services import communiques as communiques_services
from minutes.services import positions as positions_services
from minutes.services import record as record_services
from minutes.services import review as review_services
from notices.models import Notification
from tests.factories import analyst_user
from tests.minutes.conftest import World, _grant, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(db) -> World:
    """A session held two days ago (USA, RUS, NATO, EU, FRA seated; DEU invited; UKR ad hoc)."""
    return build_world()


def add_session(
    world: World,
    number: str,
    starts_at: datetime,
    *,
    status: str = Session.Status.SCHEDULED,
    agenda: str = Agenda.Status.CIRCULATED,
) -> Session:
    """An extraordinary session with the held one's table: the same invitations and grants."""
    session = Session.objects.create(
        number=number,
        kind=Session.Kind.EXTRAORDINARY,
        quarter=str(Quarter.of(starts_at)),
        title="Extraordinary consultation",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=8),
        venue="Vienna",
        status=status,
        chair=world.session.chair,
    )
    circulated = agenda == Agenda.Status.CIRCULATED
    Agenda.objects.create(
        session=session,
        status=agenda,
        circulated_at=timezone.now() if circulated else None,
        objection_deadline=timezone.now() + timedelta(days=3) if circulated else None,
    )
    for code in ("USA", "RUS", "NATO", "EU", "FRA", "DEU"):
        Invitation.objects.create(
            session=session, party=world.parties[code], kind="member", status="accepted"
        )
        group = world.parties[code].delegation.group
        _grant(Session, SessionGrant, session, group, ATTEND_SESSION)
        if code != "DEU":
            _grant(Session, SessionGrant, session, group, SIT_SESSION)
    Invitation.objects.create(
        session=session, party=world.parties["CSTO"], kind="observer", status="accepted"
    )
    _grant(Session, SessionGrant, session, world.parties["CSTO"].delegation.group, ATTEND_SESSION)
    _grant(Session, SessionGrant, session, world.parties["UKR"].delegation.group, VIEW_SESSION)
    return session


@pytest.fixture
def upcoming(held) -> Session:
    """The next session, in ten days, with its provisional agenda circulated for objections."""
    return add_session(held, "CCB/T/2", timezone.now() + timedelta(days=10))


@pytest.fixture
def minutes(held) -> Any:
    """Draft minutes of the held session, every invited party attending."""
    record = record_services.minutes_create(session=held.session, user=held.user("sec"))
    for party in held.parties.values():
        delegates = list(
            get_user_model().objects.filter(delegation_memberships__delegation__party=party)
        )
        record_services.attendance_record(
            minutes=record, party=party, user=held.user("sec"), delegates=delegates
        )
    return record


def dashboard(client: Any, user: Any) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def centre_of(user: Any) -> ActionCentre | None:
    roles = user_roles(user=user)
    return action_centre(user=user, secretariat=roles.is_secretariat, delegate=roles.is_delegate)


def line(user: Any, key: str) -> list[Any]:
    centre = centre_of(user)
    assert centre is not None
    return centre.line(key).actions


def make_pack(
    session: Session, user: Any, party: Any, *, status: str = BuildStatus.READY, version: str = "c1"
) -> Pack:
    render = PackRender.objects.create(
        session=session, content_version=version, audience_key=uuid.uuid4().hex, status=status
    )
    return Pack.objects.create(
        render=render,
        session=session,
        content_version=version,
        user=user,
        party=party,
        status=status,
    )


def circulate(world: World) -> Any:
    communique = communiques_services.communique_draft(
        session=world.session,
        user=world.user("sec"),
        title="Joint communiqué on the corridor",
        text="<p>The participants met.</p>",
    )
    return communiques_services.communique_circulate(
        communique=communique,
        user=world.user("sec"),
        deadline=timezone.now() + timedelta(days=2),
        silence_procedure=False,
    )


# A delegate's lines


def test_next_session_links_to_the_session_and_the_pack_in_its_state(held, upcoming, client):
    """The next session is listed; its pack is new, then read, then updated since last read."""
    us = held.user("us")
    assert [a.session for a in line(us, "next_session")] == ["CCB/T/2"]
    assert line(us, "next_session")[0].url == upcoming.get_absolute_url()

    pack = make_pack(upcoming, us, held.parties["USA"])
    pack_action = line(us, "next_session")[1]
    assert pack_action.status == "new"
    assert pack_action.url == f"/sessions/{upcoming.public_id}/pack/"

    PackReceipt.objects.create(session=upcoming, pack=pack, user=us, action="view")
    assert line(us, "next_session")[1].status == "read"

    Pack.objects.filter(pk=pack.pk).update(created_at=timezone.now() - timedelta(days=1))
    make_pack(upcoming, us, held.parties["USA"], version="c2")
    assert line(us, "next_session")[1].status == "updated"
    html = dashboard(client, us)
    assert "updated since you last read it" in html
    assert f'href="/sessions/{upcoming.public_id}/pack/"' in html


def test_next_session_shows_no_pack_link_before_a_copy_exists(held, upcoming):
    """Without a copy for the delegate, the line names the session and nothing else."""
    assert len(line(held.user("us"), "next_session")) == 1


def test_a_session_already_held_is_not_the_next_one(held):
    """Only sessions still ahead are the next session."""
    assert line(held.user("us"), "next_session") == []


def test_objection_windows_are_for_seat_holders_only(held, upcoming):
    """A seat-holder sees the open window with its deadline; an invited member without a seat,
    an ad hoc party and an observer do not (they may not object)."""
    (action,) = line(held.user("us"), "objection_windows")
    assert action.url == f"/sessions/{upcoming.public_id}/agenda/objections/new/"
    assert action.due == upcoming.agenda.objection_deadline
    for name in ("de", "ua", "csto"):
        assert line(held.user(name), "objection_windows") == [], name


def test_a_closed_objection_window_is_not_listed(held, upcoming):
    """Past its deadline, the window is gone from the list."""
    Agenda.objects.filter(session=upcoming).update(
        objection_deadline=timezone.now() - timedelta(minutes=1)
    )
    assert line(held.user("us"), "objection_windows") == []


def test_drafts_awaiting_position_until_the_delegation_states_it(held, client):
    """A circulated draft waits for the USA's position with its deadline until the USA states
    it; Russia's position and reservation never show on the US dashboard."""
    communique = circulate(held)
    (action,) = line(held.user("us"), "drafts_awaiting_position")
    assert action.url == communique.get_absolute_url()
    assert action.due == communique.deadline

    positions_services.position_state(
        communique=communique,
        party=held.parties["RUS"],
        user=held.user("ru"),
        stance=Position.Stance.RESERVATION,
        reservation="RUSSIAN RESERVATION ON PARAGRAPH 2",
    )
    html = dashboard(client, held.user("us"))
    assert "Joint communiqué on the corridor" in html
    assert "RUSSIAN RESERVATION" not in html
    assert "Associates with a reservation" not in html
    assert line(held.user("ru"), "drafts_awaiting_position") == []

    positions_services.position_state(
        communique=communique,
        party=held.parties["USA"],
        user=held.user("us"),
        stance=Position.Stance.ASSOCIATES,
    )
    assert line(held.user("us"), "drafts_awaiting_position") == []


def test_drafts_are_not_shown_to_parties_without_a_seat(held):
    """An invited member without a seat, an ad hoc party and an observer state no position."""
    circulate(held)
    for name in ("de", "ua", "csto"):
        assert line(held.user(name), "drafts_awaiting_position") == [], name


def test_minutes_to_review_once_circulated(held, minutes):
    """Circulated minutes are to review by the attending delegations; drafts are not shown."""
    assert line(held.user("us"), "minutes_to_review") == []
    record_services.statement_record(
        minutes=minutes,
        item=held.items[0],
        party=held.parties["USA"],
        user=held.user("sec"),
        summary="The United States opened the debate.",
        speaker=held.user("us"),
    )
    review_services.minutes_circulate(minutes=minutes, user=held.user("sec"))
    (action,) = line(held.user("us"), "minutes_to_review")
    assert action.url == minutes.get_absolute_url()


def test_own_objections_and_their_answers_only(held, upcoming, client):
    """The USA sees its objection, then the secretariat's answer; Russia sees neither."""
    objection = objection_raise(
        session=upcoming, user=held.user("us"), text="US OBJECTION TO ITEM TWO"
    )
    (action,) = line(held.user("us"), "my_objections")
    assert action.status == "waiting"
    assert action.url == upcoming.get_absolute_url()
    objection_answer(objection=objection, user=held.user("sec"), response="Kept, as amended.")
    (action,) = line(held.user("us"), "my_objections")
    assert (action.status, action.detail) == ("answered", "Answer: Kept, as amended.")
    assert line(held.user("ru"), "my_objections") == []
    assert "US OBJECTION" not in dashboard(client, held.user("ru"))


def test_unread_notices_until_the_notices_page_is_opened(held, upcoming, client):
    """The delegate's own unread notices are listed; opening the notices page reads them.
    Another delegate's notices are never listed."""
    Notification.objects.create(
        user=held.user("us"), session=upcoming, key="reminder-7d", subject="US REMINDER"
    )
    Notification.objects.create(
        user=held.user("ru"), session=upcoming, key="reminder-7d", subject="RU REMINDER"
    )
    (action,) = line(held.user("us"), "unread_notices")
    assert action.text == "US REMINDER"
    assert action.url == "/notices/"
    html = dashboard(client, held.user("us"))
    assert "RU REMINDER" not in html

    notices = client.get("/notices/").content.decode()
    assert "US REMINDER" in notices
    assert "RU REMINDER" not in notices
    assert line(held.user("us"), "unread_notices") == []
    assert [a.text for a in line(held.user("ru"), "unread_notices")] == ["RU REMINDER"]


def test_notices_of_a_session_no_longer_readable_are_not_listed(held, upcoming):
    """A former delegate's notices go with their access."""
    Notification.objects.create(
        user=held.user("us"), session=upcoming, key="change-1", subject="MOVED"
    )
    held.user("us").delegation_memberships.update(valid_until=timezone.now() - timedelta(days=1))
    assert centre_of(held.user("us")) is None


def test_notices_page_needs_an_account(client):
    """Anonymous visitors are sent to log in."""
    response = client.get("/notices/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_delegate_sees_no_secretariat_line(held, upcoming, client):
    """A delegate's action centre has the delegate's lines only."""
    centre = centre_of(held.user("us"))
    assert centre is not None
    assert [line.key for line in centre.lines] == [
        "next_session",
        "objection_windows",
        "drafts_awaiting_position",
        "minutes_to_review",
        "my_objections",
        "unread_notices",
    ]
    assert "Unanswered objections" not in dashboard(client, held.user("us"))


def test_no_action_centre_without_a_role(held, client):
    """An account with no delegation, and an analyst of no delegation, have no action centre."""
    for user in (held.user("outsider"), analyst_user()):
        assert centre_of(user) is None
        assert "Action centre" not in dashboard(client, user)


# The secretariat's lines


def test_secretariat_sees_what_each_session_lacks(held, upcoming, client):
    """The upcoming session lacks its pack and an answer to an invitation; the held one its
    minutes; a draft agenda is not circulated. Each lack links where it is done."""
    Invitation.objects.filter(session=upcoming, party=held.parties["CSTO"]).update(status="sent")
    third = add_session(
        held,
        "CCB/T/3",
        timezone.now() + timedelta(days=40),
        status=Session.Status.DRAFT,
        agenda=Agenda.Status.DRAFT,
    )

    lacks = {
        (a.session, a.text): a.url
        for a in line(held.user("sec"), "sessions_lacking")
        if a.status == "lacks"
    }
    assert lacks == {
        ("CCB/T/1", "Minutes not opened"): f"/minutes/#open-{held.session.public_id}",
        ("CCB/T/2", "1 of 7 invitations unanswered"): f"/sessions/{upcoming.public_id}/#table",
        ("CCB/T/2", "Briefing pack not built"): f"/sessions/{upcoming.public_id}/#briefing-pack",
        ("CCB/T/3", "Agenda not circulated"): f"/sessions/{third.public_id}/agenda/",
        ("CCB/T/3", "Briefing pack not built"): f"/sessions/{third.public_id}/#briefing-pack",
    }
    html = dashboard(client, held.user("sec"))
    assert f'href="/minutes/#open-{held.session.public_id}"' in html


def test_a_session_with_everything_is_not_listed(held, upcoming):
    """Once the pack is built and every invitation answered, the session lacks nothing."""
    Session.objects.filter(pk=held.session.pk).update(status=Session.Status.CLOSED)
    make_pack(upcoming, held.user("us"), held.parties["USA"])
    assert line(held.user("sec"), "sessions_lacking") == []


def test_minutes_not_approved_link_to_the_minutes(held, minutes):
    """Held with draft minutes: the line links to the minutes to approve."""
    actions = [a for a in line(held.user("sec"), "sessions_lacking") if a.status == "lacks"]
    assert [(a.text, a.url) for a in actions] == [
        ("Minutes not approved", minutes.get_absolute_url())
    ]


def test_extraordinary_requests_and_unanswered_objections(held, upcoming):
    """Pending requests link to the convening page; unanswered objections to their answer."""
    ExtraordinaryRequest.objects.create(
        party=held.parties["RUS"], requested_by=held.user("ru"), reason="Incident at sea"
    )
    objection = objection_raise(session=upcoming, user=held.user("us"), text="Drop item 2")
    sec = held.user("sec")
    (request,) = line(sec, "extraordinary_requests")
    assert request.url == "/sessions/convene/"
    (answer,) = line(sec, "unanswered_objections")
    assert answer.url == f"/objections/{objection.public_id}/answer/"
    objection_answer(objection=objection, user=sec, response="Kept.")
    assert line(sec, "unanswered_objections") == []


def test_positions_missing_before_the_deadline(held):
    """The secretariat sees which seat-holders have not stated a position yet."""
    communique = circulate(held)
    (action,) = line(held.user("sec"), "positions_missing")
    assert "from EU, FRA, NATO, RUS, USA" in action.text
    positions_services.position_state(
        communique=communique,
        party=held.parties["USA"],
        user=held.user("us"),
        stance=Position.Stance.ASSOCIATES,
    )
    (action,) = line(held.user("sec"), "positions_missing")
    assert "from EU, FRA, NATO, RUS" in action.text
    assert action.url == communique.get_absolute_url()


def test_failed_packs_until_a_later_build_succeeds(held, upcoming):
    """A failed render is listed (link to the pack panel) until a later render is ready."""
    failed = PackRender.objects.create(
        session=upcoming, content_version="c1", audience_key="x", status=BuildStatus.FAILED
    )
    (action,) = line(held.user("sec"), "failed_packs")
    assert action.url == f"/sessions/{upcoming.public_id}/#briefing-pack"
    PackRender.objects.filter(pk=failed.pk).update(created_at=timezone.now() - timedelta(hours=1))
    PackRender.objects.create(
        session=upcoming, content_version="c2", audience_key="x", status=BuildStatus.READY
    )
    assert line(held.user("sec"), "failed_packs") == []


def test_secretariat_lines_are_not_a_delegates(held, upcoming):
    """The secretariat's centre has its lines, none of a delegate's."""
    centre = centre_of(held.user("sec"))
    assert centre is not None
    assert [line.key for line in centre.lines] == [
        "sessions_lacking",
        "extraordinary_requests",
        "unanswered_objections",
        "positions_missing",
        "failed_packs",
    ]


# Times and queries


@pytest.mark.parametrize(
    ("travel", "starts", "shown"),
    [
        ("2027-01-05T12:00:00Z", datetime(2027, 1, 15, 9, 0, tzinfo=UTC), "Fri 15 Jan 2027, 10:00"),
        ("2027-07-05T12:00:00Z", datetime(2027, 7, 15, 8, 0, tzinfo=UTC), "Thu 15 Jul 2027, 10:00"),
    ],
)
def test_times_are_shown_in_the_venues_zone(client, travel, starts, shown):
    """The next session opens at 10:00 in Vienna, in winter (UTC+1) and summer (UTC+2)."""
    with time_machine.travel(travel, tick=False):
        world = build_world(number="CCB/T/9", starts_at=starts)
        Session.objects.filter(pk=world.session.pk).update(status=Session.Status.SCHEDULED)
        html = dashboard(client, world.user("us"))
    assert f"Opens {shown} Europe/Vienna" in html


def _queries(client: Any, user: Any) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


def _more_rows(world: World, start: int, n: int) -> None:
    for i in range(start, start + n):
        session = add_session(world, f"CCB/M/{i}", timezone.now() + timedelta(days=20 + i))
        objection_raise(session=session, user=world.user("us"), text=f"Objection {i}")
        Notification.objects.create(
            user=world.user("us"), session=session, key="reminder", subject=f"Notice {i}"
        )
        Invitation.objects.filter(session=session, party=world.parties["CSTO"]).update(
            status="sent"
        )
        PackRender.objects.create(
            session=session, content_version="c", audience_key="k", status=BuildStatus.FAILED
        )
        ExtraordinaryRequest.objects.create(
            party=world.parties["RUS"], requested_by=world.user("ru"), reason=f"Crisis {i}"
        )
        make_pack(session, world.user("us"), world.parties["USA"])


def test_queries_do_not_grow_with_rows(held, upcoming, client):
    """Both action centres cost the same number of queries with one row per line or many."""
    circulate(held)
    _more_rows(held, 0, 1)
    few = {name: _queries(client, held.user(name)) for name in ("us", "sec")}
    _more_rows(held, 1, 12)  # past SHOWN: the "and N more" path too
    many = {name: _queries(client, held.user(name)) for name in ("us", "sec")}
    assert many == few
    centre = centre_of(held.user("us"))
    assert centre is not None
    assert centre.line("objection_windows").more > 0
