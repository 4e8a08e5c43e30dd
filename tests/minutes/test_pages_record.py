"""The record's pages: the secretariat records and steers, delegates amend and state
positions, and anybody reads published communiqués, their index and the Atom feed."""

import html
import re
import uuid
from datetime import timedelta
from xml.etree import ElementTree

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agenda.models import AgendaItem, Document
from minutes.models import Amendment, Communique, Minutes, Position, SilenceBreak, Statement
from minutes.services import action_points as action_points_services
from minutes.services import communiques as communiques_services
from minutes.services import positions as positions_services
from minutes.services import record as record_services
from minutes.services import review as review_services

from .conftest import reload

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def url(name, obj=None, **kwargs):
    if obj is not None:
        kwargs["public_id"] = obj.public_id
    return reverse(f"minutes:{name}", kwargs=kwargs or None)


def test_secretariat_opens_and_records_minutes_live(world, client_for):
    """Open the minutes, record attendance, then a statement through the fast entry form."""
    client = client_for(world.user("sec"))
    response = client.post(url("minutes_create", session_id=world.session.public_id))
    minutes = Minutes.objects.get(session=world.session)
    assert response.status_code == 302
    assert response["Location"] == url("statement_record", minutes)
    page = client.get(url("statement_record", minutes))
    assert page.status_code == 200
    client.post(
        url("attendance_record", minutes),
        {"party": "USA", "delegates": [world.user("us").pk]},
    )
    response = client.post(
        url("statement_record", minutes),
        {
            "item": world.chatham.public_id,
            "party": "USA",
            "speaker": world.user("us").pk,
            "summary": "Deterrence must stay credible.",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?item={world.chatham.public_id}")
    statement = Statement.objects.get()
    assert (statement.party.code, statement.speaker_name) == ("USA", "Ursula Statesman")


def test_fast_entry_shows_a_refusal_and_saves_nothing(world, client_for, attend):
    """Ukraine on an item it was not invited to: the service's message; the form is kept."""
    minutes = attend("USA", "UKR")
    client = client_for(world.user("sec"))
    response = client.post(
        url("statement_record", minutes),
        {"item": world.items[0].public_id, "party": "UKR", "summary": "On airspace."},
    )
    assert response.status_code == 400
    content = html.unescape(response.content.decode())
    assert "Ukraine is invited to CCB/T/1 for other items only, not item 1." in content
    assert "On airspace." in content
    assert not Statement.objects.exists()


def _paper(world, symbol, distribution, owner=None):
    return Document.objects.create(
        symbol=symbol,
        title=f"Paper {symbol}",
        session=world.session,
        owner=world.parties[owner] if owner else None,
        distribution=distribution,
        created_by=world.user("sec"),
    )


def _options(page, name):
    """The values of the options of the ``<select name=...>`` on the page."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None, f"no <select name={name}> on the page"
    return set(re.findall(r'<option value="([^"]*)"', select.group(1))) - {""}


def test_record_form_neither_offers_nor_takes_a_delegation_s_private_note(
    world, client_for, attend
):
    """Russia's private note is not even named to the secretariat; posted anyway, the
    statement is refused on the form and nothing is saved."""
    minutes = attend("USA", "RUS")
    shared = _paper(world, "CCB.M/1/26", "participants")
    note = _paper(world, "CCB.NOTE.RUS/1/26", "delegation", owner="RUS")
    client = client_for(world.user("sec"))
    page = client.get(url("statement_record", minutes)).content.decode()
    assert _options(page, "documents") == {str(shared.public_id)}
    assert "CCB.NOTE.RUS" not in page
    response = client.post(
        url("statement_record", minutes),
        {
            "item": world.items[0].public_id,
            "party": "RUS",
            "summary": "On airspace.",
            "documents": [shared.public_id, note.public_id],
        },
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["documents"]
    assert "not one of the available choices" in html.unescape(response.content.decode())
    assert not Statement.objects.exists()


def test_interpretative_statement_form_offers_and_takes_only_readable_items(
    world, say, minutes, client_for
):
    """A secretariat-only item is no choice for a delegation: not listed, and refused
    on the form when posted."""
    hidden = AgendaItem.objects.create(
        agenda=world.items[0].agenda,
        session=world.session,
        order=4,
        title="Staff arrangements",
        kind="any_other_business",
        distribution="secretariat",
    )
    say("USA", 1, "Restraint.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    client = client_for(world.user("fr"))
    page = client.get(url("minutes_detail", minutes)).content.decode()
    assert _options(page, "item") == {str(item.public_id) for item in world.items}
    assert "Staff arrangements" not in page
    response = client.post(
        url("interpretative_attach", minutes),
        {"party": "FRA", "item": hidden.public_id, "summary": "France reads ..."},
    )
    assert response.status_code == 400
    assert "item" in response.context["interpretative_form"].errors
    assert not Statement.objects.filter(kind=Statement.Kind.INTERPRETATIVE).exists()


@pytest.mark.parametrize("username", ["us", "outsider"])
def test_secretariat_pages_are_not_found_for_others(world, minutes, client_for, username):
    """The fast entry page and the secretariat's actions answer 404 outside the secretariat."""
    client = client_for(world.user(username))
    assert client.get(url("statement_record", minutes)).status_code == 404
    assert client.post(url("minutes_circulate", minutes)).status_code == 404
    assert reload(minutes).status == Minutes.Status.DRAFT


def test_circulation_amendment_decision_and_approval_through_pages(world, say, minutes, client_for):
    """The whole workflow from the pages, ending locked."""
    statement = say("RUS", 1, "Russia rejected the premise.")
    sec = client_for(world.user("sec"))
    sec.post(url("minutes_circulate", minutes))
    assert reload(minutes).status == Minutes.Status.CIRCULATED
    ru = client_for(world.user("ru"))
    detail = ru.get(url("minutes_detail", minutes))
    assert "Propose an amendment" in detail.content.decode()
    ru.post(
        url("amendment_propose", minutes),
        {"party": "RUS", "statement": statement.public_id, "text": "Russia questioned it."},
    )
    amendment = Amendment.objects.get()
    sec.post(url("amendment_decide", amendment), {"decision": "accept", "reason": "As said."})
    assert reload(statement).summary == "Russia questioned it."
    sec.post(url("minutes_approve", minutes))
    assert reload(minutes).status == Minutes.Status.APPROVED
    refused = ru.post(url("amendment_propose", minutes), {"party": "RUS", "text": "Again."})
    assert refused.status_code == 400
    assert "approved and locked" in html.unescape(refused.content.decode())
    assert Amendment.objects.count() == 1


def test_delegation_attaches_an_interpretative_statement(world, say, minutes, client_for):
    """A delegate attaches its delegation's interpretative statement from the minutes page."""
    say("USA", 1, "Restraint.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    client_for(world.user("fr")).post(
        url("interpretative_attach", minutes),
        {"party": "FRA", "item": world.items[0].public_id, "summary": "France reads ..."},
    )
    attached = Statement.objects.get(kind=Statement.Kind.INTERPRETATIVE)
    assert attached.party.code == "FRA"
    page = client_for(world.user("us")).get(url("minutes_detail", minutes)).content.decode()
    assert "Interpretative statement by France" in page


def test_delegates_see_and_close_their_action_points(world, say, minutes, client_for):
    """The action point page lists a delegation's own open points; it marks them done."""
    say("USA", 1, "x")
    mine = action_points_services.action_point_create(
        minutes=minutes,
        user=world.user("sec"),
        description="US paper on exercises",
        due_date=timezone.now().date(),
        owner=world.parties["USA"],
    )
    action_points_services.action_point_create(
        minutes=minutes,
        user=world.user("sec"),
        description="Russian note on corridors",
        due_date=timezone.now().date(),
        owner=world.parties["RUS"],
    )
    client = client_for(world.user("us"))
    page = client.get(url("actionpoint_list")).content.decode()
    assert "US paper on exercises" in page
    assert "Russian note on corridors" not in page
    client.post(url("actionpoint_status", mine), {"status": "done"})
    assert reload(mine).status == "done"
    assert "US paper on exercises" not in client.get(url("actionpoint_list")).content.decode()


def test_revision_diff_page_compares_two_revisions(world, say, minutes, client_for):
    """The diff shows what an accepted amendment changed, escaping the text."""
    statement = say("USA", 1, "Restraint <b>now</b>.", speaker=None)
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    amendment = review_services.amendment_propose(
        minutes=minutes,
        party=world.parties["USA"],
        user=world.user("us"),
        text="Restraint <script>alert(1)</script> soon.",
        statement=statement,
    )
    review_services.amendment_decide(
        amendment=amendment, user=world.user("sec"), accept=True, reason="Ok"
    )
    response = client_for(world.user("ru")).get(
        url("revision_diff", minutes), {"older": 1, "newer": 2}
    )
    content = response.content.decode()
    assert response.status_code == 200
    # Only as text: no script element reaches the page, the words do.
    assert "<script>" not in content
    text = html.unescape(re.sub(r"<[^>]+>", "", content)).replace("\xa0", " ")
    # Compared word by word, the markup of the texts included.
    assert "Restraint <deleted: binserted: script>deleted: nowinserted: alert(1)</" in text
    assert content.count("<ins>") == content.count("</ins>") > 0
    missing = client_for(world.user("ru")).get(
        url("revision_diff", minutes), {"older": 1, "newer": 9}
    )
    assert missing.status_code == 404


@pytest.mark.parametrize("rows", [1, 10])
def test_minutes_page_queries_do_not_grow(
    world, minutes, client_for, django_assert_max_num_queries, rows
):
    """The minutes page costs the same queries for one statement as for many."""
    for number in range(rows):
        record_services.statement_record(
            minutes=minutes,
            item=world.items[number % 3],
            party=world.parties[("USA", "RUS", "NATO")[number % 3]],
            user=world.user("sec"),
            summary=f"Statement {number}.",
        )
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    client = client_for(world.user("ru"))
    with django_assert_max_num_queries(28):
        response = client.get(url("minutes_detail", minutes))
    assert response.content.decode().count('id="statement-') == rows


# Communiqués ---------------------------------------------------------------


def publish_with_us_reservation(world, circulated_communique):
    communique = circulated_communique(
        title="On the Baltic", text="<p>Participants call for restraint.</p>"
    )
    positions_services.position_state(
        communique=communique,
        party=world.parties["USA"],
        user=world.user("us"),
        stance="associates_with_reservation",
        reservation="The United States reads “restraint” as mutual.",
    )
    # Every other seat-holder joins: the text is the participants' (silence is not agreement).
    for code, username in (("RUS", "ru"), ("NATO", "nato"), ("EU", "eu"), ("FRA", "fr")):
        positions_services.position_state(
            communique=communique,
            party=world.parties[code],
            user=world.user(username),
            stance="associates",
        )
    with time_machine.travel(communique.deadline + timedelta(minutes=1)):
        communiques_services.communique_publish(communique=communique, user=world.user("sec"))
    return communique


def test_public_page_shows_the_footnote_without_login(world, circulated_communique, client_for):
    """The US reservation is a footnote on the public page, read without an account."""
    communique = publish_with_us_reservation(world, circulated_communique)
    response = client_for(None).get(url("communique_detail", communique))
    content = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "On the Baltic" in content
    assert 'href="#fn-1"' in content
    assert (
        "Reservation of United States of America: The United States reads “restraint” as mutual."
        in content
    )
    assert "Participants call for restraint." in content
    # Drafting history is not public.
    assert "Positions on version" not in content


def test_public_index_and_atom_feed_list_published_texts_only(
    world, circulated_communique, client_for
):
    """Index and feed: published texts, no drafts, without an account."""
    published = publish_with_us_reservation(world, circulated_communique)
    circulated_communique(title="Secret draft")
    client = client_for(None)
    index = client.get(url("communique_list")).content.decode()
    assert "On the Baltic" in index
    assert "Secret draft" not in index
    feed = client.get(url("communique_feed"))
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(feed.content)
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["On the Baltic"]
    summary = entries[0].findtext(f"{ATOM}summary")
    assert summary is not None
    assert "Reservation of United States of America" in summary
    assert entries[0].findtext(f"{ATOM}id") == f"urn:uuid:{published.public_id}"


def test_feed_is_the_same_for_every_reader(world, circulated_communique, client_for):
    """A seat-holder's session does not put drafts in the feed."""
    circulated_communique(title="Secret draft")
    content = client_for(world.user("us")).get(url("communique_feed")).content.decode()
    assert "Secret draft" not in content


def test_russia_dissociates_and_the_page_shows_a_chair_s_statement(world, client_for):
    """From the pages: draft, circulate, Russia dissociates, publish: a chair's statement."""
    sec = client_for(world.user("sec"))
    sec.post(
        url("communique_draft"),
        {
            "session": world.session.public_id,
            "title": "On nuclear signalling",
            "kind": "communique",
            "text": "<p>Participants reaffirm ...</p>",
        },
    )
    communique = Communique.objects.get()
    sec.post(
        url("communique_circulate", communique),
        {"deadline": (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")},
    )
    assert reload(communique).status == Communique.Status.CIRCULATED
    ru = client_for(world.user("ru"))
    assert "State your position" in ru.get(url("communique_detail", communique)).content.decode()
    ru.post(url("position_state", communique), {"party": "RUS", "stance": "dissociates"})
    for code, username in (("USA", "us"), ("NATO", "nato"), ("EU", "eu"), ("FRA", "fr")):
        client_for(world.user(username)).post(
            url("position_state", communique), {"party": code, "stance": "associates"}
        )
    assert Position.objects.count() == 5
    sec.post(url("communique_publish", communique))
    page = client_for(None).get(url("communique_detail", communique)).content.decode()
    page = html.unescape(page)
    assert "Chair's statement: On nuclear signalling" in page
    assert "Issued by the Chair" in page


def test_a_seat_holder_breaks_silence_with_one_click(world, circulated_communique, client_for):
    """The break-silence form records the reason once; a second click is refused."""
    communique = circulated_communique(silence=True)
    client = client_for(world.user("ru"))
    assert "Break silence" in client.get(url("communique_detail", communique)).content.decode()
    client.post(url("silence_break", communique), {"party": "RUS", "reason": "Paragraph 2."})
    second = client.post(
        url("silence_break", communique), {"party": "RUS", "reason": "Again."}, follow=True
    )
    assert "already broke silence" in html.unescape(second.content.decode())
    assert SilenceBreak.objects.count() == 1


def test_version_diff_page(world, circulated_communique, client_for):
    """Seat-holders compare versions; the public cannot."""
    communique = circulated_communique()
    communiques_services.communique_version_add(
        communique=communique, user=world.user("sec"), text="<p>The participants met in Vienna.</p>"
    )
    response = client_for(world.user("us")).get(url("communique_version_diff", communique))
    assert response.status_code == 200
    text = html.unescape(re.sub(r"<[^>]+>", "", response.content.decode())).replace("\xa0", " ")
    assert "Vienna" in text
    assert "<ins>" in response.content.decode()
    assert client_for(None).get(url("communique_version_diff", communique)).status_code == 302
    assert (
        client_for(world.user("de")).get(url("communique_version_diff", communique)).status_code
        == 404
    )


def test_drafting_form_refuses_bad_input_with_the_message(world, client_for):
    """An empty text is refused on the form; nothing is created."""
    response = client_for(world.user("sec")).post(
        url("communique_draft"),
        {"session": world.session.public_id, "title": "x", "kind": "communique", "text": "<p></p>"},
    )
    assert response.status_code == 400
    assert "The text is required." in response.content.decode()
    assert not Communique.objects.exists()


def test_missing_communique_page_is_not_found(client_for, db):
    """An unknown id answers 404."""
    assert client_for(None).get(url("communique_detail", public_id=uuid.uuid4())).status_code == 404
