"""Notes on passages of the papers, from the briefing pack in the browser: the
delegation's alone, anchored to the paper and its words, kept across rebuilds."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from agenda.models import Document
from agenda.services.annotations import note_annotate
from consult.access import Distribution
from tests.briefings.packs import (
    BACKGROUND,
    US_NOTE,
    Table,
    build_packs,
    copy_of,
    pages_text,
    read,
)

NOTE = "Check the corridor map against ours."


def annotate_url(paper: Document) -> str:
    return reverse("agenda:note_annotate", kwargs={"public_id": paper.public_id})


def us_note_on_corridors(table: Table, text: str = NOTE) -> Document:
    """The US delegation's note on "humanitarian corridors" in the background paper."""
    return note_annotate(
        user=table.user("USA"),
        paper=table.background,
        passage="humanitarian corridors",
        body_html=text,
        owner=table.parties["USA"],
    )


def reader(client: Any, table: Table, user: Any) -> str:
    client.force_login(user)
    page = client.get(
        reverse("briefings:pack_detail", kwargs={"public_id": table.session.public_id})
    )
    assert page.status_code == 200
    return page.content.decode()


def test_a_delegate_notes_a_passage_from_the_reader(client, table: Table) -> None:
    """Words chosen across a line break are found; the note is the delegation's, on the paper."""
    client.force_login(table.user("USA"))
    response = client.post(
        annotate_url(table.background),
        {"passage": "ceasefire lines  and\nHumanitarian corridors", "body_html": NOTE},
    )
    pack = reverse("briefings:pack_detail", kwargs={"public_id": table.session.public_id})
    assert response.status_code == 302
    assert response["Location"] == f"{pack}#paper-{table.background.public_id}"
    note = Document.objects.get(annotates=table.background)
    assert (note.category, note.distribution, note.owner, note.passage) == (
        Document.Category.NOTE,
        Distribution.DELEGATION,
        table.parties["USA"],
        "ceasefire lines and Humanitarian corridors",
    )
    assert note.title == f"On {table.background.symbol}: ceasefire lines and Humanitarian corridors"
    page = reader(client, table, table.user("USA"))
    assert 'data-passage="ceasefire lines and Humanitarian corridors"' in page
    assert NOTE in page


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("fr", "Sur {symbol} : humanitarian corridors"),
        ("ru", "К документу {symbol}: humanitarian corridors"),  # noqa: RUF001 (Cyrillic)
    ],
)
def test_a_notes_title_is_in_its_papers_language_whoever_notes(
    table: Table, language: str, title: str
) -> None:
    """The title quotes the paper, so it is written in the paper's language (the note's own),
    not in English and not in the language of the delegate who took the note."""
    Document.objects.filter(pk=table.background.pk).update(language=language)
    table.background.refresh_from_db()
    with translation.override("en"):
        note = us_note_on_corridors(table)
    assert (note.language, note.title) == (
        language,
        title.format(symbol=table.background.symbol),
    )


def test_no_other_reader_sees_the_note(client, table: Table) -> None:
    """Not Russia, not the secretariat: a note is its delegation's alone."""
    us_note_on_corridors(table)
    for user in (table.user("RUS"), table.secretary):
        page = reader(client, table, user)
        assert BACKGROUND in page
        assert NOTE not in page
    assert "Note on a passage" not in reader(client, table, table.secretary)


def test_the_note_outlives_a_rebuild_in_its_delegations_copy_only(client, table: Table) -> None:
    """Anchored to the paper, not to a copy: rebuilt packs list it with the US notes only."""
    us_note_on_corridors(table)
    build_packs(table.session, only=[table.user("USA"), table.user("RUS")])
    us_text = " ".join(pages_text(read(copy_of(table.user("USA"), table.session).file)))
    ru_text = " ".join(pages_text(read(copy_of(table.user("RUS"), table.session).file)))
    assert US_NOTE in us_text
    assert NOTE in us_text
    assert NOTE not in ru_text
    assert NOTE in reader(client, table, table.user("USA"))


@pytest.mark.parametrize(
    ("passage", "note", "reason"),
    [
        ("launch codes of the fleet", NOTE, "is not in the current text of"),
        ("", NOTE, "This field is required."),
        ("humanitarian corridors", "", "This field is required."),
        ("humanitarian\u202e corridors", NOTE, "The passage"),
    ],
)
def test_a_refused_note_shows_why_keeps_what_was_typed_and_saves_nothing(
    client, table: Table, passage: str, note: str, reason: str
) -> None:
    client.force_login(table.user("USA"))
    before = Document.objects.count()
    response = client.post(annotate_url(table.background), {"passage": passage, "body_html": note})
    assert response.status_code == 400
    page = response.content.decode()
    assert reason in page
    if note:
        assert note in page
    assert Document.objects.count() == before


def test_an_uploaded_paper_and_a_note_are_not_annotated(client, table: Table) -> None:
    client.force_login(table.user("USA"))
    for paper, reason in [
        (table.annex, "only papers written on the platform are annotated"),
        (table.us_note, "A private note is not annotated"),
    ]:
        response = client.post(annotate_url(paper), {"passage": "text", "body_html": NOTE})
        assert response.status_code == 400
        assert reason in response.content.decode()
    assert not Document.objects.filter(annotates__isnull=False).exists()


def test_who_may_not_note_a_paper(client, table: Table) -> None:
    """A paper one may not read is missing (404); the secretariat keeps no private notes."""
    client.force_login(table.user("USA"))
    assert (
        client.post(annotate_url(table.ru_note), {"passage": "x", "body_html": NOTE}).status_code
        == 404
    )
    client.force_login(table.outsider)
    assert (
        client.post(
            annotate_url(table.background), {"passage": "humanitarian", "body_html": NOTE}
        ).status_code
        == 404
    )
    client.force_login(table.secretary)
    refused = client.post(
        annotate_url(table.background), {"passage": "humanitarian", "body_html": NOTE}
    )
    assert refused.status_code in (400, 403)
    assert not Document.objects.filter(annotates__isnull=False).exists()


def test_the_reader_costs_the_same_queries_with_more_notes(
    client, table: Table, django_assert_num_queries: Any
) -> None:
    def notes(count: int) -> None:
        for n in range(count):
            us_note_on_corridors(table, f"{NOTE} {n}")

    url = reverse("briefings:pack_detail", kwargs={"public_id": table.session.public_id})
    client.force_login(table.user("USA"))
    notes(1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    notes(4)
    with django_assert_num_queries(len(one)):
        page = client.get(url).content.decode()
    assert page.count('class="pack-annotation"') == 5
