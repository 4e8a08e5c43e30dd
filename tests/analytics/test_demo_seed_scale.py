import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from agenda.models import AgendaItemGrant, Document, DocumentVersion, Session, SessionGrant
from analytics.models import SearchEntry
from minutes.models import Statement

TINY = {
    "years": 2,
    "parties": 20,
    "items_per_session": 3,
    "statements": 300,
    "documents": 120,
    "grants": 400,
}


@pytest.fixture
def seeded(db):
    call_command("seed_scale", **TINY)


def test_it_writes_what_was_asked(seeded):
    assert Session.objects.filter(kind="regular").count() == 8
    assert Statement.objects.count() == 300
    assert Document.objects.count() == DocumentVersion.objects.count() == 120
    grants = SessionGrant.objects.count() + AgendaItemGrant.objects.count()
    assert grants >= 400
    assert SearchEntry.objects.filter(kind="statement").count() == 300


def test_the_access_rule_holds_on_the_seeded_record(seeded):
    """A delegate reads part of the record, an outsider only its public part."""
    users = get_user_model().objects
    counts = {}
    for name in ("bench-usa", "bench-outsider", "bench-secretary"):
        client = APIClient()
        client.force_authenticate(users.get(username=name))
        response = client.get("/api/v1/exports/statements.jsonl")
        rows = b"".join(response.streaming_content).splitlines()  # type: ignore[attr-defined]
        counts[name] = len(rows)
    assert 0 < counts["bench-outsider"] < counts["bench-usa"] < counts["bench-secretary"]
    assert counts["bench-secretary"] == 300


def test_the_search_term_is_found(seeded):
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username="bench-secretary"))
    page = client.get("/api/v1/search/", {"q": "airspace", "kind": "statement"}).json()
    assert page["results"]
    assert all("<mark>" in hit["snippet"] or "airspace" in hit["title"] for hit in page["results"])


def test_a_database_with_sessions_is_refused(seeded):
    with pytest.raises(CommandError, match="empty database"):
        call_command("seed_scale", **TINY)
