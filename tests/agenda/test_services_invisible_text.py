"""Titles, symbols and names refuse the characters that reorder or hide text:
bidi embeddings, overrides, isolates and marks, and every other invisible
format character (zero-width spaces, word joiners, byte-order marks)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from agenda.models import Document, Session
from analytics.services.tokens import api_token_create
from consult.errors import ApplicationError
from consult.validation import check_visible
from members.services.parties import party_create
from members.services.users import user_create
from tests.agenda.cycle import Cycle

BIDI = [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c",
]  # fmt: skip
OTHER_INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"]


@pytest.mark.parametrize("character", BIDI + OTHER_INVISIBLE)
def test_each_hidden_character_is_refused_by_name(character: str) -> None:
    """The refusal names the character and its position, for the field it is about."""
    with pytest.raises(ApplicationError) as refused:
        check_visible(f"Position of the {character}USA", field="title", label="The title")
    code = f"U+{ord(character):04X}"
    assert f"({code} " in refused.value.message
    assert "at position 17" in refused.value.message
    assert refused.value.fields == {"title": [f"Invisible character {code} is not allowed."]}


@pytest.mark.parametrize(
    "text",
    ["Позиция России", "Position de l\u2019Union européenne", "موقف", "CCB.GAL/3/27", "Tab\tted"],
)
def test_visible_text_in_any_script_passes(text: str) -> None:
    """Cyrillic, accents, Arabic letters and ordinary punctuation are all visible."""
    assert check_visible(text, field="title", label="The title") == text


def test_names_of_parties_users_and_tokens_are_checked(db) -> None:
    """Every service that takes a name refuses a hidden character in it."""
    with pytest.raises(ApplicationError, match="U\\+202E"):
        party_create(code="GEO", kind="state", name_en="Georgia\u202e")
    with pytest.raises(ApplicationError, match="U\\+200B"):
        user_create(username="eve\u200b", first_name="Eve", last_name="E")
    with pytest.raises(ApplicationError, match="U\\+2066"):
        user_create(username="eve", first_name="\u2066Eve", last_name="E")
    user = user_create(username="analyst-x", first_name="A", last_name="X", roles=["analyst"])
    with pytest.raises(ApplicationError, match="U\\+FEFF"):
        api_token_create(user=user, name="\ufeffreader")


def test_the_api_refuses_a_title_with_an_override(cycle: Cycle, media_root) -> None:
    """A delegate's paper titled with a right-to-left override answers 400; nothing saved."""
    client = APIClient()
    client.force_authenticate(cycle.user("USA"))
    response = client.post(
        "/api/v1/documents/",
        {
            "session": str(cycle.session.public_id),
            "title": "Position of the \u202eASU",
            "distribution": "participants",
            "body_html": "<p>Text.</p>",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in response.json()["detail"]
    assert response.json()["fields"]["title"] == ["Invisible character U+202E is not allowed."]
    assert Document.objects.count() == 0


def test_the_api_refuses_a_symbol_with_a_zero_width_space(cycle: Cycle) -> None:
    """The secretariat's chosen symbol is refused too."""
    client = APIClient()
    client.force_authenticate(cycle.secretary)
    response = client.post(
        "/api/v1/documents/",
        {
            "session": str(cycle.session.public_id),
            "title": "Background",
            "symbol": "CCB.GAL/3\u200b/27",
            "distribution": "participants",
            "body_html": "<p>Text.</p>",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["symbol"] == ["Invisible character U+200B is not allowed."]
    assert Document.objects.count() == 0


def test_a_page_shows_the_refusal_on_its_form(cycle: Cycle) -> None:
    """The paper form stays on the page with the message; no paper is filed."""
    client = Client()
    client.force_login(cycle.user("USA"))
    response = client.post(
        reverse("agenda:document_create", kwargs={"public_id": cycle.session.public_id}),
        {
            "title": "US\u2067 position",
            "category": "national_position",
            "distribution": "participants",
            "language": "en",
            "owner": "USA",
            "body_html": "<p>Hotline now.</p>",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "invisible character (U+2067 RIGHT-TO-LEFT ISOLATE)" in page
    assert Document.objects.count() == 0


def test_session_titles_are_checked(cycle: Cycle) -> None:
    """A session retitled through the API with a hidden mark is refused."""
    client = APIClient()
    client.force_authenticate(cycle.secretary)
    url = f"/api/v1/sessions/{cycle.session.public_id}/"
    response = client.patch(url, {"title": "Regular\u200f session"}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["title"] == ["Invisible character U+200F is not allowed."]
    assert not Session.objects.filter(title__contains="\u200f").exists()
