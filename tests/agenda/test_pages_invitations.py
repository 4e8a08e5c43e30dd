"""The invitations page offers an answer only where the answer would be taken: the
invited party's delegation accepts or declines while the invitation can be answered
(not revoked, not expired, its session not yet held); the secretariat also revokes; an
analyst, who only reads, is offered nothing. Each refusal the page no longer offers is
still refused by the service (tests/agenda/test_services_invitations.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agenda.models import Session
from agenda.services.invitations import invitation_create, invitation_revoke
from members.services.users import analyst_affiliation_set
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def answers(client, user, invitation) -> set[str]:
    """The answer forms the page shows ``user`` for ``invitation``."""
    client.force_login(user)
    response = client.get(reverse("agenda:invitation_list"))
    assert response.status_code == 200
    text = response.content.decode()
    return {
        verb
        for verb in ("accept", "decline", "revoke")
        if f'action="/invitations/{invitation.public_id}/{verb}/"' in text
    }


@pytest.fixture
def session(table) -> Session:
    return SessionFactory(number="CCB/T/I1", quarter=str(table.quarter))


def invite(session, party, kind="member", **fields):
    return invitation_create(
        session=session, party=party, kind=kind, user=None, notify=False, **fields
    )


def test_the_invited_delegation_and_the_secretariat_are_offered_their_answers(
    client, table, session
):
    invitation = invite(session, table.rus)
    assert answers(client, table.rus_head, invitation) == {"accept", "decline"}
    assert answers(client, table.secretary, invitation) == {"accept", "decline", "revoke"}


def test_an_analyst_of_the_delegation_reads_the_invitation_without_answers(client, table, session):
    invitation = invite(session, table.rus)
    analyst_affiliation_set(user=table.analyst, delegation=table.rus.delegation)
    client.force_login(table.analyst)
    text = client.get(reverse("agenda:invitation_list")).content.decode()
    assert table.rus.name_en in text
    assert answers(client, table.analyst, invitation) == set()


def test_a_held_session_revoked_or_expired_invitation_offers_no_answer(client, table, session):
    held = invite(session, table.rus)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.HELD)
    assert answers(client, table.rus_head, held) == set()
    assert answers(client, table.secretary, held) == {"revoke"}

    later = SessionFactory(number="CCB/T/I2", quarter=str(table.quarter))
    revoked = invite(later, table.ukr, "ad_hoc")
    invitation_revoke(invitation=revoked, user=table.secretary)
    assert answers(client, table.ukr_delegate, revoked) == set()
    assert answers(client, table.secretary, revoked) == set()

    expiring = invite(later, table.rus, valid_until=timezone.now() + timedelta(hours=1))
    assert answers(client, table.rus_head, expiring) == {"accept", "decline"}
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert answers(client, table.rus_head, expiring) == set()
