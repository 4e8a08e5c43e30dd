"""Parallel texts of agenda items (consult/parallel.py): the title and description per working
language, their states, the reader's version on the session page, the minutes and the pack,
the secretariat's translations page and the API's negotiation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from rest_framework.test import APIClient

from agenda.models import Agenda, AgendaItem
from agenda.models.agendas import AGENDA_ITEM_PARALLEL
from agenda.services import agendas as agenda_services
from agenda.services import items as items_services
from agenda.services import translations as services
from audit.models import AuditEntry
from briefings.selectors.versions import pack_content_version
from consult import parallel
from consult.errors import ApplicationError
from consult.parallel_api import PARALLEL_TEXT_FIELDS
from members.services.profiles import profile_language_set
from minutes.services.record import attendance_record, minutes_create, statement_record
from tests.factories import AgendaItemFactory
from tests.parallel import api, reload
from tests.parallel import columns as parallel_columns

TITLE = "The situation in and around Ukraine"
DESCRIPTION = "Security situation.\nHumanitarian access."
RU_TITLE = "Положение в Украине и вокруг неё"
RU_DESCRIPTION = "\n".join(["Обстановка в области безопасности.", "Гуманитарный доступ."])
FR_TITLE = "La situation en Ukraine et autour de l'Ukraine"
FR_DESCRIPTION = "Situation sécuritaire.\nAccès humanitaire."
ITEMS = "/api/v1/agenda-items/"


def translate(cycle, item, language, title, description):
    return services.agenda_item_translation_set(
        item=item, user=cycle.secretary, language=language, title=title, description=description
    )


def confirm(cycle, item, language):
    return services.agenda_item_translation_confirm(
        item=item, user=cycle.secretary, language=language
    )


def columns(item):
    return parallel_columns(item, AGENDA_ITEM_PARALLEL)


@pytest.fixture
def item(cycle):
    """The item about Ukraine, with a description, untranslated."""
    AgendaItem.objects.filter(pk=cycle.ukraine_item.pk).update(description=DESCRIPTION)
    return reload(cycle.ukraine_item)


@pytest.fixture
def translated(cycle, item):
    """The item in Russian (unofficial) and in French (confirmed)."""
    translate(cycle, item, "ru", RU_TITLE, RU_DESCRIPTION)
    translate(cycle, item, "fr", FR_TITLE, FR_DESCRIPTION)
    confirm(cycle, item, "fr")
    return reload(item)


def session_page(client, cycle, user, language):
    profile_language_set(user=user, language=language)
    client.force_login(user)
    response = client.get(cycle.session.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# --- Services ---------------------------------------------------------------------------


def test_a_translation_is_unofficial_until_confirmed(cycle, item):
    """Written, a translation is unofficial; confirmed, it is confirmed; the item itself, its
    agenda's revision and the authoritative language are untouched; both are audited."""
    revision = Agenda.objects.get(pk=item.agenda_id).revision
    translate(cycle, item, "ru", f"  {RU_TITLE} ", f"\n{RU_DESCRIPTION}  ")
    stored = reload(item)
    assert stored.translation_state_ru == "unofficial"
    assert (stored.title_translation_ru, stored.description_translation_ru) == (
        RU_TITLE,
        RU_DESCRIPTION,
    )
    assert (stored.title, stored.description, stored.language) == (TITLE, DESCRIPTION, "en")
    assert stored.translation_state_fr is None
    confirm(cycle, item, "ru")
    assert reload(item).translation_state_ru == "confirmed"
    assert Agenda.objects.get(pk=item.agenda_id).revision == revision
    summaries = list(
        AuditEntry.objects.filter(summary__contains="translation of item 1").values_list(
            "summary", flat=True
        )
    )
    assert "Wrote the ru translation of item 1 of CCB/T/Q1 (unofficial)." in summaries
    assert "Confirmed the ru translation of item 1 of CCB/T/Q1." in summaries


def test_editing_the_title_or_description_outdates_every_translation(cycle, translated):
    """A changed title or description outdates them; another field's change does not."""
    items_services.agenda_item_update(item=translated, user=cycle.secretary, chatham_house=True)
    items_services.agenda_item_update(item=translated, user=cycle.secretary, title=TITLE)
    stored = reload(translated)
    assert (stored.translation_state_ru, stored.translation_state_fr) == ("unofficial", "confirmed")
    items_services.agenda_item_update(
        item=translated, user=cycle.secretary, description="Security situation only."
    )
    stored = reload(translated)
    assert (stored.translation_state_ru, stored.translation_state_fr) == ("outdated", "outdated")
    # The outdated texts stay for the translator; written again, one is unofficial.
    assert stored.title_translation_fr == FR_TITLE
    translate(cycle, stored, "fr", FR_TITLE, "Situation sécuritaire seulement.")
    assert reload(translated).translation_state_fr == "unofficial"
    assert reload(translated).translation_state_ru == "outdated"


def test_a_new_title_outdates_the_translations(cycle, translated):
    items_services.agenda_item_update(
        item=translated, user=cycle.secretary, title="Ukraine: the security situation"
    )
    stored = reload(translated)
    assert (stored.translation_state_ru, stored.translation_state_fr) == ("outdated", "outdated")


def test_rewriting_a_confirmed_translation_makes_it_unofficial_again(cycle, translated):
    translate(cycle, translated, "fr", "La situation en Ukraine", FR_DESCRIPTION)
    assert reload(translated).translation_state_fr == "unofficial"


@pytest.mark.parametrize("who", ["USA", "RUS", "UKR", "analyst", "outsider"])
def test_only_the_secretariat_translates_or_confirms(cycle, translated, who):
    """Delegates, analysts and strangers are refused; nothing changes."""
    user = getattr(cycle, who) if who in {"analyst", "outsider"} else cycle.user(who)
    before = columns(translated)
    with pytest.raises(PermissionDenied, match="Only the secretariat may translate agenda items"):
        services.agenda_item_translation_set(
            item=translated, user=user, language="ru", title="Другое", description="Другое."
        )
    with pytest.raises(PermissionDenied, match="Only the secretariat may confirm translations"):
        services.agenda_item_translation_confirm(item=translated, user=user, language="ru")
    assert columns(translated) == before


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "“de” is not a working language; use one of en, ru, fr."),
        ("", "“” is not a working language; use one of en, ru, fr."),
        ("en", "English is this text's authoritative language"),
    ],
)
def test_a_translation_in_an_unknown_or_the_authoritative_language_is_refused(
    cycle, translated, language, message
):
    before = columns(translated)
    with pytest.raises(ApplicationError) as refused:
        translate(cycle, translated, language, "Title", "Text.")
    assert message in refused.value.message
    assert "language" in refused.value.fields
    with pytest.raises(ApplicationError) as refused:
        confirm(cycle, translated, language)
    assert message in refused.value.message
    assert columns(translated) == before


def test_a_translation_is_cleaned_as_the_item_is(cycle, item):
    """A title is required, visible and at most 200 characters, as the item's own; a
    description is required when the item has one."""
    before = columns(item)
    with pytest.raises(ApplicationError, match="The title is required"):
        translate(cycle, item, "ru", "   ", RU_DESCRIPTION)
    with pytest.raises(ApplicationError, match="longer than 200 characters"):
        translate(cycle, item, "ru", "П" * 201, RU_DESCRIPTION)
    with pytest.raises(ApplicationError, match="contains an invisible character"):
        translate(cycle, item, "ru", "Пункт\u200b", RU_DESCRIPTION)
    with pytest.raises(ApplicationError, match="The item has a description: translate it too"):
        translate(cycle, item, "ru", RU_TITLE, "  ")
    assert columns(item) == before
    # An item without a description is translated by its title alone.
    bare = translate(cycle, cycle.other_item, "ru", "Инциденты на море", "")
    assert (bare.translation_state_ru, bare.description_translation_ru) == ("unofficial", "")


def test_confirming_a_missing_or_outdated_translation_is_refused(cycle, item):
    with pytest.raises(ApplicationError, match="This text has no Russian translation to confirm"):
        confirm(cycle, item, "ru")
    translate(cycle, item, "ru", RU_TITLE, RU_DESCRIPTION)
    items_services.agenda_item_update(item=item, user=cycle.secretary, title="Another title")
    with pytest.raises(ApplicationError, match="The Russian translation is outdated"):
        confirm(cycle, item, "ru")
    assert reload(item).translation_state_ru == "outdated"


def test_an_adopted_agenda_is_translated_without_reopening_it(cycle, item):
    """A translation changes neither the item nor its agenda: a circulated agenda takes one
    and stays circulated, at the same revision."""
    agenda = agenda_services.agenda_circulate(session=cycle.session, user=cycle.secretary)
    translate(cycle, item, "fr", FR_TITLE, FR_DESCRIPTION)
    stored = Agenda.objects.get(pk=agenda.pk)
    assert (stored.status, stored.revision) == ("circulated", agenda.revision)
    assert reload(item).translation_state_fr == "unofficial"


def test_an_item_carried_over_keeps_its_translations(cycle, translated):
    (carried,) = [
        carried
        for carried in items_services.agenda_items_carry_over(
            from_session=cycle.session, to_session=cycle.next_session, user=cycle.secretary
        )
        if carried.carried_from_id == translated.pk
    ]
    carried = reload(carried)
    assert columns(carried) == columns(translated)
    assert carried.title_translation_ru == RU_TITLE


def test_the_refusals_are_worded_in_the_users_language(cycle, item):
    with translation.override("ru"), pytest.raises(ApplicationError) as refused:
        translate(cycle, item, "ru", RU_TITLE, "")
    assert "описание" in refused.value.message.lower()


# --- The session page -------------------------------------------------------------------


def test_the_session_page_in_russian_shows_the_russian_title_marked_unofficial(
    cycle, translated, client
):
    html = session_page(client, cycle, cycle.user("RUS"), "ru")
    assert f'<strong lang="ru">{RU_TITLE}</strong>' in html
    assert '<span class="badge state state-unofficial">Неофициальный перевод</span>' in html
    assert '<small lang="ru">Обстановка в области безопасности.<br>Гуманитарный доступ.' in html
    assert TITLE not in html
    # The other item has no Russian version: its English title, with the note.
    assert '<strong lang="en">Incidents at sea</strong>' in html
    assert "Версии этого текста на языке «русский» пока нет." in html
    # Delegates are not offered the secretariat's translations page.
    assert "/translations/" not in html


def test_the_session_page_in_french_without_translation_shows_the_english_title_with_a_note(
    cycle, item, client
):
    html = session_page(client, cycle, cycle.user("USA"), "fr")
    assert f'<strong lang="en">{TITLE}</strong>' in html
    assert '<small lang="en">Security situation.<br>Humanitarian access.</small>' in html
    assert (
        '<small class="parallel-note" role="note">Ce texte n’existe pas encore en français. '  # noqa: RUF001
        "Voici le texte faisant foi, en anglais.</small>"
    ) in html
    assert "state-unofficial" not in html


def test_the_session_page_in_french_shows_a_confirmed_translation(cycle, translated, client):
    html = session_page(client, cycle, cycle.user("USA"), "fr")
    assert f'<strong lang="fr">{FR_TITLE}</strong>'.replace("'", "&#x27;") in html
    assert '<span class="badge state state-confirmed">Traduction confirmée</span>' in html


def test_an_outdated_translation_gives_the_authoritative_title_with_the_note(
    cycle, translated, client
):
    AgendaItem.objects.filter(pk=translated.pk).update(translation_state_ru="outdated")
    html = session_page(client, cycle, cycle.user("RUS"), "ru")
    assert RU_TITLE not in html
    assert f'<strong lang="en">{TITLE}</strong>' in html
    assert "Перевод на язык «русский» устарел: аутентичный текст изменился" in html


def test_the_session_page_in_english_is_the_authoritative_text_unmarked(cycle, translated, client):
    html = session_page(client, cycle, cycle.user("USA"), "en")
    assert f'<strong lang="en">{TITLE}</strong>' in html
    assert "parallel-note" not in html
    assert "badge state" not in html


def test_the_secretariat_finds_the_translations_from_the_agenda(cycle, translated, client):
    client.force_login(cycle.secretary)
    url = reverse("agenda:agendaitem_translations", kwargs={"public_id": translated.public_id})
    for page in (
        cycle.session.get_absolute_url(),
        reverse("agenda:agenda_build", kwargs={"public_id": cycle.session.public_id}),
        reverse("agenda:agendaitem_edit", kwargs={"public_id": translated.public_id}),
    ):
        assert f'href="{url}"' in client.get(page).content.decode(), page
    builder = client.get(
        reverse("agenda:agenda_build", kwargs={"public_id": cycle.session.public_id})
    ).content.decode()
    assert "Russian: unofficial translation" in builder
    assert "French: confirmed translation" in builder


def test_the_session_page_costs_the_same_with_one_or_many_translated_items(cycle, client):
    """The translations are columns of the item's row: no query per item or language."""
    translate(cycle, cycle.ukraine_item, "ru", RU_TITLE, "")
    reader = cycle.user("RUS")
    profile_language_set(user=reader, language="ru")
    client.force_login(reader)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(cycle.session.get_absolute_url()).status_code == 200
        return len(queries)

    one = count()
    for number in range(3, 9):
        extra = AgendaItemFactory(agenda=cycle.ukraine_item.agenda, order=number)
        translate(cycle, extra, "ru", f"Пункт {number}", "")
        translate(cycle, extra, "fr", f"Point {number}", "")
    many = count()
    assert many == one
    html = client.get(cycle.session.get_absolute_url()).content.decode()
    assert html.count("state-unofficial") == 7


# --- The translations page --------------------------------------------------------------


def test_the_secretariat_adds_updates_and_confirms_translations_on_its_page(
    cycle, translated, client
):
    client.force_login(cycle.secretary)
    url = reverse("agenda:agendaitem_translations", kwargs={"public_id": translated.public_id})
    page = client.get(url + "?lang=ru")
    assert page.status_code == 200
    html = page.content.decode()
    assert RU_TITLE in html
    assert "Unofficial translation" in html
    assert "Confirmed translation" in html
    # The authoritative description, plain text shown escaped, and a plain text box.
    assert "Security situation.<br>Humanitarian access." in html
    assert '<textarea name="text"' in html
    response = client.post(
        url, {"language": "ru", "title": "Новое название", "text": RU_DESCRIPTION}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?lang=ru")
    assert reload(translated).title_translation_ru == "Новое название"
    refused = client.post(url, {"language": "en", "title": "Title", "text": "Text"})
    assert refused.status_code == 400
    assert "English is this text&#x27;s authoritative language" in refused.content.decode()
    without = client.post(url, {"language": "ru", "title": "Название", "text": ""})
    assert without.status_code == 400
    assert reload(translated).title_translation_ru == "Новое название"
    client.post(url + "confirm/", {"language": "ru"})
    assert reload(translated).translation_state_ru == "confirmed"
    follow = client.post(url + "confirm/", {"language": "xx"}, follow=True).content.decode()
    assert "“xx” is not a working language" in follow


def test_the_description_is_escaped_on_the_translations_page(cycle, client):
    AgendaItem.objects.filter(pk=cycle.other_item.pk).update(description="<b>bold</b> & more")
    client.force_login(cycle.secretary)
    url = reverse(
        "agenda:agendaitem_translations", kwargs={"public_id": cycle.other_item.public_id}
    )
    html = client.get(url).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in html
    assert "<b>bold</b>" not in html


@pytest.mark.parametrize("who", ["USA", "RUS", "UKR", "analyst", "outsider", None])
def test_the_translations_pages_are_the_secretariats_only(cycle, translated, client, who):
    if who is not None:
        user = getattr(cycle, who) if who in {"analyst", "outsider"} else cycle.user(who)
        client.force_login(user)
    url = reverse("agenda:agendaitem_translations", kwargs={"public_id": translated.public_id})
    expected = 302 if who is None else 404
    assert client.get(url).status_code == expected
    response = client.post(url, {"language": "ru", "title": "X", "text": "X"})
    assert response.status_code == expected
    assert client.post(url + "confirm/", {"language": "ru"}).status_code == expected
    assert columns(translated)["title_translation_ru"] == RU_TITLE
    assert columns(translated)["translation_state_ru"] == "unofficial"


# --- The API ----------------------------------------------------------------------------


def test_the_api_answers_in_the_language_asked_for(cycle, translated):
    client = api(cycle.user("RUS"))
    url = f"{ITEMS}{translated.public_id}/"
    russian = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").json()
    assert (russian["language"], russian["authoritative"], russian["translation_state"]) == (
        "ru",
        False,
        "unofficial",
    )
    assert (russian["title"], russian["description"]) == (RU_TITLE, RU_DESCRIPTION)
    assert russian["authoritative_language"] == "en"
    assert russian["available_languages"] == [
        {"language": "en", "state": "authoritative"},
        {"language": "ru", "state": "unofficial"},
        {"language": "fr", "state": "confirmed"},
    ]
    assert russian["language_note"] == ""
    # Field names and enum values are never translated.
    assert russian["kind"] == "crisis_review"
    assert russian["distribution"] == "participants"
    french = client.get(ITEMS, HTTP_ACCEPT_LANGUAGE="fr").json()["results"]
    row = next(row for row in french if row["id"] == str(translated.public_id))
    assert (row["language"], row["translation_state"], row["title"]) == (
        "fr",
        "confirmed",
        FR_TITLE,
    )
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert (english["language"], english["authoritative"], english["title"]) == ("en", True, TITLE)
    assert english["description"] == DESCRIPTION


def test_the_api_serves_the_authoritative_text_with_a_note_when_none_is_current(cycle, item):
    client = api(cycle.user("USA"))
    url = f"{ITEMS}{item.public_id}/"
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").json()
    assert (french["language"], french["authoritative"], french["translation_state"]) == (
        "en",
        True,
        "authoritative",
    )
    assert french["title"] == TITLE
    assert french["available_languages"] == [{"language": "en", "state": "authoritative"}]
    assert french["language_note"] == (
        "Ce texte n’existe pas encore en français. Voici le texte faisant foi, en anglais."  # noqa: RUF001
    )
    translate(cycle, item, "ru", RU_TITLE, RU_DESCRIPTION)
    items_services.agenda_item_update(item=item, user=cycle.secretary, title="Ukraine")
    russian = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").json()
    assert (russian["language"], russian["title"]) == ("en", "Ukraine")
    assert {"language": "ru", "state": "outdated"} in russian["available_languages"]
    assert "устарел" in russian["language_note"]


def test_the_api_lists_items_in_the_same_queries_with_or_without_translations(cycle):
    client = api(cycle.secretary)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ITEMS, HTTP_ACCEPT_LANGUAGE="ru").status_code == 200
        return len(queries)

    count()  # the first request reads what the next ones find cached
    bare = count()
    translate(cycle, cycle.ukraine_item, "ru", RU_TITLE, "")
    translate(cycle, cycle.other_item, "ru", "Инциденты на море", "")
    assert count() == bare


def test_each_rows_version_is_worked_out_once(cycle, translated, monkeypatch):
    """The served language's fields and texts read one version per row, not one each."""
    calls = []
    version_for = parallel.version_for

    def counted(obj, spec, language):
        calls.append(obj.pk)
        return version_for(obj, spec, language)

    monkeypatch.setattr(parallel, "version_for", counted)
    response = api(cycle.user("RUS")).get(ITEMS, HTTP_ACCEPT_LANGUAGE="ru")
    rows = response.json()["results"]
    assert {row["title"] for row in rows} == {RU_TITLE, "Incidents at sea"}
    assert sorted(calls) == sorted([cycle.ukraine_item.pk, cycle.other_item.pk])


def test_the_schema_documents_the_languages_served(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    properties = schema["components"]["schemas"]["AgendaItem"]["properties"]
    for name in PARALLEL_TEXT_FIELDS:
        assert name in properties, name
    assert properties["language"]["allOf"] == [{"$ref": "#/components/schemas/WorkingLanguageEnum"}]
    assert properties["translation_state"]["allOf"] == [
        {"$ref": "#/components/schemas/ServedVersionStateEnum"}
    ]
    assert properties["authoritative"]["type"] == "boolean"
    assert properties["title"]["type"] == "string"
    assert properties["description"]["type"] == "string"


# --- Minutes and the briefing pack ------------------------------------------------------


def test_the_pack_in_russian_shows_the_russian_item_title(cycle, translated, client):
    reader = cycle.user("RUS")
    client.force_login(reader)
    client.post("/language/", {"language": "ru"})
    response = client.get(reverse("briefings:pack_detail", args=[cycle.session.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<span lang="ru">{RU_TITLE}</span>' in html
    assert "Неофициальный перевод" in html
    assert '<div class="pack-description" lang="ru">' in html
    assert TITLE not in html
    client.post("/language/", {"language": "fr"})
    french = client.get(reverse("briefings:pack_detail", args=[cycle.session.public_id]))
    assert f'<span lang="fr">{FR_TITLE}</span>'.replace("'", "&#x27;") in french.content.decode()


def test_a_translation_calls_for_new_packs(cycle, item):
    """The packs' content version covers the translations and their states."""
    before = pack_content_version(session=cycle.session)
    translate(cycle, item, "ru", RU_TITLE, RU_DESCRIPTION)
    written = pack_content_version(session=cycle.session)
    assert written != before
    confirm(cycle, item, "ru")
    assert pack_content_version(session=cycle.session) != written


def test_the_minutes_head_each_item_in_the_readers_language(cycle, translated, client):
    minutes = minutes_create(session=cycle.session, user=cycle.secretary)
    attendance_record(minutes=minutes, party=cycle.parties["USA"], user=cycle.secretary)
    for item in (translated, cycle.other_item):
        statement_record(
            minutes=minutes,
            item=item,
            party=cycle.parties["USA"],
            user=cycle.secretary,
            summary="Restraint.",
        )
    profile_language_set(user=cycle.secretary, language="ru")
    client.force_login(cycle.secretary)
    html = client.get(minutes.get_absolute_url()).content.decode()
    assert f'Пункт 1: <span lang="ru">{RU_TITLE}</span>' in html
    assert '<span class="badge state state-unofficial">Неофициальный перевод</span>' in html
    assert 'Пункт 2: <span lang="en">Incidents at sea</span>' in html
    assert "Версии этого текста на языке «русский» пока нет." in html


# --- Where other records name an item -------------------------------------------------


@pytest.fixture
def recorded(cycle, translated):
    """Minutes with one statement on the translated item and one on the other item."""
    minutes = minutes_create(session=cycle.session, user=cycle.secretary)
    attendance_record(minutes=minutes, party=cycle.parties["USA"], user=cycle.secretary)
    for item in (translated, cycle.other_item):
        statement_record(
            minutes=minutes,
            item=item,
            party=cycle.parties["USA"],
            user=cycle.secretary,
            summary="Restraint.",
        )
    return minutes


def test_the_session_api_names_each_item_in_the_language_asked_for(cycle, translated):
    client = api(cycle.user("RUS"))
    url = f"/api/v1/sessions/{cycle.session.public_id}/"
    lines = {
        line["order"]: line for line in client.get(url, HTTP_ACCEPT_LANGUAGE="ru").json()["items"]
    }
    first, second = lines[translated.order], lines[cycle.other_item.order]
    assert (first["title"], first["title_language"], first["title_authoritative"]) == (
        RU_TITLE,
        "ru",
        False,
    )
    assert (second["title"], second["title_language"], second["title_authoritative"]) == (
        "Incidents at sea",
        "en",
        True,
    )
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["items"]
    assert {line["title"] for line in english} == {TITLE, "Incidents at sea"}


def test_statements_in_the_api_name_their_item_in_the_language_asked_for(cycle, recorded):
    client = api(cycle.secretary)
    rows = client.get("/api/v1/statements/", HTTP_ACCEPT_LANGUAGE="fr").json()["results"]
    items = {row["item"]["order"]: row["item"] for row in rows}
    assert items[1] == items[1] | {
        "title": FR_TITLE,
        "title_language": "fr",
        "title_authoritative": False,
    }
    assert items[2] | {"title": "Incidents at sea", "title_language": "en"} == items[2]
    assert items[2]["title_authoritative"] is True


def test_the_statements_api_costs_the_same_with_translated_items(cycle, recorded):
    """The translated titles are columns of the item's row, read by the list's own query."""
    client = api(cycle.secretary)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/statements/", HTTP_ACCEPT_LANGUAGE="ru").status_code == 200
        return len(queries)

    count()
    with_one = count()
    translate(cycle, cycle.other_item, "ru", "Инциденты на море", "")
    assert count() == with_one


def test_the_statements_page_names_each_item_in_the_readers_language(cycle, recorded, client):
    profile_language_set(user=cycle.secretary, language="ru")
    client.force_login(cycle.secretary)
    html = client.get(reverse("minutes:statement_search")).content.decode()
    assert f'<span lang="ru">{RU_TITLE}</span>' in html
    assert '<span lang="en">Incidents at sea</span>' in html
    assert TITLE not in html


def test_the_invitations_page_names_the_item_in_the_readers_language(cycle, translated, client):
    """Ukraine is invited to the translated item (the cycle's ad hoc invitation)."""
    profile_language_set(user=cycle.secretary, language="fr")
    client.force_login(cycle.secretary)
    html = client.get(reverse("agenda:invitation_list")).content.decode()
    assert escape(FR_TITLE) in html
    assert TITLE not in html
