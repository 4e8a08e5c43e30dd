"""The demo's search copy: seed_demo leaves it built, so the demo's words are found at once."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from analytics.models import SearchEntry

pytestmark = pytest.mark.django_db


def test_the_demo_analyst_finds_the_demo_record_right_after_seeding(token_client):
    """No refresh has run: the words of the demo's published record are found through the API."""
    out = io.StringIO()
    call_command("seed_demo", "--demo", stdout=out)
    analyst = get_user_model().objects.get(username="analyst")
    client, _, _ = token_client(analyst)

    response = client.get("/api/v1/search/", {"q": "airspace"})

    assert response.status_code == 200, response.content
    titles = {hit["title"] for hit in response.json()["results"]}
    assert "Communiqué on restraint in the Baltic Sea region" in titles
    assert "Search index:" in out.getvalue()


def test_seeding_again_indexes_the_same_texts_once():
    """A second run leaves one entry per text, as many as the first."""
    call_command("seed_demo", "--demo", stdout=io.StringIO())
    entries = SearchEntry.objects.count()
    call_command("seed_demo", "--demo", stdout=io.StringIO())
    assert SearchEntry.objects.count() == entries > 0


def test_the_demo_analysts_read_sessions_and_statements_through_the_api(token_client):
    """The secretariat analyst reads every session and statement; the US delegation's
    analyst reads what that delegation reads: its own notes, never Russia's."""
    call_command("seed_demo", "--demo", stdout=io.StringIO())
    users = get_user_model().objects
    secretariat_client, _, _ = token_client(users.get(username="analyst"))
    usa_client, _, _ = token_client(users.get(username="analyst-usa"))
    delegate_client, _, _ = token_client(users.get(username="delegate-usa"))

    def ids(client, path, **params):
        response = client.get(path, {"page_size": 200, **params})
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    sessions = ids(secretariat_client, "/api/v1/sessions/")
    statements = ids(secretariat_client, "/api/v1/statements/")
    assert sessions
    assert statements
    assert ids(usa_client, "/api/v1/sessions/") == ids(delegate_client, "/api/v1/sessions/")
    assert ids(usa_client, "/api/v1/statements/") == ids(delegate_client, "/api/v1/statements/")
    assert ids(usa_client, "/api/v1/statements/") <= statements
    usa_notes = ids(usa_client, "/api/v1/documents/", distribution="delegation")
    assert usa_notes == ids(delegate_client, "/api/v1/documents/", distribution="delegation")
    assert usa_notes
    assert not ids(secretariat_client, "/api/v1/documents/", distribution="delegation")
