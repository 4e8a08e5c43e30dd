"""Who reads what of the record (docs/architecture.md, "The confidentiality rule"),
through the selectors and over HTTP."""

import uuid
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agenda.models import Invitation
from agenda.services.invitations import invitation_revoke
from consult import access
from minutes.models import Statement
from minutes.selectors import communiques as communiques_selectors
from minutes.selectors import record as record_selectors
from minutes.selectors.record import STATEMENT_FIELDS
from minutes.services import action_points as action_points_services
from minutes.services import review as review_services

pytestmark = pytest.mark.django_db


def test_draft_minutes_are_the_secretariat_s_until_circulated(world, say, minutes):
    """Delegates read neither draft minutes nor their statements; circulation opens both."""
    statement = say("USA", 1, "Restraint.")
    us = world.user("us")
    assert not record_selectors.minutes_list(us).exists()
    assert not record_selectors.statement_list(us).exists()
    assert record_selectors.statement_list(world.user("sec")).get() == statement
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    assert list(record_selectors.minutes_list(us)) == [minutes]
    assert list(record_selectors.statement_list(us)) == [statement]


def test_statement_distribution_narrows_its_readers(world, say, minutes):
    """Seat-holder statements skip Germany (no seat); secretariat ones skip every delegation."""
    seat_holders = say("USA", 1, "For the seat-holders.", distribution="seat_holders")
    secretariat = say("RUS", 1, "For the record only.", distribution="secretariat")
    everyone = say("NATO", 1, "For all participants.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    assert set(record_selectors.statement_list(world.user("fr"))) == {seat_holders, everyone}
    assert set(record_selectors.statement_list(world.user("de"))) == {everyone}
    assert set(record_selectors.statement_list(world.user("ru"))) == {seat_holders, everyone}
    assert set(record_selectors.statement_list(world.user("sec"))) == {
        seat_holders,
        secretariat,
        everyone,
    }


def test_an_ad_hoc_party_reads_only_its_item(world, say, minutes):
    """Ukraine opens the circulated minutes of its session, and inside them reads the
    statements of item 3 only, never those of the items it was not invited to."""
    say("USA", 1, "On airspace.")
    on_corridor = say("UKR", 3, "On the corridor.")
    ua = world.user("ua")
    assert not record_selectors.minutes_list(ua).exists()
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    assert list(record_selectors.statement_list(ua)) == [on_corridor]
    assert list(record_selectors.minutes_list(ua)) == [minutes]


def test_outsiders_and_anonymous_readers_see_nothing_of_the_minutes(world, say, minutes):
    """No invitation, no reading; public statements are the only exception."""
    say("USA", 1, "Participants only.")
    public = say("RUS", 1, "For the press.", distribution="public")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    assert list(record_selectors.statement_list(world.user("outsider"))) == [public]
    assert list(record_selectors.statement_list(AnonymousUser())) == [public]
    assert not record_selectors.minutes_list(world.user("outsider")).exists()


def test_an_ended_membership_ends_reading_at_once(world, say, minutes):
    """A delegate whose membership ended reads nothing on the next request."""
    say("USA", 1, "Restraint.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    us = world.user("us")
    us.delegation_memberships.update(valid_until=world.session.starts_at + timedelta(days=1))
    assert not record_selectors.statement_list(us).exists()


def test_amendments_are_read_by_their_party_and_the_secretariat(world, say, minutes):
    """Other delegations never see a proposal (it could reveal a Chatham House speaker)."""
    statement = say("USA", 2, "Hidden speaker.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    amendment = review_services.amendment_propose(
        minutes=minutes,
        party=world.parties["USA"],
        user=world.user("us"),
        text="Corrected.",
        statement=statement,
    )
    assert list(record_selectors.amendment_list(world.user("us"), minutes=minutes)) == [amendment]
    assert list(record_selectors.amendment_list(world.user("sec"), minutes=minutes)) == [amendment]
    assert not record_selectors.amendment_list(world.user("ru"), minutes=minutes).exists()


def test_open_action_points_roll_into_later_sessions(world, say, minutes):
    """Open points of earlier sessions, by owner, until done; the briefing pack's selector."""
    from .conftest import build_world

    say("USA", 1, "Restraint.")
    mine = action_points_services.action_point_create(
        minutes=minutes,
        user=world.user("sec"),
        description="US paper on exercises.",
        due_date=date.today() + timedelta(days=20),
        owner=world.parties["USA"],
    )
    done = action_points_services.action_point_create(
        minutes=minutes,
        user=world.user("sec"),
        description="Russian note.",
        due_date=date.today() + timedelta(days=20),
        owner=world.parties["RUS"],
    )
    action_points_services.action_point_update_status(
        action_point=done, user=world.user("ru"), status="done"
    )
    later = build_world(number="CCB/T/9", starts_at=world.session.starts_at + timedelta(days=90))
    us = world.user("us")
    assert list(record_selectors.open_action_points(us, session=later.session)) == [mine]
    assert not record_selectors.open_action_points(us, session=world.session).exists()
    assert (
        list(
            record_selectors.open_action_points(
                us, session=later.session, party=world.parties["RUS"]
            )
        )
        == []
    )
    assert not record_selectors.open_action_points(
        world.user("outsider"), session=later.session
    ).exists()


def test_drafts_of_communiques_are_for_the_seat_holders(world, circulated_communique):
    """Seat-holders and the secretariat read a draft; others (no seat, observer, public) do not."""
    communique = circulated_communique()
    for username in ("sec", "us", "ru", "fr"):
        assert list(communiques_selectors.communique_list(world.user(username))) == [communique]
    for user in (world.user("de"), world.user("csto"), world.user("ua"), AnonymousUser()):
        assert not communiques_selectors.communique_list(user).exists()


@pytest.mark.parametrize(
    "url_name", ["minutes:minutes_detail", "minutes:revision_diff", "minutes:statements_export"]
)
def test_refused_minutes_pages_answer_like_missing_ones(world, say, minutes, client_for, url_name):
    """Draft minutes, to a delegate, answer exactly as minutes that do not exist."""
    say("USA", 1, "Restraint.")
    client = client_for(world.user("us"))
    refused = client.get(reverse(url_name, kwargs={"public_id": minutes.public_id}))
    missing = client.get(reverse(url_name, kwargs={"public_id": uuid.uuid4()}))
    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content


def test_refused_api_reads_answer_like_missing_ones(
    world, say, minutes, api_for, circulated_communique
):
    """Statements, minutes and draft communiqués: 404 with the same body as a missing id."""
    statement = say("USA", 1, "Restraint.", distribution="secretariat")
    communique = circulated_communique()
    client = api_for(world.user("de"))
    for resource, public_id in (
        ("statements", statement.public_id),
        ("minutes", minutes.public_id),
        ("communiques", communique.public_id),
    ):
        refused = client.get(f"/api/v1/{resource}/{public_id}/")
        missing = client.get(f"/api/v1/{resource}/{uuid.uuid4()}/")
        assert refused.status_code == missing.status_code == 404
        assert refused.json() == missing.json() == {"detail": "Not found."}


def test_refused_communique_page_answers_like_a_missing_one(
    world, circulated_communique, client_for
):
    """A draft's page answers 404 to the public and to delegations without a seat."""
    communique = circulated_communique()
    url = reverse("minutes:communique_detail", kwargs={"public_id": communique.public_id})
    missing_url = reverse("minutes:communique_detail", kwargs={"public_id": uuid.uuid4()})
    for user in (None, world.user("de"), world.user("csto")):
        client = client_for(user)
        refused, missing = client.get(url), client.get(missing_url)
        assert refused.status_code == missing.status_code == 404
        assert refused.content == missing.content


def _queries_on(table: str, captured: CaptureQueriesContext) -> int:
    return sum(f'FROM "{table}"' in query["sql"] for query in captured.captured_queries)


def test_a_request_reads_the_callers_delegations_and_grants_once(world, say, minutes, client_for):
    """The statements list and its papers' prefetch share one reading of the caller."""
    say("USA", 1, "Restraint.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    client = client_for(world.user("us"))
    with CaptureQueriesContext(connection) as captured:
        assert len(client.get("/api/v1/statements/").json()["results"]) == 1
    assert _queries_on("members_delegationmembership", captured) == 1
    assert _queries_on("agenda_sessiongrant", captured) == 1


def test_outside_a_request_every_list_reads_afresh(world, say, minutes):
    """A task or a shell holding a user object never reads through stale grants."""
    statement = say("USA", 1, "Restraint.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    us = world.user("us")
    assert list(record_selectors.statement_list(us)) == [statement]
    us.delegation_memberships.update(valid_until=timezone.now() - timedelta(minutes=1))
    assert list(record_selectors.statement_list(us)) == []


def test_a_change_within_a_request_is_read_by_the_rest_of_it(world, say, minutes):
    """A service that withdraws access drops the request's reading: its answer reads anew."""
    statement = say("USA", 1, "Restraint.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    us = world.user("us")
    seen: list[list[Statement]] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(list(record_selectors.statement_list(us)))
        invitation = Invitation.objects.get(session=world.session, party=world.parties["USA"])
        invitation_revoke(invitation=invitation, user=world.user("sec"))
        seen.append(list(record_selectors.statement_list(us)))
        return HttpResponse()

    access.ReadOncePerRequestMiddleware(view)(RequestFactory().get("/"))
    assert seen == [[statement], []]


def test_a_reading_at_another_moment_is_not_kept(world, say, minutes):
    """Asking what a delegate could read before joining leaves the request's reading alone."""
    statement = say("USA", 1, "Restraint.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    us = world.user("us")
    before_joining = us.delegation_memberships.get().valid_from - timedelta(days=1)
    seen: list[bool] = []

    def view(request: HttpRequest) -> HttpResponse:
        then = access.visible_q(Statement, us, at=before_joining, **STATEMENT_FIELDS)
        seen.append(Statement.objects.filter(then).exists())
        seen.append(list(record_selectors.statement_list(us)) == [statement])
        return HttpResponse()

    access.ReadOncePerRequestMiddleware(view)(RequestFactory().get("/"))
    assert seen == [False, True]


def test_an_ended_membership_ends_reading_on_the_next_request(world, say, minutes, client_for):
    """Each request reads the caller's delegations afresh: the next list is empty."""
    say("USA", 1, "Restraint.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    us = world.user("us")
    client = client_for(us)
    assert len(client.get("/api/v1/statements/").json()["results"]) == 1
    us.delegation_memberships.update(valid_until=timezone.now() - timedelta(minutes=1))
    assert client.get("/api/v1/statements/").json()["results"] == []
