"""The periodic planner and reminders: idempotent, safe when two run at once, each notice once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection

from agenda.models import Invitation, Session, SessionGrant
from agenda.services.planning import (
    planning_horizon,
    regular_session_slot,
    session_reminders_send,
    sessions_plan_ahead,
)
from agenda.services.sessions import session_create, session_invite_table, session_transition
from agenda.tasks import session_reminders_send_task, sessions_plan_ahead_task
from consult.quarters import Quarter
from notices.models import Notification
from tests.factories import PartyFactory, delegate, seat_for

# Early in a quarter, before its default slot (mid-February).
NOW = datetime(2031, 1, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_the_planner_keeps_four_regular_sessions_planned(clock, table):
    """Four regular sessions from the current quarter, each with chair and the table invited."""
    created = sessions_plan_ahead(now=NOW)
    assert [s.number for s in created] == [
        "CCB/2031/Q1",
        "CCB/2031/Q2",
        "CCB/2031/Q3",
        "CCB/2031/Q4",
    ]
    first = created[0]
    assert first.starts_at == regular_session_slot(Quarter(2031, 1))[0]
    assert first.status == Session.Status.DRAFT
    assert [session.chair.party if session.chair else None for session in created[:2]] == [
        table.usa,
        table.rus,
    ]
    kinds = dict(first.invitations.values_list("party__code", "kind"))
    assert kinds == {
        "USA": "member",
        "RUS": "member",
        "NATO": "member",
        "EU": "member",
        "CSTO": "observer",
    }
    usa_grants = SessionGrant.objects.filter(
        group=table.usa.delegation.group, content_object=first
    ).values_list("permission__codename", flat=True)
    assert set(usa_grants) == {"attend_session", "sit_session"}


def test_running_the_planner_twice_creates_nothing_new(clock, table):
    """A second run finds everything planned and creates no session or invitation."""
    sessions_plan_ahead(now=NOW)
    counts = Session.objects.count(), Invitation.objects.count(), SessionGrant.objects.count()
    assert sessions_plan_ahead(now=NOW) == []
    assert (
        (
            Session.objects.count(),
            Invitation.objects.count(),
            SessionGrant.objects.count(),
        )
        == counts
        == (4, 20, 4 * (4 * 2 + 1))
    )


@pytest.mark.django_db(transaction=True)
def test_two_planners_at_once_plan_each_session_once(clock, table):
    """Two beats running the planner at the same moment, on two connections, plan four sessions."""
    barrier = threading.Barrier(2)
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def beat() -> None:
        try:
            barrier.wait()
            results.append([s.number for s in sessions_plan_ahead(now=NOW)])
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(n for numbers in results for n in numbers) == [
        "CCB/2031/Q1",
        "CCB/2031/Q2",
        "CCB/2031/Q3",
        "CCB/2031/Q4",
    ]
    assert Session.objects.count() == 4
    assert Invitation.objects.count() == 4 * 5


def test_a_cancelled_quarter_is_not_planned_again(clock, table):
    """The planner does not undo the secretariat's cancellation."""
    first = sessions_plan_ahead(now=NOW)[0]
    session_transition(session=first, to_status="cancelled", user=table.secretary)
    assert sessions_plan_ahead(now=NOW) == []
    assert Session.objects.filter(quarter="2031Q1").count() == 1


def test_a_taken_slot_moves_the_session_a_week_later(clock, table):
    """When an extraordinary session holds the default slot, the regular one moves by a week."""
    starts, ends = regular_session_slot(Quarter(2031, 1))
    session_create(
        kind=Session.Kind.EXTRAORDINARY,
        starts_at=starts,
        ends_at=ends,
        venue="Geneva",
        user=table.secretary,
    )
    planned = sessions_plan_ahead(now=NOW)[0]
    assert planned.number == "CCB/2031/Q1"
    assert planned.starts_at == starts + timedelta(days=7)


def test_a_quarter_whose_slot_has_passed_is_skipped(table):
    """Late in a quarter without a session, the horizon starts with the next quarter."""
    late = datetime(2031, 3, 20, tzinfo=UTC)
    assert planning_horizon(now=late) == Quarter(2031, 2).following(4)
    assert planning_horizon(now=NOW) == Quarter(2031, 1).following(4)


def test_planning_adds_new_seat_holders_to_planned_sessions(clock, table):
    """A party that gains a seat after planning is invited at the next run."""
    sessions_plan_ahead(now=NOW)
    fin = PartyFactory(code="FIN", name_en="Finland")
    delegate(fin, "fin-head")
    seat_for(fin)
    sessions_plan_ahead(now=NOW)
    assert Invitation.objects.filter(party=fin, kind="member").count() == 4


def test_the_planner_task_runs_the_planner(clock, table):
    """The beat task plans and reports the numbers it created."""
    assert sessions_plan_ahead_task.delay().get() == [
        "CCB/2031/Q1",
        "CCB/2031/Q2",
        "CCB/2031/Q3",
        "CCB/2031/Q4",
    ]


# Reminders


def scheduled_session(table, *, starts: datetime) -> Session:
    session = session_create(
        kind=Session.Kind.REGULAR,
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        venue="Hofburg",
        user=table.secretary,
    )
    session_invite_table(session=session)
    return session_transition(session=session, to_status="scheduled", user=table.secretary)


def test_reminders_go_out_at_30_7_and_1_days_each_once(
    clock, table, django_capture_on_commit_callbacks
):
    """Each delegate gets the 30-, 7- and 1-day reminders once, however often the task runs."""
    starts = NOW + timedelta(days=40)
    session = scheduled_session(table, starts=starts)
    delegates = sorted(
        u.email for u in (table.usa_head, table.rus_head, table.rus_adviser, table.csto_delegate)
    )
    mail.outbox.clear()
    sent = []
    for days_before in (35, 29.5, 29, 6.9, 6.5, 0.8, 0.2):
        moment = starts - timedelta(days=days_before)
        clock.move_to(moment)
        with django_capture_on_commit_callbacks(execute=True):
            session_reminders_send(now=moment)
            session_reminders_send(now=moment)
        sent.append(sorted(address for m in mail.outbox for address in m.to))
        mail.outbox.clear()
    assert sent == [[], delegates, [], delegates, [], delegates, []]
    keys = Notification.objects.filter(session=session, key__startswith="reminder")
    assert sorted(set(keys.values_list("key", flat=True))) == [
        "reminder-1d",
        "reminder-30d",
        "reminder-7d",
    ]


def test_a_session_planned_at_short_notice_gets_only_the_closest_reminder(
    clock, table, django_capture_on_commit_callbacks
):
    """Five days ahead, a session gets the 7-day reminder, not a late 30-day one as well."""
    scheduled_session(table, starts=NOW + timedelta(days=5))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session_reminders_send_task.delay().get()
    assert {m.subject.split(":")[0] for m in mail.outbox} == {"Reminder"}
    assert all("in 7 days" in m.subject for m in mail.outbox)
    assert len(mail.outbox) == 4


def test_draft_and_cancelled_sessions_send_no_reminder(
    clock, table, django_capture_on_commit_callbacks
):
    """Only scheduled sessions remind: a draft date is not confirmed, a cancelled one is off."""
    draft = sessions_plan_ahead(now=NOW)[0]
    moment = draft.starts_at - timedelta(days=6)
    with django_capture_on_commit_callbacks(execute=True):
        assert session_reminders_send(now=moment) == 0
    session_transition(session=draft, to_status="cancelled", user=table.secretary)
    assert session_reminders_send(now=moment) == 0
    assert not Notification.objects.filter(key__startswith="reminder").exists()
