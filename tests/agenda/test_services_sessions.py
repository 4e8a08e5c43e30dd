"""Sessions: numbering, scheduling, the status workflow and extraordinary sessions."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from agenda.models import Agenda, ExtraordinaryRequest, Invitation, Session
from agenda.services.extraordinary import (
    extraordinary_request_create,
    session_convene_extraordinary,
)
from agenda.services.invitations import invitation_create
from agenda.services.sessions import session_create, session_transition, session_update
from consult.errors import ApplicationError
from notices.models import Notification

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")


def in_days(days: float, hours: float = 0) -> datetime:
    moment = timezone.now() + timedelta(days=days, hours=hours)
    return moment.replace(microsecond=0)


def regular(table, *, days: float = 40, length_hours: float = 8, **fields) -> Session:
    starts = in_days(days)
    return session_create(
        kind=Session.Kind.REGULAR,
        starts_at=starts,
        ends_at=starts + timedelta(hours=length_hours),
        venue="Hofburg, Vienna",
        user=table.secretary,
        **fields,
    )


def invite_table(session: Session, table) -> None:
    for party in table.seat_holders:
        invitation_create(
            session=session, party=party, kind=Invitation.Kind.MEMBER, user=None, notify=False
        )


def test_regular_session_is_numbered_by_quarter_with_chair_and_agenda(table):
    """A regular session is CCB/<year>/Q<n>, chaired by the quarter's chair seat, with an agenda."""
    quarter = table.quarter + 1
    starts = datetime.combine(quarter.first_day + timedelta(days=10), time(9), tzinfo=VIENNA)
    session = session_create(
        kind=Session.Kind.REGULAR,
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        venue="Hofburg",
        user=table.secretary,
    )
    assert session.number == f"CCB/{quarter.year}/Q{quarter.q}"
    assert session.quarter == str(quarter)
    assert session.status == Session.Status.DRAFT
    assert session.chair is not None
    assert session.chair.party == table.rus
    assert Agenda.objects.filter(session=session).exists()


def test_the_quarter_is_the_venues(table):
    """A session starting on 1 January at the venue belongs to Q1, though it is still 31
    December in UTC."""
    starts = datetime(2031, 1, 1, 0, 30, tzinfo=VIENNA)
    session = session_create(
        kind=Session.Kind.REGULAR,
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        venue="Hofburg",
        user=table.secretary,
    )
    assert (session.number, session.quarter) == ("CCB/2031/Q1", "2031Q1")


def test_second_regular_session_in_a_quarter_is_refused(table):
    """One regular session per quarter: a second one is refused, nothing saved."""
    first = regular(table, days=40)
    with pytest.raises(ApplicationError, match=rf"already has its regular session, {first.number}"):
        session_create(
            kind=Session.Kind.REGULAR,
            starts_at=first.ends_at + timedelta(hours=1),
            ends_at=first.ends_at + timedelta(hours=3),
            venue="Hofburg",
            user=table.secretary,
        )
    assert Session.objects.count() == 1


def test_overlapping_sessions_are_refused(table):
    """A session overlapping another in time is refused with the other's number."""
    first = regular(table, days=40)
    with pytest.raises(ApplicationError, match=rf"overlap {first.number}"):
        session_create(
            kind=Session.Kind.EXTRAORDINARY,
            starts_at=first.starts_at + timedelta(hours=2),
            ends_at=first.ends_at + timedelta(hours=2),
            venue="Geneva",
            user=table.secretary,
        )
    assert Session.objects.count() == 1
    assert Agenda.objects.count() == 1


def test_back_to_back_sessions_do_not_overlap(table):
    """A session starting when another ends is allowed."""
    first = regular(table, days=40)
    second = session_create(
        kind=Session.Kind.EXTRAORDINARY,
        starts_at=first.ends_at,
        ends_at=first.ends_at + timedelta(hours=2),
        venue="Geneva",
        user=table.secretary,
    )
    assert second.pk


def test_extraordinary_sessions_are_numbered_in_sequence_per_year(table):
    """Extraordinary sessions are CCB/<year>/X1, X2, ... counted afresh each year."""
    numbers = []
    for day in (
        datetime(2031, 3, 2),
        datetime(2031, 7, 2),
        datetime(2031, 9, 2),
        datetime(2032, 1, 5),
    ):
        starts = day.replace(hour=10, tzinfo=VIENNA)
        numbers.append(
            session_create(
                kind=Session.Kind.EXTRAORDINARY,
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                venue="Vienna",
                user=table.secretary,
            ).number
        )
    assert numbers == ["CCB/2031/X1", "CCB/2031/X2", "CCB/2031/X3", "CCB/2032/X1"]


@pytest.mark.parametrize(
    ("starts", "ends", "zone", "message"),
    [
        (datetime(2031, 5, 5, 9), datetime(2031, 5, 5, 17), "Europe/Vienna", "time zone"),
        (
            datetime(2031, 5, 5, 17, tzinfo=VIENNA),
            datetime(2031, 5, 5, 9, tzinfo=VIENNA),
            "Europe/Vienna",
            "end after it starts",
        ),
        (
            datetime(2031, 5, 5, 9, tzinfo=VIENNA),
            datetime(2031, 5, 5, 17, tzinfo=VIENNA),
            "Mars/Olympus",
            "not a time zone",
        ),
    ],
)
def test_bad_times_are_refused(table, starts, ends, zone, message):
    """Naive times, an end before the start and unknown zones are refused; nothing saved."""
    with pytest.raises(ApplicationError, match=message):
        session_create(
            kind=Session.Kind.REGULAR,
            starts_at=starts,
            ends_at=ends,
            venue="Hofburg",
            venue_timezone=zone,
            user=table.secretary,
        )
    assert not Session.objects.exists()


def test_only_the_secretariat_creates_sessions(table):
    """A delegate cannot create a session."""
    with pytest.raises(PermissionDenied):
        session_create(
            kind=Session.Kind.REGULAR,
            starts_at=in_days(40),
            ends_at=in_days(40, 8),
            venue="Hofburg",
            user=table.usa_head,
        )
    assert not Session.objects.exists()


def test_a_new_date_notifies_every_invited_delegate_once(table, django_capture_on_commit_callbacks):
    """A change of date reaches each invited delegate once; saving it unchanged sends nothing."""
    session = regular(table, days=40)
    invite_table(session, table)
    with django_capture_on_commit_callbacks(execute=True):
        session_update(
            session=session,
            user=table.secretary,
            starts_at=session.starts_at + timedelta(hours=1),
            ends_at=session.ends_at + timedelta(hours=1),
        )
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(
        u.email for u in (table.usa_head, table.rus_head, table.rus_adviser)
    )
    assert all("new date or venue" in message.subject for message in mail.outbox)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=session, user=table.secretary, title="Same date, new title")
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=session, user=table.secretary, venue="Palais Niederösterreich")
    assert len(mail.outbox) == 3
    assert Notification.objects.filter(session=session, key="change-2").count() == 3


def test_declined_parties_are_not_notified(table, django_capture_on_commit_callbacks):
    """A party that declined hears no more of the session's changes."""
    session = regular(table, days=40)
    invitation = invitation_create(
        session=session, party=table.rus, kind="member", user=None, notify=False
    )
    invitation_create(session=session, party=table.usa, kind="member", user=None, notify=False)
    invitation.status = Invitation.Status.DECLINED
    invitation.save()
    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=session, user=table.secretary, venue="Geneva")
    assert [m.to for m in mail.outbox] == [[table.usa_head.email]]


def test_regular_session_cannot_leave_its_quarter(table):
    """Moving a regular session into another quarter is refused."""
    session = regular(table, days=40)
    with pytest.raises(ApplicationError, match="cannot move to"):
        session_update(
            session=session,
            user=table.secretary,
            starts_at=session.starts_at + timedelta(days=200),
            ends_at=session.ends_at + timedelta(days=200),
        )
    session.refresh_from_db()
    assert session.schedule_revision == 0


def test_moving_onto_another_session_is_refused(table):
    """A change of date that overlaps another session is refused; the date stays."""
    first = regular(table, days=40)
    other = session_create(
        kind=Session.Kind.EXTRAORDINARY,
        starts_at=first.ends_at + timedelta(hours=2),
        ends_at=first.ends_at + timedelta(hours=4),
        venue="Geneva",
        user=table.secretary,
    )
    with pytest.raises(ApplicationError, match=f"overlap {first.number}"):
        session_update(
            session=other,
            user=table.secretary,
            starts_at=first.starts_at,
            ends_at=first.starts_at + timedelta(hours=1),
        )
    other.refresh_from_db()
    assert other.starts_at == first.ends_at + timedelta(hours=2)


def test_the_workflow_runs_from_draft_to_closed(table, django_capture_on_commit_callbacks):
    """draft → scheduled → in session → held → closed, each step notified once."""
    session = regular(table)
    invite_table(session, table)
    with django_capture_on_commit_callbacks(execute=True):
        for status in ("scheduled", "in_session", "held", "closed"):
            session = session_transition(session=session, to_status=status, user=table.secretary)
    assert session.status == "closed"
    assert Notification.objects.filter(session=session, key="status-scheduled").count() == 3
    assert len(mail.outbox) == 4 * 3


@pytest.mark.parametrize(
    ("path", "target", "message"),
    [
        ([], "held", "is draft; it cannot become held"),
        (["scheduled"], "closed", "possible next steps: cancelled, in session"),
        (["scheduled", "in_session", "held", "closed"], "cancelled", "possible next steps: none"),
        (["cancelled"], "scheduled", "is cancelled; it cannot become scheduled"),
        ([], "draft", "is draft; it cannot become draft"),
    ],
)
def test_illegal_transitions_are_refused(table, path, target, message):
    """Skipping a step, leaving a closed or cancelled session, or standing still are refused."""
    session = regular(table)
    for status in path:
        session = session_transition(session=session, to_status=status, user=table.secretary)
    before = session.status
    with pytest.raises(ApplicationError, match=message):
        session_transition(session=session, to_status=target, user=table.secretary)
    session.refresh_from_db()
    assert session.status == before


@pytest.mark.parametrize("path", [[], ["scheduled"], ["scheduled", "in_session"]])
def test_any_open_session_can_be_cancelled(table, path):
    """Any session not yet closed can be cancelled."""
    session = regular(table)
    for status in path:
        session = session_transition(session=session, to_status=status, user=table.secretary)
    session = session_transition(session=session, to_status="cancelled", user=table.secretary)
    assert session.status == "cancelled"


def test_a_cancelled_regular_session_frees_its_quarter_and_slot(table):
    """After cancelling, the quarter takes a new regular session, numbered apart."""
    first = regular(table, days=40)
    session_transition(session=first, to_status="cancelled", user=table.secretary)
    second = regular(table, days=40)
    assert second.number == f"{first.number}-2"


def test_closed_sessions_cannot_be_edited(table):
    """Only draft and scheduled sessions change date, venue or title."""
    session = regular(table)
    for status in ("scheduled", "in_session"):
        session = session_transition(session=session, to_status=status, user=table.secretary)
    with pytest.raises(ApplicationError, match="only draft or scheduled sessions"):
        session_update(session=session, user=table.secretary, venue="Elsewhere")


def test_only_the_secretariat_moves_a_session_along(table):
    """A delegate cannot change a session's status."""
    session = regular(table)
    with pytest.raises(PermissionDenied):
        session_transition(session=session, to_status="scheduled", user=table.usa_head)


# Extraordinary sessions


def test_a_seat_holders_head_requests_an_extraordinary_session(table):
    """The head of a seat-holder's delegation files a request with a reason."""
    made = extraordinary_request_create(user=table.rus_head, reason="Border incident.")
    assert made.party == table.rus
    assert made.status == ExtraordinaryRequest.Status.PENDING


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("ukr_delegate", "Ukraine holds no seat in"),
        ("rus_adviser", "you are Adviser of RUS"),
        ("analyst", "not a current member of a delegation"),
        ("secretary", "not a current member of a delegation"),
    ],
)
def test_only_a_seat_holders_head_may_request(table, who, message):
    """A non-seat-holder, a non-head, or someone outside any delegation is refused clearly."""
    with pytest.raises(ApplicationError, match=message):
        extraordinary_request_create(user=getattr(table, who), reason="Crisis.")
    assert not ExtraordinaryRequest.objects.exists()


def test_a_request_needs_a_reason_and_one_pending_per_party(table):
    """An empty reason is refused, and so is a second pending request of the same party."""
    with pytest.raises(ApplicationError, match="Give the reason"):
        extraordinary_request_create(user=table.rus_head, reason="  ")
    extraordinary_request_create(user=table.rus_head, reason="First.")
    with pytest.raises(ApplicationError, match="already has a pending request"):
        extraordinary_request_create(user=table.rus_head, reason="Second.")
    assert ExtraordinaryRequest.objects.count() == 1


def test_convening_invites_and_notifies_at_once(table, django_capture_on_commit_callbacks):
    """Convened within 72 hours, the session is scheduled, the table invited and notified."""
    made = extraordinary_request_create(user=table.rus_head, reason="Border incident.")
    starts = in_days(2)
    with django_capture_on_commit_callbacks(execute=True):
        session = session_convene_extraordinary(
            user=table.secretary,
            starts_at=starts,
            ends_at=starts + timedelta(hours=4),
            venue="Vienna",
            reason="",
            request=made,
        )
    assert session.kind == Session.Kind.EXTRAORDINARY
    assert session.status == Session.Status.SCHEDULED
    assert session.requested_by == table.rus
    assert session.request_reason == "Border incident."
    made.refresh_from_db()
    assert (made.status, made.session) == (ExtraordinaryRequest.Status.CONVENED, session)
    kinds = dict(session.invitations.values_list("party__code", "kind"))
    assert kinds == {
        "USA": "member",
        "RUS": "member",
        "NATO": "member",
        "EU": "member",
        "CSTO": "observer",
    }
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(
        u.email for u in (table.usa_head, table.rus_head, table.rus_adviser, table.csto_delegate)
    )
    assert all(session.number in message.subject for message in mail.outbox)


@pytest.mark.parametrize(("hours", "message"), [(73, "within 72 hours"), (-1, "in the past")])
def test_convening_outside_72_hours_is_refused(table, hours, message):
    """An extraordinary session starts within the next 72 hours, not later, not before now."""
    starts = in_days(0, hours)
    with pytest.raises(ApplicationError, match=message):
        session_convene_extraordinary(
            user=table.secretary,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            venue="Vienna",
            reason="Crisis.",
        )
    assert not Session.objects.exists()
    assert not Invitation.objects.exists()


def test_a_request_is_convened_once_and_only_by_the_secretariat(table):
    """A delegate cannot convene; a convened request cannot be convened again."""
    made = extraordinary_request_create(user=table.rus_head, reason="Crisis.")
    starts = in_days(1)
    with pytest.raises(PermissionDenied):
        session_convene_extraordinary(
            user=table.rus_head,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            venue="Vienna",
            reason="x",
            request=made,
        )
    session_convene_extraordinary(
        user=table.secretary,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        venue="Vienna",
        reason="",
        request=made,
    )
    later = starts + timedelta(hours=5)
    with pytest.raises(ApplicationError, match="already convened"):
        session_convene_extraordinary(
            user=table.secretary,
            starts_at=later,
            ends_at=later + timedelta(hours=3),
            venue="Vienna",
            reason="",
            request=made,
        )
    assert Session.objects.count() == 1


def test_a_scheduled_session_is_not_moved_into_the_past(table):
    """A new opening that has passed is refused with a clear message; nothing changes."""
    session = regular(table, days=40)
    session_transition(session=session, to_status=Session.Status.SCHEDULED, user=table.secretary)
    past = timezone.now() - timedelta(hours=2)
    with pytest.raises(ApplicationError, match="cannot be moved into the past") as refused:
        session_update(
            session=session, user=table.secretary, starts_at=past, ends_at=past + timedelta(hours=1)
        )
    assert refused.value.fields == {"starts_at": ["In the past."]}
    kept = Session.objects.get(pk=session.pk)
    assert kept.starts_at == session.starts_at
    moved = session_update(session=kept, user=table.secretary, venue="Elsewhere", title="Renamed")
    assert moved.venue == "Elsewhere"
