"""Papers' titles in parallel texts (consult/parallel.py): a translation per working language,
unofficial until confirmed, outdated by a new title; each reader served the title in their
language on the paper's page, the lists, the briefing pack, the search and the API, while the
paper's text keeps its own language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from agenda.models import Document
from agenda.models.documents import DOCUMENT_PARALLEL
from agenda.services import documents as services
from analytics.services.search_index import search_index_refresh
from audit.models import AuditEntry
from briefings.selectors.audiences import pack_audience
from briefings.selectors.content import pack_content
from consult import parallel
from consult.access import Distribution
from consult.errors import ApplicationError
from members.services.profiles import profile_language_set

TITLE = "Incidents at sea: position of the United States"
RU_TITLE = "Инциденты на море: позиция Соединённых Штатов"
FR_TITLE = "Incidents en mer : position des États-Unis"
BODY = "<p>The United States proposes a standing incidents channel.</p>"
RUSSIAN_ONLY = "Черноморские меры доверия"
DOCUMENTS = "/api/v1/documents/"


def reload(document: Document) -> Any:
    return Document.objects.get(pk=document.pk)


def file_paper(cycle, user=None, **fields) -> Document:
    values = {
        "user": user or cycle.secretary,
        "session": cycle.session,
        "title": TITLE,
        "distribution": Distribution.PARTICIPANTS,
        "body_html": BODY,
    }
    values.update(fields)
    return services.document_create(**values)


def translate(cycle, document, language, title, user=None) -> Document:
    return services.document_title_translation_set(
        document=document, user=user or cycle.secretary, language=language, title=title
    )


def confirm(cycle, document, language, user=None) -> Document:
    return services.document_title_translation_confirm(
        document=document, user=user or cycle.secretary, language=language
    )


def columns(document: Document) -> dict[str, object]:
    document = reload(document)
    names = parallel.translation_columns(DOCUMENT_PARALLEL)
    return {name: getattr(document, name) for name in names}


@pytest.fixture
def us_paper(cycle) -> Document:
    """The US delegation's paper, in English, with a Russian translation of its title."""
    document = file_paper(cycle, cycle.user("USA"), owner=cycle.parties["USA"])
    return translate(cycle, document, "ru", RU_TITLE)


@pytest.fixture
def russian_paper(cycle) -> Document:
    """The Russian delegation's paper, in Russian only."""
    return file_paper(
        cycle,
        cycle.user("RUS"),
        owner=cycle.parties["RUS"],
        title=RUSSIAN_ONLY,
        language="ru",
        body_html="<p>Россия предлагает меры доверия.</p>",
    )


def reader(cycle, code: str, language: str) -> Client:
    user = cycle.user(code)
    profile_language_set(user=user, language=language)
    client = Client()
    client.force_login(user)
    return client


# --- Services ---------------------------------------------------------------------------


def test_a_title_translation_is_unofficial_until_confirmed(cycle):
    document = file_paper(cycle)
    translate(cycle, document, "ru", f"  {RU_TITLE}  ")
    document = reload(document)
    assert (document.title_translation_ru, document.translation_state_ru) == (
        RU_TITLE,
        "unofficial",
    )
    # The authoritative title, its language and the text are untouched.
    assert (document.title, document.language, document.current_version) == (TITLE, "en", 1)
    assert document.versions.get().body_html == BODY
    confirm(cycle, document, "ru")
    assert reload(document).translation_state_ru == "confirmed"
    summaries = list(
        AuditEntry.objects.filter(object_id=str(document.public_id))
        .order_by("seq")
        .values_list("summary", flat=True)
    )
    assert summaries[-2:] == [
        f"Wrote the ru translation of the title of {document.symbol} (unofficial).",
        f"Confirmed the ru translation of the title of {document.symbol}.",
    ]


def test_the_papers_own_delegation_translates_and_the_secretariat_confirms(cycle, us_paper):
    """Whoever may revise a paper may translate its title, its delegation too; the
    translation stays unofficial until the secretariat, and only the secretariat, confirms
    it."""
    usa = cycle.user("USA")
    translate(cycle, us_paper, "fr", FR_TITLE, user=usa)
    with pytest.raises(PermissionDenied, match="Only the secretariat may confirm translations"):
        confirm(cycle, us_paper, "fr", user=usa)
    assert reload(us_paper).translation_state_fr == "unofficial"
    confirm(cycle, us_paper, "fr")
    assert reload(us_paper).translation_state_fr == "confirmed"


def test_the_delegations_translations_page_offers_no_confirm_button(cycle, us_paper):
    url = f"/documents/{us_paper.public_id}/translations/"
    client = Client()
    client.force_login(cycle.user("USA"))
    page = client.get(url).content.decode()
    assert 'name="title"' in page  # it translates
    assert "/translations/confirm/" not in page
    refused = client.post(url + "confirm/", {"language": "ru"}, follow=True).content.decode()
    assert "Only the secretariat may confirm translations" in refused
    assert reload(us_paper).translation_state_ru == "unofficial"
    client.force_login(cycle.secretary)
    assert "/translations/confirm/" in client.get(url).content.decode()


@pytest.mark.parametrize("who", ["RUS", "UKR", "analyst", "outsider"])
def test_no_one_else_translates_or_confirms(cycle, us_paper, who):
    user = {"analyst": cycle.analyst, "outsider": cycle.outsider}.get(who) or cycle.user(who)
    before = columns(us_paper)
    with pytest.raises(PermissionDenied):
        translate(cycle, us_paper, "fr", FR_TITLE, user=user)
    with pytest.raises(PermissionDenied):
        confirm(cycle, us_paper, "ru", user=user)
    assert columns(us_paper) == before


def test_the_secretariat_does_not_translate_a_delegations_private_note(cycle):
    note = file_paper(
        cycle,
        cycle.user("USA"),
        owner=cycle.parties["USA"],
        distribution=Distribution.DELEGATION,
        category=Document.Category.NOTE,
    )
    with pytest.raises(PermissionDenied):
        translate(cycle, note, "ru", RU_TITLE)
    translate(cycle, note, "ru", RU_TITLE, user=cycle.user("USA"))
    assert reload(note).translation_state_ru == "unofficial"


def test_an_unknown_language_or_the_papers_own_is_refused(cycle, russian_paper):
    with pytest.raises(ApplicationError, match="“xx” is not a working language"):
        translate(cycle, russian_paper, "xx", TITLE, user=cycle.user("RUS"))
    with pytest.raises(ApplicationError, match="Russian is this text's authoritative language"):
        translate(cycle, russian_paper, "ru", RU_TITLE, user=cycle.user("RUS"))
    with pytest.raises(ApplicationError, match="“de” is not a working language"):
        confirm(cycle, russian_paper, "de")
    assert columns(russian_paper) == dict.fromkeys(columns(russian_paper))
    translate(cycle, russian_paper, "EN ", "Black Sea confidence-building", user=cycle.user("RUS"))
    assert reload(russian_paper).translation_state_en == "unofficial"


def test_a_title_is_cleaned_as_the_title_itself(cycle, us_paper):
    with pytest.raises(ApplicationError, match="required"):
        translate(cycle, us_paper, "fr", "   ")
    with pytest.raises(ApplicationError, match="longer than 200"):
        translate(cycle, us_paper, "fr", "x" * 201)
    with pytest.raises(ApplicationError):
        translate(cycle, us_paper, "fr", "Incidents\u200b en mer")
    assert reload(us_paper).translation_state_fr is None


def test_confirming_a_missing_or_outdated_translation_is_refused(cycle, us_paper):
    with pytest.raises(ApplicationError, match="no French translation to confirm"):
        confirm(cycle, us_paper, "fr")
    Document.objects.filter(pk=us_paper.pk).update(translation_state_ru="outdated")
    with pytest.raises(ApplicationError, match="Update the translation before confirming it"):
        confirm(cycle, us_paper, "ru")
    assert reload(us_paper).translation_state_ru == "outdated"


def test_a_new_title_outdates_the_translations_and_a_new_text_alone_does_not(cycle, us_paper):
    usa = cycle.user("USA")
    translate(cycle, us_paper, "fr", FR_TITLE)
    confirm(cycle, us_paper, "fr")
    services.document_version_add(document=us_paper, user=usa, body_html=BODY, title=TITLE)
    document = reload(us_paper)
    assert (document.translation_state_ru, document.translation_state_fr) == (
        "unofficial",
        "confirmed",
    )
    services.document_version_add(
        document=us_paper, user=usa, body_html=BODY, title="Incidents at sea: a US proposal"
    )
    document = reload(us_paper)
    assert (document.translation_state_ru, document.translation_state_fr) == (
        "outdated",
        "outdated",
    )
    assert document.title_translation_ru == RU_TITLE  # kept for its translator to update
    # Written again, the translation is current, and unofficial, once more.
    translate(cycle, document, "ru", "Инциденты на море: предложение США")
    assert reload(document).translation_state_ru == "unofficial"


# --- Pages ------------------------------------------------------------------------------


def test_the_paper_page_shows_the_russian_title_marked_unofficial(cycle, us_paper):
    html = reader(cycle, "RUS", "ru").get(us_paper.get_absolute_url()).content.decode()
    assert f'<h1 lang="ru">{RU_TITLE}</h1>' in html
    assert 'class="state state-unofficial">Неофициальный перевод' in html
    # The text stays in the paper's own language.
    assert '<article class="rich-text" lang="en">' in html
    assert TITLE not in html.split("<h1", 1)[1].split("</h1>", 1)[0]


def test_the_paper_page_in_french_shows_the_authoritative_title_with_a_note(cycle, us_paper):
    html = reader(cycle, "RUS", "fr").get(us_paper.get_absolute_url()).content.decode()
    assert f'<h1 lang="en">{TITLE}</h1>' in html
    assert "Ce texte n’existe pas encore en français." in html  # noqa: RUF001 (French)
    assert RU_TITLE not in html.split("<h1", 1)[1].split("</h1>", 1)[0]
    # Each current version of the title has its own address.
    assert f'href="{us_paper.get_absolute_url()}?lang=ru" hreflang="ru"' in html
    russian = reader(cycle, "RUS", "fr").get(f"{us_paper.get_absolute_url()}?lang=ru")
    assert f'<h1 lang="ru">{RU_TITLE}</h1>' in russian.content.decode()


def test_an_outdated_translation_gives_the_authoritative_title_with_the_note(cycle, us_paper):
    Document.objects.filter(pk=us_paper.pk).update(translation_state_ru="outdated")
    html = reader(cycle, "RUS", "ru").get(us_paper.get_absolute_url()).content.decode()
    assert f'<h1 lang="en">{TITLE}</h1>' in html
    assert "Перевод на язык «русский» устарел" in html
    assert RU_TITLE not in html


def test_the_translations_page_is_linked_for_those_who_may_translate(cycle, us_paper):
    url = f"/documents/{us_paper.public_id}/translations/"
    for code, linked in (("USA", True), ("RUS", False)):
        html = reader(cycle, code, "en").get(us_paper.get_absolute_url()).content.decode()
        assert (url in html) is linked
    client = Client()
    client.force_login(cycle.secretary)
    assert url in client.get(us_paper.get_absolute_url()).content.decode()


def test_the_translations_page_adds_updates_and_confirms(cycle, us_paper):
    client = Client()
    client.force_login(cycle.secretary)
    url = f"/documents/{us_paper.public_id}/translations/"
    page = client.get(url + "?lang=ru")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{RU_TITLE}"' in html
    assert "Unofficial translation" in html
    assert 'name="text"' not in html  # the title alone: the text is not translated
    response = client.post(url, {"language": "fr", "title": FR_TITLE})
    assert response.status_code == 302
    assert response["Location"].endswith(f"{url}?lang=fr")
    assert reload(us_paper).title_translation_fr == FR_TITLE
    refused = client.post(url, {"language": "en", "title": "Title"})
    assert refused.status_code == 400
    assert "English is this text&#x27;s authoritative language" in refused.content.decode()
    client.post(url + "confirm/", {"language": "fr"})
    assert reload(us_paper).translation_state_fr == "confirmed"
    follow = client.post(url + "confirm/", {"language": "de"}, follow=True).content.decode()
    assert "“de” is not a working language" in follow
    outdated = client.post(url + "confirm/", {"language": "fr"}, follow=True)
    assert outdated.status_code == 200


@pytest.mark.parametrize(("who", "status"), [("RUS", 403), ("outsider", 404), (None, 302)])
def test_the_translations_page_refuses_everyone_else(cycle, us_paper, who, status):
    client = Client()
    if who:
        client.force_login(cycle.outsider if who == "outsider" else cycle.user(who))
    url = f"/documents/{us_paper.public_id}/translations/"
    assert client.get(url).status_code == status
    assert client.post(url, {"language": "fr", "title": FR_TITLE}).status_code == status
    assert client.post(url + "confirm/", {"language": "ru"}).status_code == status
    assert columns(us_paper)["translation_state_fr"] is None
    assert columns(us_paper)["translation_state_ru"] == "unofficial"


def test_the_sessions_papers_list_names_each_paper_in_the_readers_language(
    cycle, us_paper, russian_paper
):
    url = f"/sessions/{cycle.session.public_id}/documents/"
    html = reader(cycle, "RUS", "ru").get(url).content.decode()
    assert f'lang="ru">{RU_TITLE}</a> <small class="parallel-mark">(неофициальный перевод)' in html
    assert f'lang="ru">{RUSSIAN_ONLY}</a>' in html
    english = reader(cycle, "USA", "en").get(url).content.decode()
    assert f'lang="en">{TITLE}</a>' in english
    assert RU_TITLE not in english
    # The Russian-only paper: its own title, with a note saying why.
    assert re.search(
        rf'lang="ru">{RUSSIAN_ONLY}</a> <small class="parallel-note" title="This text has no '
        r'English version yet\. This is the authoritative Russian text\.">'
        r"\(in Russian: not translated yet\)</small>",
        english,
    )


def test_the_session_page_and_the_notes_list_name_papers_in_the_readers_language(cycle, us_paper):
    note = file_paper(
        cycle,
        cycle.user("USA"),
        owner=cycle.parties["USA"],
        title="Our line",
        distribution=Distribution.DELEGATION,
        category=Document.Category.NOTE,
    )
    translate(cycle, note, "ru", "Наша линия", user=cycle.user("USA"))
    client = reader(cycle, "USA", "ru")
    notes = client.get("/notes/").content.decode()
    assert 'lang="ru">Наша линия</a> <small class="parallel-mark">' in notes
    session = client.get(cycle.session.get_absolute_url()).content.decode()
    assert f'<span lang="ru">{RU_TITLE}</span>' in session


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_papers_list_costs_the_same_with_one_or_many_translated_papers(cycle, us_paper):
    client = reader(cycle, "RUS", "ru")
    url = f"/sessions/{cycle.session.public_id}/documents/"
    one = _count(client, url)
    for number in range(6):
        document = file_paper(cycle, title=f"Paper {number}")
        translate(cycle, document, "ru", f"Документ {number}")
        if number % 2:
            confirm(cycle, document, "ru")
    assert _count(client, url) == one


# --- The briefing pack ------------------------------------------------------------------


def test_the_pack_in_russian_gives_the_russian_title_and_the_text_in_english(cycle, us_paper):
    client = reader(cycle, "RUS", "ru")
    html = client.get(f"/sessions/{cycle.session.public_id}/pack/").content.decode()
    assert (
        f'<span lang="ru">{RU_TITLE}</span> <small class="pack-muted">(неофициальный перевод)'
        in html
    )
    assert '<div class="pack-rich-text" lang="en">' in html
    assert "The United States proposes a standing incidents channel." in html


def test_the_packs_render_serves_each_language_its_title(cycle, us_paper, russian_paper):
    """The PDF's content is built under the render's language (briefings/services/renders)."""
    viewer = cycle.user("RUS")
    audience = pack_audience(user=viewer, session=cycle.session)
    for language, titles in (
        ("ru", {RU_TITLE: ("ru", "unofficial", ""), RUSSIAN_ONLY: ("ru", "authoritative", "")}),
        (
            "en",
            {
                TITLE: ("en", "authoritative", ""),
                RUSSIAN_ONLY: ("ru", "authoritative", "in Russian: not translated yet"),
            },
        ),
    ):
        with translation.override(language):
            content = pack_content(session=cycle.session, audience=audience, viewer=viewer)
        papers = [*content.general_papers, *(p for item in content.items for p in item.papers)]
        assert {
            paper.title: (paper.title_language, paper.title_state, paper.title_note)
            for paper in papers
        } == titles
        assert {paper.language_code for paper in papers} == {"en", "ru"}


# --- Search -----------------------------------------------------------------------------


def test_search_names_a_paper_in_the_readers_language(cycle, us_paper):
    search_index_refresh(full=True)
    client = APIClient()
    client.force_authenticate(cycle.user("RUS"))
    found = client.get("/api/v1/search/", {"q": "incidents"}, HTTP_ACCEPT_LANGUAGE="ru").json()
    [hit] = [hit for hit in found["results"] if hit["kind"] == "document"]
    assert hit["title"] == f"{us_paper.symbol} {RU_TITLE}"
    assert (hit["details"]["title_language"], hit["details"]["title_state"]) == ("ru", "unofficial")
    assert hit["details"]["language"] == "en"
    english = client.get("/api/v1/search/", {"q": "incidents"}, HTTP_ACCEPT_LANGUAGE="en").json()
    [hit] = [hit for hit in english["results"] if hit["kind"] == "document"]
    assert hit["title"] == f"{us_paper.symbol} {TITLE}"


# --- API --------------------------------------------------------------------------------


def api(user, url: str, language: str | None = None) -> dict:
    client = APIClient()
    client.force_authenticate(user)
    headers: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_api_serves_the_title_in_the_language_asked_for(cycle, us_paper):
    url = f"{DOCUMENTS}{us_paper.public_id}/"
    row = api(cycle.user("RUS"), url, "ru")
    assert row["title"] == RU_TITLE
    assert (row["title_language"], row["authoritative"], row["translation_state"]) == (
        "ru",
        False,
        "unofficial",
    )
    # ``language`` is still the paper's own language, whatever the title served.
    assert (row["language"], row["authoritative_language"]) == ("en", "en")
    assert row["available_languages"] == [
        {"language": "en", "state": "authoritative"},
        {"language": "ru", "state": "unofficial"},
    ]
    assert row["language_note"] == ""
    english = api(cycle.user("RUS"), url)
    assert (english["title"], english["title_language"], english["authoritative"]) == (
        TITLE,
        "en",
        True,
    )
    french = api(cycle.user("RUS"), url, "fr")
    assert (french["title"], french["title_language"], french["language"]) == (TITLE, "en", "en")
    assert "français" in french["language_note"]
    listed = api(cycle.user("RUS"), DOCUMENTS, "ru")["results"]
    assert [row["title"] for row in listed] == [RU_TITLE]


def test_the_api_serves_the_authoritative_title_for_an_outdated_translation(cycle, us_paper):
    Document.objects.filter(pk=us_paper.pk).update(translation_state_ru="outdated")
    row = api(cycle.user("RUS"), f"{DOCUMENTS}{us_paper.public_id}/", "ru")
    assert (row["title"], row["title_language"], row["translation_state"]) == (
        TITLE,
        "en",
        "authoritative",
    )
    assert {"language": "ru", "state": "outdated"} in row["available_languages"]
    assert "устарел" in row["language_note"]


def test_the_api_filter_and_filing_keep_language_as_the_papers_own(cycle, us_paper, russian_paper):
    rows = api(cycle.user("RUS"), f"{DOCUMENTS}?language=ru", "ru")["results"]
    assert [(row["title"], row["language"]) for row in rows] == [(RUSSIAN_ONLY, "ru")]


def test_the_schema_documents_the_titles_languages(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    properties = components["Document"]["properties"]
    for name in (
        "title",
        "title_language",
        "language",
        "authoritative",
        "translation_state",
        "authoritative_language",
        "available_languages",
        "language_note",
    ):
        assert name in properties, name
    assert properties["language"]["allOf"][0]["$ref"].endswith("/DocumentLanguageEnum")
    assert "own language" in properties["language"]["description"]
    assert properties["title_language"]["allOf"][0]["$ref"].endswith("/WorkingLanguageEnum")
