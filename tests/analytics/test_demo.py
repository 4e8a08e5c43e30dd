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
