"""The agenda demo: sessions of the current and next quarter, an extraordinary session,
the table invited, Ukraine on one item only; twice changes nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from agenda import demo
from agenda.demo.sessions import demo_quarter
from agenda.models import AgendaItem, Invitation, Session
from agenda.selectors.agendas import agenda_item_list
from agenda.selectors.sessions import session_list
from members import demo as members_demo


def test_the_demo_plans_sessions_once(db):
    """Run twice, the demo creates its sessions and invitations once."""
    members_demo.seed()
    demo.seed()
    counts = Session.objects.count(), Invitation.objects.count(), AgendaItem.objects.count()
    demo.seed()
    assert (
        Session.objects.count(),
        Invitation.objects.count(),
        AgendaItem.objects.count(),
    ) == counts

    quarter = demo_quarter()
    current = Session.objects.get(kind="regular", quarter=str(quarter))
    following = Session.objects.get(kind="regular", quarter=str(quarter + 1))
    assert current.status == "scheduled"
    assert following.agenda is not None
    extraordinary = Session.objects.get(kind="extraordinary")
    assert extraordinary.requested_by is not None
    assert extraordinary.requested_by.code == "RUS"
    assert set(extraordinary.invitations.values_list("party__code", "kind")) >= {
        ("USA", "member"),
        ("RUS", "member"),
        ("CSTO", "observer"),
    }

    ukraine = get_user_model().objects.get(username="delegate-ukr")
    items = list(agenda_item_list(user=ukraine))
    assert [item.title for item in items] == ["The situation in and around Ukraine"]
    assert list(session_list(user=ukraine)) == [current]
