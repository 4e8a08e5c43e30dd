"""Silence is not agreement: how a published text was adopted, and saying so wherever it is shown.

Three paths: the silence procedure kept (adopted under it), every seat-holder
joining (agreed by all participants), and anything else (a chair's
statement). The service decides; the page, the API, the public index and the
Atom feed each say which procedure applied.
"""

import html
from datetime import timedelta
from xml.etree import ElementTree

import pytest
import time_machine
from django.urls import reverse

from minutes.models import Communique
from minutes.services import communiques as communiques_services
from minutes.services import positions as positions_services

from .conftest import reload

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SEAT_HOLDERS = ("USA", "RUS", "NATO", "EU", "FRA")
USERNAMES = {"USA": "us", "RUS": "ru", "NATO": "nato", "EU": "eu", "FRA": "fr"}


def state(world, communique, code, stance="associates"):
    positions_services.position_state(
        communique=communique,
        party=world.parties[code],
        user=world.user(USERNAMES[code]),
        stance=stance,
        reservation="Read narrowly." if stance == "associates_with_reservation" else "",
    )


def publish(world, communique):
    communiques_services.communique_publish(communique=communique, user=world.user("sec"))
    return reload(communique)


def after_deadline(world, communique):
    with time_machine.travel(communique.deadline + timedelta(seconds=1), tick=False):
        return publish(world, communique)


def silence_kept(world, circulated_communique):
    communique = circulated_communique(silence=True)
    with time_machine.travel(communique.deadline + timedelta(seconds=1), tick=False):
        communiques_services.communique_silence_conclude(communique_id=communique.pk)
    return reload(communique)


def all_joined(world, circulated_communique):
    communique = circulated_communique()
    for code in SEAT_HOLDERS:
        state(world, communique, code, "associates")
    state(world, communique, "FRA", "associates_with_reservation")
    return publish(world, communique)


def one_of_five_answered(world, circulated_communique):
    communique = circulated_communique()
    state(world, communique, "USA", "associates")
    return after_deadline(world, communique)


PATHS = {
    "silence": (silence_kept, Communique.Procedure.SILENCE, "Adopted under the silence procedure"),
    "all": (all_joined, Communique.Procedure.ALL_PARTICIPANTS, "Agreed by all participants"),
    "chair": (one_of_five_answered, Communique.Procedure.CHAIR, "Chair's statement"),
}


def test_without_the_silence_procedure_one_answer_of_five_is_a_chair_s_statement(
    world, circulated_communique
):
    """The reported defect: answered by one seat-holder, it is not the participants' text."""
    communique = one_of_five_answered(world, circulated_communique)
    assert communique.status == Communique.Status.PUBLISHED
    assert communique.kind == Communique.Kind.CHAIR_STATEMENT
    assert "agreed" not in communique.published_preamble
    assert "does not reflect the agreement of all participants" in communique.published_preamble
    assert communique.procedure == Communique.Procedure.CHAIR


def test_silence_unanswered_by_all_after_the_deadline_without_the_procedure_is_the_chair_s(
    world, circulated_communique
):
    """Four of five associate and nobody dissociates: still not every seat-holder."""
    communique = circulated_communique()
    for code in ("USA", "RUS", "NATO", "EU"):
        state(world, communique, code)
    communique = after_deadline(world, communique)
    assert communique.kind == Communique.Kind.CHAIR_STATEMENT


def test_a_kept_silence_is_the_participants_text_adopted_under_the_procedure(
    world, circulated_communique
):
    communique = silence_kept(world, circulated_communique)
    assert communique.kind == Communique.Kind.COMMUNIQUE
    assert "under the silence procedure" in communique.published_preamble
    assert communique.procedure == Communique.Procedure.SILENCE


def test_every_seat_holder_joining_is_agreed_by_all(world, circulated_communique):
    communique = all_joined(world, circulated_communique)
    assert communique.kind == Communique.Kind.COMMUNIQUE
    assert "agreed on the following" in communique.published_preamble
    assert communique.procedure == Communique.Procedure.ALL_PARTICIPANTS


def test_an_unpublished_text_has_no_procedure(world, circulated_communique):
    assert circulated_communique().procedure is None


@pytest.mark.parametrize("path", PATHS)
def test_page_api_index_and_feed_say_which_procedure_applied(
    world, circulated_communique, client_for, path
):
    make, procedure, label = PATHS[path]
    communique = make(world, circulated_communique)
    anonymous = client_for(None)

    page = html.unescape(anonymous.get(communique.get_absolute_url()).content.decode())
    assert label in page

    api = client_for(world.user("us")).get(
        reverse("communique-detail", kwargs={"id": communique.public_id})
    )
    assert api.status_code == 200
    assert (api.json()["procedure"], api.json()["procedure_label"]) == (procedure.value, label)

    index = html.unescape(anonymous.get(reverse("minutes:communique_list")).content.decode())
    assert label in index

    feed = ElementTree.fromstring(anonymous.get(reverse("minutes:communique_feed")).content)
    summaries = [entry.findtext(f"{ATOM}summary") or "" for entry in feed.iter(f"{ATOM}entry")]
    assert len(summaries) == 1
    assert label in html.unescape(summaries[0])


def test_the_api_gives_no_procedure_before_publication(world, circulated_communique, client_for):
    communique = circulated_communique()
    api = client_for(world.user("us")).get(
        reverse("communique-detail", kwargs={"id": communique.public_id})
    )
    assert api.status_code == 200
    assert (api.json()["procedure"], api.json()["procedure_label"]) == (None, None)
