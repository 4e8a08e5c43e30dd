"""Session, invitation and planning pages through the test client."""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda.models import Document, ExtraordinaryRequest, Invitation, Session
from agenda.services.invitations import invitation_create
from consult.access import Distribution
from tests.factories import AgendaItemFactory, MembershipFactory, SessionFactory, UserFactory


def invite(session, party, kind="member", **fields) -> Invitation:
    fields.update(user=None, notify=False)
    return invitation_create(session=session, party=party, kind=kind, **fields)


def paper(session, user, symbol, distribution, *, item=None, owner=None) -> Document:
    return Document.objects.create(
        symbol=symbol,
        title=f"Paper {symbol}",
        session=session,
        item=item,
        owner=owner,
        distribution=distribution,
        created_by=user,
    )


def detail(session) -> str:
    return reverse("agenda:session_detail", kwargs={"public_id": session.public_id})


@pytest.fixture
def world(table):
    invited = SessionFactory(number="CCB/T/X1", quarter=str(table.quarter))
    norms = AgendaItemFactory(agenda__session=invited, order=1, title="Norms of behaviour")
    ukraine = AgendaItemFactory(agenda__session=invited, order=2, title="Situation in Ukraine")
    for party in table.seat_holders:
        invite(invited, party)
    invite(invited, table.ukr, "ad_hoc", item=ukraine)
    papers = {
        "public": paper(invited, table.secretary, "CCB.GAL/1/31", Distribution.PUBLIC),
        "participants": paper(
            invited, table.secretary, "CCB.GAL/2/31", Distribution.PARTICIPANTS, item=norms
        ),
        "ukraine": paper(
            invited, table.secretary, "CCB.GAL/3/31", Distribution.PARTICIPANTS, item=ukraine
        ),
        "rus_note": paper(
            invited, table.rus_head, "CCB.DEL/1/31", Distribution.DELEGATION, owner=table.rus
        ),
    }
    hidden = SessionFactory(
        number="CCB/T/X2", quarter=str(table.quarter), starts_at=invited.ends_at + timedelta(days=1)
    )
    return {
        "invited": invited,
        "norms": norms,
        "ukraine": ukraine,
        "papers": papers,
        "hidden": hidden,
    }


def login(client, user):
    client.force_login(user)
    return client


# Delegates' pages


def test_my_sessions_lists_only_readable_sessions(table, world, client):
    """The list page shows the sessions the delegate may read and no other."""
    page = login(client, table.usa_head).get(reverse("agenda:session_list")).content.decode()
    assert "CCB/T/X1" in page
    assert "CCB/T/X2" not in page


def test_the_session_page_shows_what_the_delegate_may_read(table, world, client):
    """Agenda, troika, seat-holders, invited parties and readable papers; never others' notes."""
    page = login(client, table.usa_head).get(detail(world["invited"])).content.decode()
    for expected in (
        "Norms of behaviour",
        "Situation in Ukraine",
        "Previous chair",
        "Russia (RUS)",
        "Ukraine (UKR)",
        "item 2 only",
        "CCB.GAL/1/31",
        "CCB.GAL/2/31",
        "CCB.GAL/3/31",
    ):
        assert expected in page, expected
    assert "CCB.DEL/1/31" not in page


def test_ukraine_sees_only_the_item_it_is_invited_to(table, world, client):
    """An ad hoc party reads its item and its papers, nothing else of the session."""
    page = login(client, table.ukr_delegate).get(detail(world["invited"])).content.decode()
    assert "Situation in Ukraine" in page
    assert "CCB.GAL/3/31" in page
    assert "Norms of behaviour" not in page
    assert "CCB.GAL/2/31" not in page
    assert "CCB.DEL/1/31" not in page


def test_the_owning_delegation_sees_its_note(table, world, client):
    """Russia's delegation reads its own private note on the session page."""
    page = login(client, table.rus_adviser).get(detail(world["invited"])).content.decode()
    assert "CCB.DEL/1/31" in page


def test_a_refused_session_page_answers_like_a_missing_one(table, world, client):
    """404 with the same body whether the session exists and is refused, or does not exist."""
    login(client, table.usa_head)
    refused = client.get(detail(world["hidden"]))
    missing = client.get(reverse("agenda:session_detail", kwargs={"public_id": uuid.uuid4()}))
    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content


def test_anonymous_visitors_read_public_sessions_only(world, client):
    """Without an account a public session reads like any page; others like missing ones."""
    assert client.get(detail(world["invited"])).status_code == 404
    Session.objects.filter(pk=world["invited"].pk).update(distribution=Distribution.PUBLIC)
    page = client.get(detail(world["invited"])).content.decode()
    assert "CCB/T/X1" in page
    assert "CCB.GAL/1/31" in page
    assert "CCB.GAL/2/31" not in page


@pytest.mark.parametrize("rows", [1, 50])
def test_the_session_page_takes_a_fixed_number_of_queries(
    table, rows, client, django_assert_max_num_queries
):
    """Items, papers and grants may grow; the session page's query count does not."""
    session = SessionFactory(number="CCB/T/Q1", quarter=str(table.quarter))
    for party in table.seat_holders:
        invite(session, party)
    invite(session, table.csto, "observer")
    for n in range(rows):
        item = AgendaItemFactory(agenda__session=session, order=n + 1)
        paper(session, table.secretary, f"CCB.GAL/{n}/31", Distribution.PARTICIPANTS, item=item)
        invite(session, table.ukr, "ad_hoc", item=item)
    login(client, table.usa_head)
    with django_assert_max_num_queries(22):
        response = client.get(detail(session))
    assert response.status_code == 200
    assert response.content.decode().count("Paper CCB.GAL/") == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_the_session_list_takes_a_fixed_number_of_queries(
    table, rows, client, django_assert_max_num_queries
):
    """However many sessions, the list page's query count stays the same."""
    for n in range(rows):
        session = SessionFactory(number=f"CCB/T/L{n}", quarter=str(table.quarter))
        invite(session, table.usa)
    login(client, table.usa_head)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("agenda:session_list"))
    assert response.content.decode().count("CCB/T/L") == rows


def test_the_viewer_chooses_a_time_zone(table, world, client):
    """Times show at the venue, in UTC and in the zone the viewer chose."""
    login(client, table.usa_head)
    response = client.post(
        reverse("notices:viewer_timezone_set"),
        {"timezone": "America/New_York", "next": detail(world["invited"])},
    )
    assert response["Location"] == detail(world["invited"])
    page = client.get(detail(world["invited"])).content.decode()
    assert "Europe/Vienna" in page
    assert "UTC" in page
    assert "America/New_York (yours)" in page


def test_the_time_zone_form_does_not_redirect_off_site(table, client):
    """An outside ``next`` falls back to the session list."""
    login(client, table.usa_head)
    response = client.post(
        reverse("notices:viewer_timezone_set"),
        {"timezone": "Europe/Kyiv", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("agenda:session_list")


def test_a_delegation_accepts_its_invitation_on_the_page(table, world, client):
    """Accept from the session page; another delegation's invitation reads as missing."""
    rus = Invitation.objects.get(party=table.rus)
    login(client, table.rus_head)
    url = reverse("agenda:invitation_accept", kwargs={"public_id": rus.public_id})
    response = client.post(url, {"next": detail(world["invited"])})
    assert response.status_code == 302
    rus.refresh_from_db()
    assert rus.status == "accepted"
    usa = Invitation.objects.get(party=table.usa)
    other = reverse("agenda:invitation_decline", kwargs={"public_id": usa.public_id})
    assert client.post(other).status_code == 404
    usa.refresh_from_db()
    assert usa.status == "sent"


def test_the_invitations_page_lists_the_delegations_own(table, world, client):
    """Ukraine's delegate sees Ukraine's invitation only."""
    page = login(client, table.ukr_delegate).get(reverse("agenda:invitation_list")).content.decode()
    assert "Ukraine (UKR)" in page
    assert "Russia (RUS)" not in page


# Extraordinary requests


def test_a_seat_holders_head_requests_on_the_form(table, client):
    """The head's request is recorded; a non-seat-holder's is refused on the form."""
    url = reverse("agenda:extraordinary_request_create")
    response = login(client, table.rus_head).post(url, {"reason": "Incident at sea."})
    assert response.status_code == 302
    assert ExtraordinaryRequest.objects.get().party == table.rus
    refused = login(client, table.ukr_delegate).post(url, {"reason": "Shelling."})
    assert refused.status_code == 400
    assert "Ukraine holds no seat" in refused.content.decode()
    adviser = login(client, table.rus_adviser).post(url, {"reason": "Again."})
    assert "Only the head of delegation" in adviser.content.decode()
    assert ExtraordinaryRequest.objects.count() == 1


# Secretariat pages


@pytest.mark.parametrize("name", ["session_plan", "session_convene"])
def test_staff_pages_are_hidden_from_delegates(table, client, name):
    """Planning and convening pages read as missing to anyone but the secretariat."""
    assert login(client, table.usa_head).get(reverse(f"agenda:{name}")).status_code == 404
    assert login(client, table.secretary).get(reverse(f"agenda:{name}")).status_code == 200


def test_plan_now_plans_the_next_four_sessions(table, client):
    """The "plan now" button runs the planner."""
    login(client, table.secretary)
    response = client.post(reverse("agenda:session_plan"), follow=True)
    assert "Planned CCB/" in response.content.decode()
    assert Session.objects.filter(kind="regular").count() == 4
    again = client.post(reverse("agenda:session_plan"), follow=True)
    assert "already planned" in again.content.decode()


def convene_form(starts, **extra) -> dict[str, str]:
    local = starts.astimezone(timezone.get_default_timezone())
    return {
        "venue": "Hofburg",
        "venue_timezone": "UTC",
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (local + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "reason": "Crisis.",
        "distribution": "participants",
        **extra,
    }


def test_convening_on_the_form(table, client):
    """Within 72 hours the session is convened; later, the form shows why not."""
    login(client, table.secretary)
    url = reverse("agenda:session_convene")
    late = client.post(url, convene_form(timezone.now() + timedelta(days=4)))
    assert late.status_code == 400
    assert "within 72 hours" in late.content.decode()
    assert not Session.objects.exists()
    made = client.post(url, convene_form(timezone.now() + timedelta(hours=20)))
    assert made.status_code == 302
    session = Session.objects.get()
    assert made["Location"] == detail(session)
    assert session.invitations.count() == 5


def test_the_venue_time_is_read_in_the_venues_zone(table, client):
    """10:00 typed for a Tokyo venue is 01:00 UTC."""
    login(client, table.secretary)
    starts = (timezone.now() + timedelta(hours=30)).astimezone(timezone.get_default_timezone())
    form = convene_form(starts, venue_timezone="Asia/Tokyo")
    form["starts_at"] = starts.strftime("%Y-%m-%dT10:00")
    form["ends_at"] = starts.strftime("%Y-%m-%dT12:00")
    client.post(reverse("agenda:session_convene"), form)
    session = Session.objects.get()
    assert session.starts_at.astimezone(timezone.get_default_timezone()).hour == 1


def test_editing_and_moving_a_session_on_the_page(table, world, client):
    """The edit page saves; an overlap and an illegal step show as form errors."""
    login(client, table.secretary)
    session = world["invited"]
    edit = reverse("agenda:session_edit", kwargs={"public_id": session.public_id})
    form = client.get(edit).context["form"]
    values = {name: form.initial.get(name, "") for name in form.fields}
    values["venue"] = "Redoutensaal"
    assert client.post(edit, values).status_code == 302
    session.refresh_from_db()
    assert session.venue == "Redoutensaal"

    hidden = world["hidden"]
    clash = dict(values, starts_at=values["starts_at"], ends_at=values["ends_at"])
    hidden_edit = reverse("agenda:session_edit", kwargs={"public_id": hidden.public_id})
    overlap = client.post(hidden_edit, dict(clash, venue_timezone=session.venue_timezone))
    assert overlap.status_code == 400
    assert "would overlap CCB/T/X1" in overlap.content.decode()

    move = reverse("agenda:session_transition", kwargs={"public_id": session.public_id})
    illegal = client.post(move, {"status": "closed"})
    assert illegal.status_code == 400
    assert "cannot become closed" in illegal.content.decode()
    assert client.post(move, {"status": "in_session"}).status_code == 302
    session.refresh_from_db()
    assert session.status == "in_session"


def test_inviting_on_the_page_refuses_a_duplicate(table, world, client):
    """Inviting the same party twice shows the refusal on the form."""
    login(client, table.secretary)
    url = reverse("agenda:invitation_create", kwargs={"public_id": world["hidden"].public_id})
    assert client.post(url, {"party": "UKR", "kind": "ad_hoc"}).status_code == 302
    again = client.post(url, {"party": "UKR", "kind": "ad_hoc"})
    assert again.status_code == 400
    assert "Ukraine is already invited" in again.content.decode()


def test_accrediting_a_delegate_of_an_invited_party(table, world, client):
    """The secretariat accredits a delegate of the invited ad hoc party."""
    newcomer = UserFactory(username="ukr-expert")
    MembershipFactory(delegation=table.ukr.delegation, user=newcomer, role="expert")
    login(client, table.secretary)
    url = reverse("agenda:accreditation_create", kwargs={"public_id": world["invited"].public_id})
    now = timezone.now()
    response = client.post(
        url,
        {
            "delegation": str(table.ukr.delegation.public_id),
            "user": "ukr-expert",
            "reference": "Note 12/31",
            "valid_from": now.strftime("%Y-%m-%dT%H:%M"),
            "valid_until": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert newcomer.accreditations.get().reference == "Note 12/31"


def test_the_edit_page_refuses_to_move_a_session_into_the_past(table, world, client):
    """The refusal shows on the form (400) and the session keeps its date."""
    login(client, table.secretary)
    session = world["invited"]
    before = session.starts_at
    edit = reverse("agenda:session_edit", kwargs={"public_id": session.public_id})
    form = client.get(edit).context["form"]
    values = {name: form.initial.get(name, "") for name in form.fields}
    zone = zoneinfo.ZoneInfo(session.venue_timezone)
    past = (timezone.now() - timedelta(hours=3)).astimezone(zone)
    values["starts_at"] = past.strftime("%Y-%m-%dT%H:%M")
    values["ends_at"] = (past + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(edit, values)
    assert response.status_code == 400
    assert "cannot be moved into the past" in response.content.decode()
    session.refresh_from_db()
    assert session.starts_at == before
