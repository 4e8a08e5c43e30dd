"""The Chatham House rule on every output path: outside the secretariat, the speaker
and party of a statement on a Chatham House item read "a participant"."""

import csv
import html
import io
import re
from typing import Any

import pytest
from django.urls import reverse

from minutes.selectors import record as record_selectors
from minutes.services import review as review_services

pytestmark = pytest.mark.django_db

SECRET = "Deterrence must stay credible."


@pytest.fixture
def spoken(world, say, minutes):
    """The US speaks on the Chatham House item (2) and on an open item (1); minutes circulated."""
    hidden = say("USA", 2, SECRET, full_text="<p>Full remarks on signalling.</p>")
    open_ = say("USA", 1, "Calls for restraint over the Baltic.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    return hidden, open_


def _text(page: str) -> str:
    """The page's text as read: difflib's change marks and no-break spaces removed."""
    return html.unescape(re.sub(r"<[^>]+>", "", page)).replace("\xa0", " ")


def _block(content: str, statement) -> str:
    match = re.search(rf'id="statement-{statement.public_id}">(.*?)</li>', content, re.S)
    assert match, "statement not on the page"
    return match.group(1)


@pytest.mark.parametrize("username", ["us", "ru", "de", "csto"])
def test_selector_anonymises_for_every_delegation_even_the_speaker_s(world, spoken, username):
    """Delegates, the speaking one included, read "a participant" and no party code."""
    hidden, open_ = spoken
    rows: dict[int, Any] = {
        s.pk: s
        for s in record_selectors.statement_list(world.user(username), minutes=hidden.minutes)
    }
    assert (rows[hidden.pk].display_party, rows[hidden.pk].display_speaker) == (
        "a participant",
        "a participant",
    )
    assert rows[hidden.pk].display_party_code == ""
    assert (rows[open_.pk].display_party, rows[open_.pk].display_speaker) == (
        "United States of America",
        "Ursula Statesman",
    )


def test_selector_reveals_speakers_to_the_secretariat(world, spoken):
    """The secretariat reads who spoke on a Chatham House item."""
    hidden, _ = spoken
    row: Any = record_selectors.statement_list(world.user("sec")).get(pk=hidden.pk)
    assert (row.display_party, row.display_party_code, row.display_speaker) == (
        "United States of America",
        "USA",
        "Ursula Statesman",
    )


def test_filtering_or_searching_by_party_never_reveals_a_hidden_speaker(world, spoken):
    """Outside the secretariat, a party filter or a name search matches no hidden statement."""
    hidden, open_ = spoken
    ru = world.user("ru")
    usa = world.parties["USA"]
    assert list(record_selectors.statement_list(ru, party=usa)) == [open_]
    for words in ("United States", "Statesman", "Ursula"):
        assert hidden not in record_selectors.statement_list(ru, q=words)
    assert hidden in record_selectors.statement_list(ru, q="credible")
    sec = world.user("sec")
    assert set(record_selectors.statement_list(sec, party=usa)) == {hidden, open_}
    assert hidden in record_selectors.statement_list(sec, q="Statesman")


def test_minutes_page_shows_a_participant(world, spoken, client_for):
    """The minutes page attributes the statement to "a participant" for delegates only."""
    hidden, open_ = spoken
    url = reverse("minutes:minutes_detail", kwargs={"public_id": hidden.minutes.public_id})
    content = client_for(world.user("ru")).get(url).content.decode()
    block = _block(content, hidden)
    assert "a participant" in block
    assert "United States" not in block
    assert "Statesman" not in block
    assert "United States of America" in _block(content, open_)
    secretariat_view = client_for(world.user("sec")).get(url).content.decode()
    assert "Ursula Statesman" in _block(secretariat_view, hidden)


def test_amendment_choices_use_the_display_fields(world, spoken, client_for):
    """The statement picker of the amendment form names no hidden speaker."""
    hidden, _ = spoken
    url = reverse("minutes:minutes_detail", kwargs={"public_id": hidden.minutes.public_id})
    content = client_for(world.user("ru")).get(url).content.decode()
    option = re.search(rf'<option value="{hidden.public_id}"[^>]*>(.*?)</option>', content)
    assert option
    assert "a participant" in html.unescape(option.group(1))
    assert "United States" not in option.group(1)


def test_search_page_shows_a_participant(world, spoken, client_for):
    """Search results attribute by the same rule."""
    hidden, _ = spoken
    url = reverse("minutes:statement_search") + "?q=credible"
    content = client_for(world.user("de")).get(url).content.decode()
    block = _block(content, hidden)
    assert "a participant" in block
    assert "United States" not in block


def test_csv_export_shows_a_participant(world, spoken, client_for):
    """The export carries the display attribution, not the speaker."""
    hidden, _ = spoken
    url = reverse("minutes:statements_export", kwargs={"public_id": hidden.minutes.public_id})
    rows = list(csv.DictReader(io.StringIO(client_for(world.user("us")).get(url).content.decode())))
    row = next(r for r in rows if r["summary"] == SECRET)
    assert (row["party"], row["speaker"]) == ("a participant", "a participant")
    sec_rows = csv.DictReader(io.StringIO(client_for(world.user("sec")).get(url).content.decode()))
    assert next(r for r in sec_rows if r["summary"] == SECRET)["speaker"] == "Ursula Statesman"


def test_api_shows_a_participant_and_filters_safely(world, spoken, api_for):
    """/api/v1/statements/: no party code or speaker on Chatham House items; party filter safe."""
    hidden, open_ = spoken
    client = api_for(world.user("ru"))
    body = client.get(f"/api/v1/statements/{hidden.public_id}/").json()
    assert body["party"] == {"code": None, "name": "a participant"}
    assert body["speaker"] == "a participant"
    assert "USA" not in str(body)
    assert "Statesman" not in str(body)
    by_party = client.get("/api/v1/statements/", {"party": "USA"}).json()["results"]
    assert [row["id"] for row in by_party] == [str(open_.public_id)]
    by_name = client.get("/api/v1/statements/", {"q": "Statesman"}).json()["results"]
    assert str(hidden.public_id) not in [row["id"] for row in by_name]
    sec = api_for(world.user("sec")).get(f"/api/v1/statements/{hidden.public_id}/").json()
    assert sec["party"] == {"code": "USA", "name": "United States of America"}


def test_revision_diff_is_anonymised(world, spoken, minutes, client_for):
    """Comparing revisions never shows who spoke on a Chatham House item outside the secretariat."""
    hidden, _ = spoken
    amendment = review_services.amendment_propose(
        minutes=minutes,
        party=world.parties["USA"],
        user=world.user("us"),
        text="Deterrence must remain credible.",
        statement=hidden,
    )
    review_services.amendment_decide(
        amendment=amendment, user=world.user("sec"), accept=True, reason="As delivered."
    )
    url = reverse("minutes:revision_diff", kwargs={"public_id": minutes.public_id})
    content = _text(client_for(world.user("ru")).get(url).content.decode())
    assert "a participant" in content
    assert "remain credible" in content
    assert "(Ursula Statesman)" not in content
    assert "United States of America (" not in content
    secretariat = _text(client_for(world.user("sec")).get(url).content.decode())
    assert "(Ursula Statesman)" in secretariat


def test_a_flag_set_after_the_revision_also_hides_the_speaker(world, say, minutes):
    """An item put under the rule after a revision was kept is anonymised in old revisions too."""
    statement = say("USA", 1, "Open remarks.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    world.items[0].chatham_house = True
    world.items[0].save()
    revision = minutes.revisions.get(number=1)
    lines = record_selectors.revision_lines(world.user("ru"), revision=revision)
    assert any("a participant: Open remarks." in line for line in lines)
    assert not any("United States" in line and "Open remarks" in line for line in lines)
    assert statement.party.code == "USA"
