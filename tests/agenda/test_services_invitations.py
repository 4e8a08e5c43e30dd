"""Invitations: the grants they carry, refusals, answers, revocation and expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from agenda.models import AgendaItemGrant, Invitation, Session, SessionGrant
from agenda.selectors.agendas import agenda_item_list
from agenda.selectors.invitations import invitation_list
from agenda.selectors.sessions import session_list
from agenda.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_revoke,
)
from consult.access import Distribution
from consult.errors import ApplicationError
from tests.factories import AgendaItemFactory, PartyFactory, SessionFactory


@pytest.fixture
def session(table) -> Session:
    return SessionFactory(quarter=str(table.quarter), number="CCB/T/X1")


@pytest.fixture
def items(session):
    return [
        AgendaItemFactory(agenda__session=session, order=1, title="Norms"),
        AgendaItemFactory(agenda__session=session, order=2, title="Ukraine"),
    ]


def session_grants(party, session) -> dict[str, object]:
    return dict(
        SessionGrant.objects.filter(
            group=party.delegation.group, content_object=session
        ).values_list("permission__codename", "valid_until")
    )


def item_grants(party) -> set[int]:
    return set(
        AgendaItemGrant.objects.filter(group=party.delegation.group).values_list(
            "content_object_id", flat=True
        )
    )


def invite(session, party, kind="member", **fields) -> Invitation:
    fields.setdefault("user", None)
    fields.setdefault("notify", False)
    return invitation_create(session=session, party=party, kind=kind, **fields)


# Grants


def test_a_seat_holder_member_attends_and_sits(table, session):
    """A member invitation of a seat-holder grants attend_session and sit_session."""
    invite(session, table.usa)
    assert set(session_grants(table.usa, session)) == {"attend_session", "sit_session"}


def test_a_member_without_a_seat_only_attends(table, session):
    """A member invitation of a party holding no seat that quarter grants attend_session only."""
    invite(session, table.ukr)
    assert set(session_grants(table.ukr, session)) == {"attend_session"}


def test_an_observer_attends_without_a_seat(table, session):
    """An observer invitation grants attend_session only."""
    invite(session, table.csto, "observer")
    assert set(session_grants(table.csto, session)) == {"attend_session"}


def test_an_ad_hoc_party_for_one_item_sees_that_item_only(table, session, items):
    """Ad hoc for an item: attend_agendaitem on it and view_session on the session, nothing else."""
    invite(session, table.ukr, "ad_hoc", item=items[1])
    assert set(session_grants(table.ukr, session)) == {"view_session"}
    assert item_grants(table.ukr) == {items[1].pk}
    assert list(session_list(user=table.ukr_delegate)) == [session]
    assert list(agenda_item_list(user=table.ukr_delegate)) == [items[1]]


def test_an_ad_hoc_party_for_the_whole_session_attends(table, session, items):
    """Ad hoc without an item: attend_session, so every participants item."""
    invite(session, table.ukr, "ad_hoc")
    assert set(session_grants(table.ukr, session)) == {"attend_session"}
    assert set(agenda_item_list(user=table.ukr_delegate)) == set(items)


def test_valid_until_is_copied_to_the_grants(table, session, items):
    """The invitation's end of validity is the grants' end of validity."""
    until = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    invite(session, table.ukr, "ad_hoc", item=items[0], valid_until=until)
    assert session_grants(table.ukr, session) == {"view_session": until}
    assert AgendaItemGrant.objects.get(group=table.ukr.delegation.group).valid_until == until


def test_an_invitation_notifies_the_partys_delegates(
    table, session, django_capture_on_commit_callbacks
):
    """The invited party's delegates hear of the invitation."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            session=session, party=table.ukr, kind="ad_hoc", user=table.secretary, reason="Item 2."
        )
    assert [m.to for m in mail.outbox] == [[table.ukr_delegate.email]]
    assert "Invitation to CCB/T/X1" in mail.outbox[0].subject
    assert "Item 2." in mail.outbox[0].body


# Refusals


def test_a_party_already_invited_is_refused(table, session, items):
    """A second live invitation of the same party is refused clearly; nothing saved."""
    invite(session, table.usa)
    with pytest.raises(ApplicationError, match="United States is already invited to the whole"):
        invite(session, table.usa, "observer")
    with pytest.raises(ApplicationError, match="already invited to the whole"):
        invite(session, table.usa, "ad_hoc", item=items[0])
    invite(session, table.ukr, "ad_hoc", item=items[0])
    with pytest.raises(ApplicationError, match="already invited to item 1"):
        invite(session, table.ukr, "ad_hoc", item=items[0])
    assert Invitation.objects.count() == 2


def test_a_revoked_party_can_be_invited_again(table, session):
    """Once revoked, an invitation no longer blocks a new one."""
    first = invite(session, table.ukr, "ad_hoc")
    invitation_revoke(invitation=first, user=table.secretary)
    second = invite(session, table.ukr, "ad_hoc")
    assert second.pk != first.pk
    assert set(session_grants(table.ukr, session)) == {"attend_session"}


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("other_session_item", "belongs to another session"),
        ("member_with_item", "Only an ad hoc invitation can be limited to one item"),
        ("past_validity", "would already have expired"),
        ("closed_session", "takes no more invitations"),
        ("no_delegation", "has no delegation yet"),
        ("unknown_kind", "Unknown invitation kind"),
    ],
)
def test_bad_invitations_are_refused(table, session, items, case, message):
    """Each bad invitation is refused with a clear message and leaves nothing behind."""
    fields: dict = {"session": session, "party": table.ukr, "kind": "ad_hoc", "user": None}
    if case == "other_session_item":
        fields["item"] = AgendaItemFactory(agenda__session=SessionFactory(number="CCB/T/X9"))
    elif case == "member_with_item":
        fields.update(kind="member", item=items[0])
    elif case == "past_validity":
        fields["valid_until"] = timezone.now() - timedelta(minutes=1)
    elif case == "closed_session":
        Session.objects.filter(pk=session.pk).update(status=Session.Status.CLOSED)
    elif case == "no_delegation":
        fields["party"] = PartyFactory(code="MDA", name_en="Moldova")
    elif case == "unknown_kind":
        fields["kind"] = "guest"
    with pytest.raises(ApplicationError, match=message):
        invitation_create(**fields)
    assert not Invitation.objects.exists()
    assert not SessionGrant.objects.exists()
    assert not AgendaItemGrant.objects.exists()


def test_only_the_secretariat_invites_and_revokes(table, session):
    """A delegate can neither invite a party nor revoke an invitation."""
    with pytest.raises(PermissionDenied):
        invitation_create(session=session, party=table.ukr, kind="ad_hoc", user=table.usa_head)
    invitation = invite(session, table.ukr, "ad_hoc")
    with pytest.raises(PermissionDenied):
        invitation_revoke(invitation=invitation, user=table.ukr_delegate)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT


# Answers


def test_the_invited_delegation_accepts_and_declines(table, session):
    """The party's delegation accepts, changes its mind, and who answered is recorded."""
    invitation = invite(session, table.rus)
    invitation = invitation_accept(invitation=invitation, user=table.rus_adviser)
    assert (invitation.status, invitation.responded_by) == ("accepted", table.rus_adviser)
    invitation = invitation_decline(invitation=invitation, user=table.rus_head)
    assert (invitation.status, invitation.responded_by) == ("declined", table.rus_head)
    # A decline withdraws attendance, not the seat: the delegation still reads its papers.
    assert set(session_grants(table.rus, session)) == {"attend_session", "sit_session"}


def test_the_secretariat_records_an_answer_received_by_note(table, session):
    """The secretariat may record a delegation's answer."""
    invitation = invitation_accept(invitation=invite(session, table.rus), user=table.secretary)
    assert invitation.status == "accepted"


def test_another_delegation_cannot_answer(table, session):
    """A delegate of another party cannot accept or decline."""
    invitation = invite(session, table.rus)
    with pytest.raises(PermissionDenied, match="Only the invited party's delegation"):
        invitation_accept(invitation=invitation, user=table.usa_head)
    invitation.refresh_from_db()
    assert invitation.status == "sent"


def test_answers_to_revoked_expired_or_repeated_invitations_are_refused(table, session):
    """A revoked or expired invitation cannot be answered, nor accepted twice."""
    revoked = invite(session, table.ukr, "ad_hoc")
    invitation_revoke(invitation=revoked, user=table.secretary)
    with pytest.raises(ApplicationError, match="revoked"):
        invitation_accept(invitation=revoked, user=table.ukr_delegate)

    expiring = invite(session, table.rus, valid_until=timezone.now() + timedelta(hours=1))
    with (
        time_machine.travel(timezone.now() + timedelta(hours=2)),
        pytest.raises(ApplicationError, match="expired on"),
    ):
        invitation_accept(invitation=expiring, user=table.rus_head)

    accepted = invitation_accept(invitation=invite(session, table.usa), user=table.usa_head)
    with pytest.raises(ApplicationError, match="already accepted"):
        invitation_accept(invitation=accepted, user=table.usa_head)


# Revocation and expiry end access


def test_revoking_removes_only_that_invitations_grants(table, session, items):
    """Revoking the whole-session invitation leaves the party's item invitation working."""
    item_invitation = invite(session, table.ukr, "ad_hoc", item=items[1])
    whole = invite(session, table.ukr, "member")
    assert set(session_grants(table.ukr, session)) == {"attend_session", "view_session"}
    invitation_revoke(invitation=whole, user=table.secretary)
    assert set(session_grants(table.ukr, session)) == {"view_session"}
    assert item_grants(table.ukr) == {items[1].pk}
    invitation_revoke(invitation=item_invitation, user=table.secretary)
    assert session_grants(table.ukr, session) == {}
    assert item_grants(table.ukr) == set()


def test_revocation_is_effective_on_the_next_request(table, session, items, client):
    """A delegate reading the session page is refused on the very next request."""
    invitation = invite(session, table.ukr, "ad_hoc", item=items[1])
    client.force_login(table.ukr_delegate)
    url = reverse("agenda:session_detail", kwargs={"public_id": session.public_id})
    api = reverse("session-detail", kwargs={"id": session.public_id})
    assert client.get(url).status_code == 200
    assert client.get(api).status_code == 200
    invitation_revoke(invitation=invitation, user=table.secretary)
    assert client.get(url).status_code == 404
    assert client.get(api).status_code == 404


def test_an_expired_invitation_grants_nothing(table, session, items):
    """After valid_until the session and its items are out of sight, with no task run."""
    invite(
        session, table.ukr, "ad_hoc", item=items[1], valid_until=timezone.now() + timedelta(hours=1)
    )
    assert list(session_list(user=table.ukr_delegate)) == [session]
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert list(session_list(user=table.ukr_delegate)) == []
        assert list(agenda_item_list(user=table.ukr_delegate)) == []


def test_an_expired_accreditation_grants_nothing(table, session, items):
    """A live invitation opens nothing to a delegate whose accreditation has ended."""
    invite(session, table.ukr, "ad_hoc", item=items[1])
    accreditation = table.ukr_delegate.accreditations.get()
    accreditation.valid_until = timezone.now() - timedelta(minutes=1)
    accreditation.valid_from = accreditation.valid_until - timedelta(days=1)
    accreditation.save()
    assert list(session_list(user=table.ukr_delegate)) == []
    assert list(agenda_item_list(user=table.ukr_delegate)) == []
    assert list(invitation_list(user=table.ukr_delegate)) == []


def test_seat_holders_material_needs_the_seat(table, session, items):
    """A seat-holders item is read by seat-holders, not by an observer of the session."""
    restricted = items[0]
    restricted.distribution = Distribution.SEAT_HOLDERS
    restricted.save()
    invite(session, table.usa)
    invite(session, table.csto, "observer")
    assert restricted in agenda_item_list(user=table.usa_head)
    assert restricted not in agenda_item_list(user=table.csto_delegate)
    assert items[1] in agenda_item_list(user=table.csto_delegate)


# Who reads invitations


def test_invitations_are_read_by_the_secretariat_and_the_invited_delegation(table, session):
    """The secretariat reads every invitation; a delegation its own; others none."""
    rus = invite(session, table.rus)
    usa = invite(session, table.usa)
    assert set(invitation_list(user=table.secretary)) == {rus, usa}
    assert list(invitation_list(user=table.rus_adviser)) == [rus]
    assert list(invitation_list(user=table.ukr_delegate)) == []
    assert list(invitation_list(user=table.analyst)) == []
