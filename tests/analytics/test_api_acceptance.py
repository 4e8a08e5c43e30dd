"""Issue 6, "Done when", as a new user would try it, through HTTP only.

An analyst who also sits in the US delegation gets a token on the token
page, pages through the US statements of a quarter, searches "airspace",
exports the US statements of 2026 as CSV, and meets the US delegation's own
private note but never the Russian delegation's.
"""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from agenda.models import Session
from analytics.services.search_index import search_index_refresh
from consult.access import ANALYST_GROUP, ATTEND_SESSION, Distribution
from consult.quarters import Quarter
from minutes.models import Minutes
from tests.analytics.world import build_world, grant, say
from tests.factories import AgendaFactory, AgendaItemFactory, SessionFactory, delegate
from tests.mfa import enrol

US_STATEMENTS_OF_2026 = {
    "Airspace incidents over the Baltic.",
    "Grain corridor airspace guarantees.",
}


def _pin(session: Session, when: datetime) -> None:
    Session.objects.filter(pk=session.pk).update(
        starts_at=when, ends_at=when + timedelta(hours=6), quarter=str(Quarter.of(when))
    )


@pytest.fixture
def world(db):
    world = build_world()
    # S1 in May 2026 (2026Q2), S2 in November 2025; a US statement in a 2025
    # session the US attended, which the 2026 export must leave out.
    _pin(world.s1, datetime(2026, 5, 12, 9, tzinfo=UTC))
    _pin(world.s2, datetime(2025, 11, 20, 9, tzinfo=UTC))
    earlier = SessionFactory(
        number="CCB/T/2025",
        kind=Session.Kind.REGULAR,
        quarter="2025Q4",
        starts_at=datetime(2025, 12, 2, 9, tzinfo=UTC),
        status=Session.Status.HELD,
        distribution=Distribution.PARTICIPANTS,
    )
    grant(earlier, world.parties["USA"], ATTEND_SESSION)
    item = AgendaItemFactory(agenda=AgendaFactory(session=earlier), order=1, title="Overflight")
    minutes = Minutes.objects.create(
        session=earlier,
        status=Minutes.Status.APPROVED,
        created_by=world.users["sec"],
        approved_at=timezone.now(),
    )
    say(world, minutes, item, "USA", "Airspace overflight notice of 2025.")
    search_index_refresh(full=True)
    return world


@pytest.fixture
def analyst(world):
    user = delegate(world.parties["USA"], "us-analyst")
    user.groups.add(Group.objects.get_or_create(name=ANALYST_GROUP)[0])
    return user


def token_from_the_page(user) -> str:
    browser = Client()
    # Tokens are issued after a login with the second factor.
    enrol(user)
    browser.force_login(user)
    page = browser.post("/account/tokens/", {"name": "notebook"})
    assert page.status_code == 200
    shown = re.search(r'value="(cc_[^"]+)"[^>]*data-token-key', page.content.decode())
    assert shown is not None, "the page shows the new key once"
    return shown[1]


def test_an_analyst_gets_a_token_pages_searches_exports_and_never_sees_anothers_notes(
    world, analyst
):
    """The whole story of issue 6's "Done when", on real content."""
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_from_the_page(analyst)}")

    # Pages through the US statements of 2026Q2, one per page.
    seen: list[str] = []
    url: str | None = "/api/v1/statements/?party=usa&quarter=2026Q2&page_size=1"
    while url:
        page = api.get(url)
        assert page.status_code == 200, page.content
        body = page.json()
        assert len(body["results"]) <= 1
        for row in body["results"]:
            assert row["party"]["code"] == "USA"
            assert row["session"]["quarter"] == "2026Q2"
            seen.append(row["summary"])
        url = body["next"]
    assert sorted(seen) == sorted(US_STATEMENTS_OF_2026)

    # Searches "airspace": its delegation's own note, never Russia's.
    found = api.get("/api/v1/search/", {"q": "airspace"})
    assert found.status_code == 200
    titles = {hit["title"] for hit in found.json()["results"]}
    assert "CCB.DEL/1/T US private note" in titles
    assert "Airspace overflight notice of 2025." in titles
    assert "CCB.DEL/2/T Russian private note" not in titles
    assert "Secret airspace assessment." not in titles

    # Exports the US statements of 2026 as CSV.
    export = api.get(
        "/api/v1/exports/statements.csv",
        {"party": "USA", "date_from": "2026-01-01", "date_to": "2026-12-31"},
    )
    assert export.status_code == 200
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(export.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {row["summary"] for row in rows} == US_STATEMENTS_OF_2026
    assert {row["party_code"] for row in rows} == {"USA"}
    assert {row["quarter"] for row in rows} == {"2026Q2"}
    assert {row["id"] for row in rows} == {
        str(world.statements["us_open"].public_id),
        str(world.statements["us_item3"].public_id),
    }

    # Never sees another delegation's private notes: not listed, not readable.
    notes = api.get("/api/v1/documents/", {"kind": "note"}).json()["results"]
    assert [note["title"] for note in notes] == ["US private note"]
    russian = api.get(f"/api/v1/documents/{world.documents['ru_note'].public_id}/")
    missing = api.get("/api/v1/documents/00000000-0000-4000-8000-000000000000/")
    assert russian.status_code == missing.status_code == 404
    assert russian.json() == missing.json()

    # The analyst's token reads only.
    assert api.post("/api/v1/documents/", {}).status_code == 403
