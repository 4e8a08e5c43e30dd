from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model

from agenda.demo import documents as demo_documents
from agenda.demo.sessions import demo_quarter
from agenda.models import Agenda, AgendaItem, Document, Invitation, Session
from agenda.selectors.agendas import agenda_item_list
from agenda.selectors.documents import document_list
from agenda.services.invitations import invitation_create
from members import demo as members_demo
from members.models import Party
from tests.factories import SessionFactory


@pytest.fixture
def demo_sessions(db):
    """What the members and agenda demos leave: accounts, and the two regular sessions
    with the seat-holders invited."""
    members_demo.seed()
    sessions = []
    for step in (0, 1):
        quarter = demo_quarter() + step
        start = datetime.combine(quarter.first_day, datetime.min.time(), tzinfo=UTC)
        session = SessionFactory(
            kind=Session.Kind.REGULAR,
            quarter=str(quarter),
            number=f"CCB/{quarter.year}/Q{quarter.q}",
            starts_at=start + timedelta(days=45),
        )
        for code in ("USA", "RUS", "NATO", "EU"):
            invitation_create(
                session=session,
                party=Party.objects.get(code=code),
                kind=Invitation.Kind.MEMBER,
                user=None,
                notify=False,
            )
        sessions.append(session)
    return sessions


def user(username):
    return get_user_model().objects.get(username=username)


def test_the_demo_builds_agendas_and_papers_once(demo_sessions, time_machine):
    """Run twice, the demo adds items, Ukraine's item invitation, papers and notes once."""
    current, following = demo_sessions
    time_machine.move_to(current.starts_at - timedelta(days=20), tick=False)
    demo_documents.seed()
    counts = (AgendaItem.objects.count(), Document.objects.count(), Invitation.objects.count())
    demo_documents.seed()
    assert (
        AgendaItem.objects.count(),
        Document.objects.count(),
        Invitation.objects.count(),
    ) == counts
    assert AgendaItem.objects.filter(session=current).count() == 5
    assert AgendaItem.objects.filter(session=following).count() == 2
    assert AgendaItem.objects.filter(session=current, chatham_house=True).exists()
    assert Agenda.objects.get(session=current).status == Agenda.Status.CIRCULATED
    assert Document.objects.filter(distribution="delegation").count() == 8
    assert set(Document.objects.values_list("distribution", flat=True)) == {
        "public",
        "participants",
        "seat_holders",
        "secretariat",
        "delegation",
    }


def test_the_demo_window_closes_before_its_session_opens(demo_sessions, time_machine):
    """A week before the session, the ten-day window is cut to close a day before the opening,
    so the agenda can be adopted by the opening."""
    current, _ = demo_sessions
    time_machine.move_to(current.starts_at - timedelta(days=7), tick=False)
    demo_documents.seed()
    agenda = Agenda.objects.get(session=current)
    assert agenda.status == Agenda.Status.CIRCULATED
    assert agenda.objection_deadline == current.starts_at - timedelta(hours=24)


def test_a_demo_session_too_close_for_a_window_keeps_a_draft(demo_sessions, time_machine):
    """Hours before the opening, no window fits: the demo leaves the agenda a draft."""
    current, _ = demo_sessions
    time_machine.move_to(current.starts_at - timedelta(hours=5), tick=False)
    demo_documents.seed()
    assert Agenda.objects.get(session=current).status == Agenda.Status.DRAFT


def test_the_demo_shows_ukraine_its_item_only_and_keeps_notes_private(demo_sessions):
    """Ukraine's delegate reads the Ukraine item and its paper only; the US note is read
    by the US delegate and by nobody else."""
    demo_documents.seed()
    ukraine = user("delegate-ukr")
    assert [item.title for item in agenda_item_list(user=ukraine)] == [demo_documents.UKRAINE_ITEM]
    assert {d.title for d in document_list(user=ukraine)} == {
        "Practical arrangements",
        "Background paper: the situation in and around Ukraine",
    }
    us_notes = {
        d.title for d in document_list(user=user("delegate-usa"), distribution="delegation")
    }
    assert us_notes == {f"USA talking points for {session.number}" for session in demo_sessions}
    for other in ("delegate-rus", "delegate-nato", "delegate-eu", "secretariat", "analyst"):
        assert not document_list(user=user(other), owner="USA", distribution="delegation").exists()


def test_without_sessions_the_demo_does_nothing(db):
    """Before the agenda demo has planned sessions, nothing is created."""
    members_demo.seed()
    demo_documents.seed()
    assert AgendaItem.objects.count() == 0
    assert Document.objects.count() == 0
