"""Parallel texts of communiqués (consult/parallel.py): translations per working language,
their states, the reader's version, the public pages' alternates, the feeds per language and
the API's negotiation."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from consult import parallel
from consult.errors import ApplicationError
from members.services.profiles import profile_language_set
from minutes.models import Communique
from minutes.models.communiques import COMMUNIQUE_PARALLEL
from minutes.services import communiques as communiques_services

from .conftest import reload

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RU_TITLE = "Заявление Председателя: Совместное коммюнике"
RU_TEXT = "<p>Участники провели встречу.</p>"
FR_TITLE = "Déclaration du Président : communiqué conjoint"
FR_TEXT = "<p>Les participants se sont réunis.</p>"


def publish(world, communique):
    with time_machine.travel(communique.deadline + timedelta(seconds=1), tick=False):
        communiques_services.communique_publish(communique=communique, user=world.user("sec"))
    return reload(communique)


def translate(world, communique, language, title, text):
    return communiques_services.communique_translation_set(
        communique=communique, user=world.user("sec"), language=language, title=title, text=text
    )


@pytest.fixture
def published(world, circulated_communique):
    """A published text with a Russian translation (unofficial) and a French one (confirmed)."""
    communique = publish(world, circulated_communique())
    translate(world, communique, "ru", RU_TITLE, RU_TEXT)
    translate(world, communique, "fr", FR_TITLE, FR_TEXT)
    communiques_services.communique_translation_confirm(
        communique=communique, user=world.user("sec"), language="fr"
    )
    return reload(communique)


def columns(communique):
    communique = reload(communique)
    return {
        name: getattr(communique, name)
        for name in parallel.translation_columns(COMMUNIQUE_PARALLEL)
    }


# --- Services ---------------------------------------------------------------------------


def test_a_translation_is_unofficial_until_confirmed(world, circulated_communique):
    communique = circulated_communique()
    translate(world, communique, "ru", RU_TITLE, "<p>Участники <script>x</script>встретились.</p>")
    communique = reload(communique)
    assert communique.translation_state_ru == "unofficial"
    assert communique.title_translation_ru == RU_TITLE
    assert communique.text_translation_ru == "<p>Участники встретились.</p>"
    # The authoritative text is untouched.
    assert communique.title == "Joint communiqué"
    assert communique.language == "en"
    communiques_services.communique_translation_confirm(
        communique=communique, user=world.user("sec"), language="ru"
    )
    assert reload(communique).translation_state_ru == "confirmed"
    summaries = list(
        AuditEntry.objects.filter(
            summary__contains="translation of “Joint communiqué”"
        ).values_list("summary", flat=True)
    )
    assert any("ru translation" in summary and "unofficial" in summary for summary in summaries)
    assert any("Confirmed the ru translation" in summary for summary in summaries)


def test_a_new_authoritative_version_outdates_every_translation(world, published):
    communique = Communique.objects.get(pk=published.pk)
    # A draft is revised; the published one above stays as it is, so revise a new draft.
    draft = communiques_services.communique_draft(
        session=world.session, user=world.user("sec"), title="Second text", text="<p>One.</p>"
    )
    translate(world, draft, "ru", "Второй текст", "<p>Один.</p>")
    translate(world, draft, "fr", "Deuxième texte", "<p>Un.</p>")
    communiques_services.communique_translation_confirm(
        communique=draft, user=world.user("sec"), language="fr"
    )
    communiques_services.communique_version_add(
        communique=draft, user=world.user("sec"), text="<p>Two.</p>", note="Changed."
    )
    draft = reload(draft)
    assert (draft.translation_state_ru, draft.translation_state_fr) == ("outdated", "outdated")
    # Writing an outdated translation again makes it an unofficial one.
    translate(world, draft, "fr", "Deuxième texte", "<p>Deux.</p>")
    assert reload(draft).translation_state_fr == "unofficial"
    assert reload(communique).translation_state_fr == "confirmed"


def test_rewriting_a_confirmed_translation_makes_it_unofficial_again(world, published):
    translate(world, published, "fr", FR_TITLE, "<p>Les participants se sont rencontrés.</p>")
    assert reload(published).translation_state_fr == "unofficial"


@pytest.mark.parametrize("username", ["us", "ru", "outsider"])
def test_only_the_secretariat_translates_or_confirms(world, published, username):
    before = columns(published)
    with pytest.raises(PermissionDenied, match="Only the secretariat may translate"):
        communiques_services.communique_translation_set(
            communique=published,
            user=world.user(username),
            language="ru",
            title="Другое",
            text="<p>Другое.</p>",
        )
    with pytest.raises(PermissionDenied, match="Only the secretariat may confirm"):
        communiques_services.communique_translation_confirm(
            communique=published, user=world.user(username), language="ru"
        )
    assert columns(published) == before


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "“de” is not a working language; use one of en, ru, fr."),
        ("", "“” is not a working language; use one of en, ru, fr."),
        ("en", "English is this text's authoritative language"),
    ],
)
def test_a_translation_in_an_unknown_or_the_authoritative_language_is_refused(
    world, published, language, message
):
    before = columns(published)
    with pytest.raises(ApplicationError) as refused:
        translate(world, published, language, "Title", "<p>Text.</p>")
    assert message in refused.value.message
    assert "language" in refused.value.fields
    with pytest.raises(ApplicationError) as refused:
        communiques_services.communique_translation_confirm(
            communique=published, user=world.user("sec"), language=language
        )
    assert message in refused.value.message
    assert columns(published) == before


def test_a_translation_without_title_or_text_is_refused(world, published):
    before = columns(published)
    with pytest.raises(ApplicationError, match="The title is required"):
        translate(world, published, "ru", "  ", RU_TEXT)
    with pytest.raises(ApplicationError, match="The text is required"):
        translate(world, published, "ru", RU_TITLE, "<p> </p>")
    assert columns(published) == before


def test_confirming_a_missing_or_outdated_translation_is_refused(world, circulated_communique):
    communique = circulated_communique()
    with pytest.raises(ApplicationError, match="This text has no Russian translation to confirm"):
        communiques_services.communique_translation_confirm(
            communique=communique, user=world.user("sec"), language="ru"
        )
    translate(world, communique, "ru", RU_TITLE, RU_TEXT)
    communiques_services.communique_version_add(
        communique=communique, user=world.user("sec"), text="<p>Changed.</p>"
    )
    with pytest.raises(ApplicationError, match="The Russian translation is outdated"):
        communiques_services.communique_translation_confirm(
            communique=communique, user=world.user("sec"), language="ru"
        )
    assert reload(communique).translation_state_ru == "outdated"


def test_the_refusals_are_worded_in_the_users_language(world, published):
    from django.utils import translation

    with translation.override("ru"), pytest.raises(ApplicationError) as refused:
        translate(world, published, "de", "T", "<p>T</p>")
    assert "не является рабочим языком" in refused.value.message


# --- The reader's version ---------------------------------------------------------------


def test_version_for_serves_a_current_translation_or_the_authoritative_text_with_a_note(
    world, published
):
    russian = parallel.version_for(published, COMMUNIQUE_PARALLEL, "ru")
    assert (russian.language, russian.state, russian.authoritative) == ("ru", "unofficial", False)
    assert russian["title"] == RU_TITLE
    assert russian.note == ""
    english = parallel.version_for(published, COMMUNIQUE_PARALLEL, "en")
    assert english.authoritative
    assert english["title"] == published.published_title
    assert english["text"] == published.published_version.text
    assert [(a.language, a.state) for a in russian.available] == [
        ("en", "authoritative"),
        ("ru", "unofficial"),
        ("fr", "confirmed"),
    ]
    Communique.objects.filter(pk=published.pk).update(translation_state_ru="outdated")
    outdated = parallel.version_for(reload(published), COMMUNIQUE_PARALLEL, "ru")
    assert (outdated.language, outdated.authoritative) == ("en", True)
    assert outdated["text"] == published.published_version.text
    assert "The Russian translation is outdated" in outdated.note
    unknown = parallel.version_for(published, COMMUNIQUE_PARALLEL, "de")
    assert unknown.language == "en"
    assert unknown.note == ""


# --- Pages ------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "link":
            self.links.append(dict(attrs))


def head_links(html):
    parser = _Links()
    parser.feed(html)
    return parser.links


def test_a_reader_in_russian_gets_the_russian_text_marked_unofficial(world, published, client):
    reader = world.user("ru")
    profile_language_set(user=reader, language="ru")
    client.force_login(reader)
    html = client.get(published.get_absolute_url()).content.decode()
    assert RU_TITLE in html
    assert "Участники провели встречу." in html
    assert "The participants met." not in html
    assert 'class="state state-unofficial"' in html
    assert "Неофициальный перевод" in html


def test_an_outdated_translation_shows_the_authoritative_text_with_the_note(
    world, published, client
):
    Communique.objects.filter(pk=published.pk).update(translation_state_ru="outdated")
    html = client.get(published.get_absolute_url() + "?lang=ru").content.decode()
    assert "The participants met." in html
    assert RU_TITLE not in html
    assert 'class="parallel-note"' in html
    assert "The Russian translation is outdated: the authoritative text has changed" in html
    # Nor is it offered as an alternate.
    assert "ru" not in {link.get("hreflang") for link in head_links(html) if not link.get("type")}


def test_the_public_page_offers_every_language_with_the_english_one_authoritative(
    published, client
):
    url = published.get_absolute_url()
    for language, expected in (
        ("en", "The participants met."),
        ("ru", "Участники"),
        ("fr", "réunis"),
    ):
        response = client.get(f"{url}?lang={language}")
        assert response.status_code == 200
        html = response.content.decode()
        assert expected in html
        alternates = {
            link["hreflang"]: link
            for link in head_links(html)
            if link.get("rel") == "alternate" and not link.get("type")
        }
        assert set(alternates) == {"en", "ru", "fr"}
        assert alternates["ru"]["href"].endswith(f"{url}?lang=ru")
        assert alternates["en"]["title"] == "English: Authoritative"
        feeds = {
            link["hreflang"]: link["href"]
            for link in head_links(html)
            if link.get("type") == "application/atom+xml"
        }
        assert feeds == {code: f"/communiques/feed/{code}/" for code in ("en", "ru", "fr")}
    english = client.get(f"{url}?lang=en").content.decode()
    assert '<strong class="state state-authoritative">Authoritative</strong>' in english


def test_a_language_without_translation_serves_the_authoritative_text_with_a_note(
    world, circulated_communique, client
):
    communique = publish(world, circulated_communique())
    html = client.get(communique.get_absolute_url() + "?lang=fr").content.decode()
    assert "The participants met." in html
    assert "This text has no French version yet" in html


def test_the_secretariat_adds_updates_and_confirms_translations_on_its_page(
    world, published, client
):
    client.force_login(world.user("sec"))
    url = f"/communiques/{published.public_id}/translations/"
    page = client.get(url + "?lang=ru")
    assert page.status_code == 200
    html = page.content.decode()
    assert RU_TITLE in html
    assert "Unofficial translation" in html
    assert "Confirmed translation" in html
    response = client.post(url, {"language": "ru", "title": "Новое название", "text": RU_TEXT})
    assert response.status_code == 302
    assert response["Location"].endswith("?lang=ru")
    assert reload(published).title_translation_ru == "Новое название"
    refused = client.post(url, {"language": "en", "title": "Title", "text": "<p>x</p>"})
    assert refused.status_code == 400
    assert "English is this text&#x27;s authoritative language" in refused.content.decode()
    client.post(url + "confirm/", {"language": "ru"})
    assert reload(published).translation_state_ru == "confirmed"
    follow = client.post(url + "confirm/", {"language": "xx"}, follow=True).content.decode()
    assert "“xx” is not a working language" in follow


@pytest.mark.parametrize("username", ["us", "ru", "outsider", None])
def test_the_translations_pages_are_the_secretariats_only(world, published, client, username):
    if username:
        client.force_login(world.user(username))
    url = f"/communiques/{published.public_id}/translations/"
    assert client.get(url).status_code in (404, 302)
    response = client.post(url, {"language": "ru", "title": "X", "text": "<p>X</p>"})
    assert response.status_code in (404, 302)
    response = client.post(url + "confirm/", {"language": "ru"})
    assert response.status_code in (404, 302)
    assert reload(published).translation_state_ru == "unofficial"
    assert reload(published).title_translation_ru == RU_TITLE


def test_the_public_list_names_each_text_in_the_readers_language(world, published, client):
    html = client.get("/communiques/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert f'lang="ru">{RU_TITLE}</a>' in html
    Communique.objects.filter(pk=published.pk).update(translation_state_ru="outdated")
    html = client.get("/communiques/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert RU_TITLE not in html
    assert f'lang="en">{published.published_title}</a>'.replace("'", "&#x27;") in html


# --- Feeds ------------------------------------------------------------------------------


def _child(parent: ET.Element, tag: str) -> ET.Element:
    found = parent.find(f"{ATOM}{tag}")
    assert found is not None, f"no {tag} in the feed"
    return found


def _text(parent: ET.Element, tag: str) -> str:
    text = _child(parent, tag).text
    assert text is not None, f"an empty {tag} in the feed"
    return text


def test_one_feed_per_language(published, client):
    feeds = {}
    for language in ("en", "ru", "fr"):
        response = client.get(f"/communiques/feed/{language}/")
        assert response.status_code == 200
        feeds[language] = ET.fromstring(response.content)
    assert feeds["ru"].get(XML_LANG) == "ru"
    entry = _child(feeds["ru"], "entry")
    assert entry.get(XML_LANG) == "ru"
    assert _text(entry, "title") == RU_TITLE
    assert "Участники провели встречу." in _text(entry, "summary")
    hreflangs = {
        link.get("hreflang"): link.get("href", "")
        for link in entry.findall(f"{ATOM}link")
        if link.get("hreflang")
    }
    assert set(hreflangs) == {"en", "ru", "fr"}
    assert hreflangs["fr"].endswith(f"/communiques/{published.public_id}/?lang=fr")
    # The feed's own words are in its language too.
    assert _text(feeds["ru"], "title") == (
        "Орган кризисных консультаций: коммюнике и заявления Председателя"
    )
    french = _child(feeds["fr"], "entry")
    assert french.get(XML_LANG) == "fr"
    assert _text(french, "title") == FR_TITLE
    english = _child(feeds["en"], "entry")
    assert english.get(XML_LANG) == "en"
    assert _text(english, "title") == published.published_title
    assert client.get("/communiques/feed/de/").status_code == 404


def test_a_feed_entry_without_a_current_translation_is_the_authoritative_text(
    world, published, client
):
    Communique.objects.filter(pk=published.pk).update(translation_state_ru="outdated")
    feed = ET.fromstring(client.get("/communiques/feed/ru/").content)
    entry = _child(feed, "entry")
    assert entry.get(XML_LANG) == "en"
    assert _text(entry, "title") == published.published_title
    assert "The participants met." in _text(entry, "summary")


# --- API --------------------------------------------------------------------------------


def test_the_api_answers_in_the_language_asked_for(published, client):
    answer = client.get("/api/v1/communiques/", HTTP_ACCEPT_LANGUAGE="ru").json()
    row = answer["results"][0]
    assert row["language"] == "ru"
    assert row["authoritative"] is False
    assert row["translation_state"] == "unofficial"
    assert row["authoritative_language"] == "en"
    assert row["title"] == RU_TITLE
    assert row["text"] == RU_TEXT
    assert row["available_languages"] == [
        {"language": "en", "state": "authoritative"},
        {"language": "ru", "state": "unofficial"},
        {"language": "fr", "state": "confirmed"},
    ]
    assert row["language_note"] == ""
    english = client.get("/api/v1/communiques/", HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    assert (english["language"], english["authoritative"], english["translation_state"]) == (
        "en",
        True,
        "authoritative",
    )
    assert english["text"] == published.published_version.text
    french = client.get(
        f"/api/v1/communiques/{published.public_id}/", HTTP_ACCEPT_LANGUAGE="fr"
    ).json()
    assert (french["language"], french["translation_state"], french["title"]) == (
        "fr",
        "confirmed",
        FR_TITLE,
    )


def test_the_api_serves_the_authoritative_text_for_an_outdated_translation(published, client):
    Communique.objects.filter(pk=published.pk).update(translation_state_ru="outdated")
    row = client.get("/api/v1/communiques/", HTTP_ACCEPT_LANGUAGE="ru").json()["results"][0]
    assert (row["language"], row["authoritative"], row["translation_state"]) == (
        "en",
        True,
        "authoritative",
    )
    assert {"language": "ru", "state": "outdated"} in row["available_languages"]
    # The note is in the language asked for; field names and enum values never are.
    assert "перевод" in row["language_note"].lower()


# --- Queries ----------------------------------------------------------------------------


def _published_many(world, circulated_communique, count):
    for number in range(count):
        communique = publish(world, circulated_communique(title=f"Text {number}"))
        translate(world, communique, "ru", f"Текст {number}", RU_TEXT)


def _count(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/communiques/feed/ru/", {}),
        ("/communiques/feed/", {}),
        ("/api/v1/communiques/", {"HTTP_ACCEPT_LANGUAGE": "ru"}),
        ("/communiques/", {"HTTP_ACCEPT_LANGUAGE": "ru"}),
    ],
)
def test_queries_do_not_grow_with_the_texts(world, circulated_communique, client, url, headers):
    _published_many(world, circulated_communique, 2)
    few = _count(client, url, **headers)
    _published_many(world, circulated_communique, 5)
    many = _count(client, url, **headers)
    assert many == few


def test_the_reader_page_costs_the_same_with_or_without_translations(
    world, circulated_communique, client
):
    bare = publish(world, circulated_communique(title="Bare"))
    translated = publish(world, circulated_communique(title="Translated"))
    translate(world, translated, "ru", RU_TITLE, RU_TEXT)
    translate(world, translated, "fr", FR_TITLE, FR_TEXT)
    assert _count(client, bare.get_absolute_url() + "?lang=ru") == _count(
        client, translated.get_absolute_url() + "?lang=ru"
    )


def test_the_schema_documents_the_languages_served(db):
    from rest_framework.test import APIClient

    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    properties = components["Communique"]["properties"]
    for name in (
        "language",
        "authoritative",
        "translation_state",
        "authoritative_language",
        "available_languages",
        "language_note",
    ):
        assert name in properties
    assert components["WorkingLanguageEnum"]["enum"] == ["en", "ru", "fr"]
    assert components["ServedVersionStateEnum"]["enum"] == [
        "authoritative",
        "unofficial",
        "confirmed",
    ]
    assert components["ParallelVersionStateEnum"]["enum"] == [
        "authoritative",
        "unofficial",
        "confirmed",
        "outdated",
    ]
    assert properties["authoritative"]["type"] == "boolean"


# --- The publication's own words ------------------------------------------------------


def test_a_translation_is_introduced_and_attributed_in_its_own_language(world, published, client):
    """The preamble and the attribution beside the Russian text are Russian; the stored,
    signed ones stay in the authoritative English."""
    session = published.session.number
    assert published.published_attribution.startswith("Issued by ")
    russian_page = client.get(published.get_absolute_url() + "?lang=ru").content.decode()
    french_api = client.get(
        f"/api/v1/communiques/{published.public_id}/", HTTP_ACCEPT_LANGUAGE="fr"
    ).json()
    english_api = client.get(
        f"/api/v1/communiques/{published.public_id}/", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    if published.kind == Communique.Kind.CHAIR_STATEMENT:
        assert f"Председатель сессии {session} Органа кризисных консультаций" in russian_page
        assert "Выпущено председателем" in russian_page
        assert french_api["attribution"].startswith("Publiée par la présidence")
    else:
        assert f"Участники сессии {session}" in russian_page
        assert f"Выпущено участниками сессии {session}" in russian_page
        assert french_api["attribution"] == f"Publié par les participants à la session {session}"
    assert published.published_preamble not in russian_page
    assert (english_api["preamble"], english_api["attribution"]) == (
        published.published_preamble,
        published.published_attribution,
    )
    assert french_api["preamble"] != published.published_preamble


def test_a_russian_authoritative_text_is_published_with_russian_words(world, circulated_communique):
    communique = circulated_communique()
    Communique.objects.filter(pk=communique.pk).update(language="ru")
    communique = publish(world, reload(communique))
    assert communique.published_attribution.startswith("Выпущено ")
    assert "Органа кризисных консультаций" in communique.published_preamble
