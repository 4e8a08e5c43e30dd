"""Every list page, and every page listing a session's or minutes' children, answers
with one page of rows: the same number of queries for a few rows as for a full page
of hundreds, a bounded size, filters as in the API that refuse bad input with a
message, and page links that keep the filters.

The record is ``seed_scale`` at a small size (80 years of one-item sessions, so
hundreds of sessions, invitations, minutes, communiqués and action points), plus
one busy session with hundreds of papers, notes, guests and statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda.models import Document, DocumentVersion, Invitation, Session
from consult.access import Distribution
from members.models import Party
from minutes.models import Minutes, Statement

MANY = 320
# "A few hundred kilobytes" at seed_scale's full size; a page of 50 rows is far below.
MAX_BYTES = 200_000


@dataclass(frozen=True)
class Record:
    busy: Session
    quiet: Session
    quarter: str


@pytest.fixture
def record(db) -> Record:
    call_command(
        "seed_scale",
        years=80,
        parties=4,
        items_per_session=1,
        statements=400,
        documents=400,
        grants=0,
        no_search_index=True,
    )
    held = list(Session.objects.filter(minutes__isnull=False).order_by("-starts_at"))
    busy = held[0]
    # In another quarter, whatever the date: its quarter's lists show only its few rows.
    quiet = next(session for session in held[1:] if session.quarter != busy.quarter)
    secretary = get_user_model().objects.get(username="bench-secretary")
    usa = Party.objects.get(code="USA")
    item = busy.items.get()
    documents = Document.objects.bulk_create(
        [
            Document(
                symbol=f"BUSY/{n:04d}",
                title=f"Busy paper {n}",
                session=busy,
                item=item,
                distribution=Distribution.PARTICIPANTS,
                created_by=secretary,
            )
            for n in range(MANY)
        ]
        + [
            Document(
                symbol=f"NOTE/{n:04d}",
                title=f"Note {n}",
                category=Document.Category.NOTE,
                session=busy,
                owner=usa,
                distribution=Distribution.DELEGATION,
                created_by=secretary,
            )
            for n in range(MANY)
        ]
    )
    DocumentVersion.objects.bulk_create(
        DocumentVersion(
            document=document,
            number=1,
            format=DocumentVersion.Format.RICH_TEXT,
            body_html="<p>Text.</p>",
            created_by=secretary,
        )
        for document in documents
    )
    guests = Party.objects.bulk_create(
        Party(code=f"G{n:03d}", name_en=f"Guest {n:03d}", kind=Party.Kind.STATE)
        for n in range(MANY)
    )
    Invitation.objects.bulk_create(
        Invitation(session=busy, party=party, kind=Invitation.Kind.OBSERVER, status="accepted")
        for party in guests
    )
    minutes = Minutes.objects.get(session=busy)
    Statement.objects.bulk_create(
        Statement(
            minutes=minutes,
            item=item,
            party=usa,
            speaker_name="Head of delegation",
            order=1000 + n,
            summary=f"Busy statement {n}",
            distribution=Distribution.PARTICIPANTS,
            recorded_by=secretary,
        )
        for n in range(MANY)
    )
    # The quiet session lists a few of each, so that both sides show rows.
    quiet_item = quiet.items.get()
    quiet_papers = Document.objects.bulk_create(
        Document(
            symbol=f"QUIET/{n}",
            title=f"Quiet paper {n}",
            session=quiet,
            item=quiet_item,
            distribution=Distribution.PARTICIPANTS,
            created_by=secretary,
        )
        for n in range(2)
    )
    DocumentVersion.objects.bulk_create(
        DocumentVersion(document=document, number=1, body_html="<p>Text.</p>", created_by=secretary)
        for document in quiet_papers
    )
    Statement.objects.bulk_create(
        Statement(
            minutes=Minutes.objects.get(session=quiet),
            item=quiet_item,
            party=usa,
            speaker_name="Head of delegation",
            order=1000 + n,
            summary=f"Quiet statement {n}",
            distribution=Distribution.PARTICIPANTS,
            recorded_by=secretary,
        )
        for n in range(2)
    )
    return Record(busy=busy, quiet=quiet, quarter=quiet.quarter)


def client_as(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def measured(client: Client, url: str, params: dict[str, Any]) -> tuple[int, Any]:
    client.get(url, params)  # process-wide caches fill on a first request: not counted
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:2000]
    return len(queries), response


def shown(response: Any, name: str = "listing") -> tuple[int, int]:
    """(rows on the page, rows in the whole list) of a page's listing."""
    listing = response.context[name]
    return len(listing.page.object_list), listing.page.paginator.count


SECRETARY, DELEGATE = "bench-secretary", "bench-usa"

# page name, url, who, the listing's name in the context, the filters that leave few rows
LISTS = [
    ("invitations", "agenda:invitation_list", SECRETARY, "listing", "quarter"),
    ("invitations", "agenda:invitation_list", DELEGATE, "listing", "quarter"),
    ("sessions", "agenda:session_list", SECRETARY, "listing", "quarter"),
    ("sessions", "agenda:session_list", DELEGATE, "listing", "quarter"),
    ("minutes", "minutes:minutes_list", SECRETARY, "listing", "quarter"),
    ("minutes", "minutes:minutes_list", DELEGATE, "listing", "quarter"),
    ("statements", "minutes:statement_search", SECRETARY, "listing", "quarter"),
    ("statements", "minutes:statement_search", DELEGATE, "listing", "quarter"),
    ("action points", "minutes:actionpoint_list", SECRETARY, "listing", "quarter"),
    ("communiqués", "minutes:communique_list", None, "listing", "quarter"),
    ("communiqués", "minutes:communique_list", SECRETARY, "listing", "quarter"),
]


@pytest.mark.parametrize(("page", "name", "who", "listing", "few"), LISTS)
def test_a_list_page_answers_a_page_in_constant_queries(record, page, name, who, listing, few):
    """Hundreds of rows: a page of them, in as many queries as a page of one or two."""
    client = client_as(who)
    url = reverse(name)
    extra = {"status": ""} if page == "action points" else {}
    many_queries, many = measured(client, url, extra)
    few_queries, narrow = measured(client, url, {**extra, "quarter": getattr(record, few)})
    rows, total = shown(many, listing)
    assert total >= 300, f"{page}: only {total} rows to list"
    assert rows == 50
    assert len(many.content) < MAX_BYTES
    few_rows, _ = shown(narrow, listing)
    assert 0 < few_rows <= 8
    assert many_queries == few_queries


CHILDREN = [
    ("papers", "agenda:session_document_list", SECRETARY, "listing"),
    ("papers", "agenda:session_document_list", DELEGATE, "listing"),
    ("session", "agenda:session_detail", SECRETARY, "documents"),
    ("session", "agenda:session_detail", DELEGATE, "documents"),
]


@pytest.mark.parametrize(("page", "name", "who", "listing"), CHILDREN)
def test_a_sessions_pages_answer_a_page_of_its_papers(record, page, name, who, listing):
    """A session with hundreds of papers and guests: its pages as many queries as a
    quiet session's, and bounded."""
    client = client_as(who)
    busy_queries, busy = measured(client, reverse(name, args=[record.busy.public_id]), {})
    quiet_queries, quiet = measured(client, reverse(name, args=[record.quiet.public_id]), {})
    rows, total = shown(busy, listing)
    assert total >= 300
    assert rows == 50
    assert len(busy.content) < MAX_BYTES
    assert shown(quiet, listing)[1] < 10
    assert busy_queries == quiet_queries


def test_a_sessions_page_answers_a_page_of_its_guests(record):
    client = client_as(SECRETARY)
    _, busy = measured(client, reverse("agenda:session_detail", args=[record.busy.public_id]), {})
    rows, total = shown(busy, "invitations")
    assert total > MANY
    assert rows == 50


@pytest.mark.parametrize("who", [SECRETARY, DELEGATE])
def test_the_minutes_page_answers_a_page_of_statements(record, who):
    client = client_as(who)
    busy_minutes = Minutes.objects.get(session=record.busy)
    quiet_minutes = Minutes.objects.get(session=record.quiet)
    busy_queries, busy = measured(client, busy_minutes.get_absolute_url(), {})
    quiet_queries, _quiet = measured(client, quiet_minutes.get_absolute_url(), {})
    rows, total = shown(busy, "statement_page")
    assert total >= MANY
    assert rows == 50
    assert len(busy.content) < MAX_BYTES
    assert busy_queries == quiet_queries


def test_the_notes_page_answers_a_page_of_notes(record):
    client = client_as(DELEGATE)
    url = reverse("agenda:note_list")
    first_queries, first = measured(client, url, {})
    rows, total = shown(first)
    assert total >= MANY
    assert rows == 50
    assert len(first.content) < MAX_BYTES
    last_page = first.context["listing"].page.paginator.num_pages
    last_queries, last = measured(client, url, {"page": last_page})
    assert shown(last)[0] < 50
    assert first_queries == last_queries


# Filters: as in the API, refused with a message; page links keep them.


def test_the_invitations_filter_by_party_and_the_page_links_keep_it(record):
    client = client_as(SECRETARY)
    response = client.get(reverse("agenda:invitation_list"), {"party": "rus", "status": "accepted"})
    assert response.status_code == 200
    _rows, total = shown(response)
    assert total == Invitation.objects.filter(party__code="RUS", status="accepted").count()
    assert total > 50
    assert {invitation.party.code for invitation in response.context["listing"].rows} == {"RUS"}
    html = response.content.decode()
    assert "party=rus&amp;status=accepted&amp;page=2" in html
    second = client.get(
        reverse("agenda:invitation_list"), {"party": "rus", "status": "accepted", "page": "2"}
    )
    assert second.status_code == 200
    assert {invitation.party.code for invitation in second.context["listing"].rows} == {"RUS"}
    assert "party=rus&amp;status=accepted&amp;page=1" in second.content.decode()


def test_the_papers_page_filters_as_the_api_does(record):
    client = client_as(DELEGATE)
    url = reverse("agenda:session_document_list", args=[record.busy.public_id])
    page = client.get(url, {"party": "USA"})
    api = client.get("/api/v1/documents/", {"session": str(record.busy.public_id), "party": "USA"})
    assert page.status_code == api.status_code == 200
    rows = page.context["listing"].rows
    assert {document.owner.code for document in rows} == {"USA"}
    assert page.context["listing"].page.paginator.count >= MANY
    in_api: set[str] = set()
    while True:
        body = api.json()
        in_api |= {row["id"] for row in body["results"]}
        if not body["next"]:
            break
        api = client.get(body["next"])
    assert page.context["listing"].page.paginator.count == len(in_api)
    assert {str(document.public_id) for document in rows} <= in_api


REFUSALS = [
    ("agenda:invitation_list", {"quarter": "2027Q9"}, "quarter"),
    ("agenda:invitation_list", {"session": "not-a-session"}, "valid UUID"),
    ("agenda:invitation_list", {"status": "lost"}, "Select a valid choice"),
    ("agenda:invitation_list", {"page": "last"}, "There is no page last of this list"),
    ("agenda:invitation_list", {"page": "999"}, "There is no page 999 of this list"),
    ("agenda:session_list", {"quarter": "Q1"}, "quarter"),
    ("agenda:session_list", {"date_from": "2027-03-01", "date_to": "2027-01-01"}, "date_to"),
    ("minutes:minutes_list", {"status": "lost"}, "Select a valid choice"),
    ("minutes:statement_search", {"date_from": "yesterday"}, "Enter a valid date"),
    ("minutes:actionpoint_list", {"page": "0"}, "There is no page 0 of this list"),
    ("minutes:communique_list", {"kind": "decree"}, "Select a valid choice"),
    ("agenda:note_list", {"page": "-1"}, "There is no page -1 of this list"),
]


@pytest.mark.parametrize(("name", "params", "message"), REFUSALS)
def test_bad_filters_and_pages_are_refused_with_a_message(record, name, params, message):
    """Answered 400 with the reason on the form and no rows, never a 500."""
    client = client_as(DELEGATE)
    response = client.get(reverse(name), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert shown(response)[0] == 0


def test_a_bad_page_of_a_sessions_papers_is_refused(record):
    client = client_as(SECRETARY)
    response = client.get(
        reverse("agenda:session_detail", args=[record.busy.public_id]), {"papers_page": "x"}
    )
    assert response.status_code == 400
    assert "There is no page x of this list" in response.content.decode()


def test_the_filter_choices_are_the_readers_own(record):
    """A delegate's party choices on the invitations page are its own parties."""
    page = client_as(DELEGATE).get(reverse("agenda:invitation_list"))
    html = page.content.decode()
    assert '<option value="USA">USA: ' in html
    assert '<option value="RUS">' not in html
    secretariat = client_as(SECRETARY).get(reverse("agenda:invitation_list")).content.decode()
    assert '<option value="RUS">' in secretariat
