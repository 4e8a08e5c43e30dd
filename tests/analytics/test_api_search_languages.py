# ruff: noqa: RUF001 (Russian texts: their Cyrillic letters are meant)
"""Search in the working languages: Russian and French words are stemmed in their
own configurations, in texts whose language is recorded (papers) and in those
whose language is not (statements, communiqués...), ranked alike and never
shown to a reader who may not read the row."""

from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from agenda.models import Document
from analytics.models import SearchEntry
from analytics.services.search_index import search_index_refresh
from consult.access import Distribution
from minutes.models import Communique, CommuniqueVersion
from tests.analytics.world import World, build_world, paper, say

SEARCH = "/api/v1/search/"


@pytest.fixture
def world(db):
    world = build_world()
    say(
        world,
        world.minutes["s1"],
        world.items[0],
        "RUS",
        "Заявление о ходе переговоров.",
        full_text="<p>Делегация приветствует начало переговоров по воздушному пространству.</p>",
    )
    say(
        world,
        world.minutes["s1"],
        world.items[0],
        "USA",
        "Remarque sur la négociation.",
        full_text="<p>La délégation salue la négociation sur l'espace aérien.</p>",
    )
    say(
        world,
        world.minutes["s2"],
        world.items[0],
        "RUS",
        "Секретная оценка переговоров.",
        distribution=Distribution.SECRETARIAT,
    )
    communique(world, "Коммюнике о переговорах", "<p>Участники завершили раунд переговоров.</p>")
    paper(
        world,
        world.s1,
        "CCB.DEL/3/T",
        "Позиция делегации",
        "<p>Мы готовы к переговорам о мерах доверия.</p>",
        distribution=Distribution.DELEGATION,
        owner="RUS",
        category=Document.Category.NOTE,
        language=Document.Language.RU,
    )
    paper(
        world,
        world.s1,
        "CCB.GAL/2/T",
        "Note sur les mesures de confiance",
        "<p>Les négociateurs ont proposé des mesures de confiance.</p>",
        distribution=Distribution.PARTICIPANTS,
        language=Document.Language.FR,
    )
    search_index_refresh(full=True)
    return world


def communique(world: World, title: str, text: str) -> Communique:
    item = Communique.objects.create(session=world.s1, title=title, created_by=world.users["sec"])
    version = CommuniqueVersion.objects.create(
        communique=item, number=1, text=text, created_by=world.users["sec"]
    )
    Communique.objects.filter(pk=item.pk).update(
        status=Communique.Status.PUBLISHED,
        distribution=Distribution.PUBLIC,
        published_version=version,
        published_at=timezone.now(),
        published_title=title,
    )
    return item


def search(user, **params: Any) -> dict:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(SEARCH, params)
    assert response.status_code == 200, response.content
    return response.json()


def hits(user, q: str) -> dict[str, dict]:
    return {hit["title"]: hit for hit in search(user, q=q)["results"]}


class TestRussian:
    def test_a_word_form_finds_statements_communiques_and_papers_in_other_forms(self, world):
        found = hits(world.users["ru"], "переговоры")
        assert set(found) == {
            "Заявление о ходе переговоров.",
            "Коммюнике о переговорах",
            "CCB.DEL/3/T Позиция делегации",
        }
        assert "<mark>переговоров</mark>" in found["Заявление о ходе переговоров."]["snippet"]
        assert "<mark>переговоров</mark>" in found["Коммюнике о переговорах"]["snippet"]
        assert "<mark>переговорам</mark>" in found["CCB.DEL/3/T Позиция делегации"]["snippet"]

    def test_a_russian_paper_is_found_by_another_form_of_its_words(self, world):
        found = hits(world.users["ru"], "меры доверия")
        assert set(found) == {"CCB.DEL/3/T Позиция делегации"}

    def test_no_hit_reaches_a_reader_who_may_not_read_it(self, world):
        """The Russian note is its delegation's; the assessment is the secretariat's."""
        assert set(hits(world.users["us"], "переговоры")) == {
            "Заявление о ходе переговоров.",
            "Коммюнике о переговорах",
        }
        assert set(hits(world.users["analyst"], "переговоры")) == {"Коммюнике о переговорах"}
        assert "Секретная оценка переговоров." in hits(world.users["sec"], "переговоры")
        assert "CCB.DEL/3/T Позиция делегации" not in hits(world.users["sec"], "переговоры")


class TestFrench:
    def test_a_plural_finds_the_singular_in_a_text_of_unrecorded_language(self, world):
        found = hits(world.users["us"], "négociations")
        assert set(found) == {
            "Remarque sur la négociation.",
            "CCB.GAL/2/T Note sur les mesures de confiance",
        }
        assert "<mark>négociation</mark>" in found["Remarque sur la négociation."]["snippet"]

    def test_a_french_paper_is_found_by_another_form_of_its_words(self, world):
        found = hits(world.users["us"], "négociateur")
        snippet = found["CCB.GAL/2/T Note sur les mesures de confiance"]["snippet"]
        assert "<mark>négociateurs</mark>" in snippet
        assert set(hits(world.users["us"], "mesure")) == {
            "CCB.GAL/2/T Note sur les mesures de confiance"
        }

    def test_a_french_text_stays_with_its_readers(self, world):
        """The statement is the participants' of S1: not the analyst's, nor an ad hoc
        party's outside its item."""
        assert "Remarque sur la négociation." not in hits(world.users["analyst"], "négociations")
        assert "Remarque sur la négociation." not in hits(world.users["ua"], "négociations")
        assert "Remarque sur la négociation." in hits(world.users["de"], "négociations")


class TestEnglish:
    def test_english_words_are_still_stemmed_as_english(self, world):
        found = hits(world.users["us"], "incident")
        assert "Airspace incidents over the Baltic." in found
        assert "<mark>incidents</mark>" in found["Airspace incidents over the Baltic."]["snippet"]

    def test_a_text_in_two_configurations_ranks_as_the_same_text_in_one(self, world):
        """The French stem of an English word ("fisher" beside "fisheri") adds no rank:
        a statement and an English paper saying the same thing rank alike."""
        text = "Baltic fisheries"
        say(world, world.minutes["s1"], world.items[0], "USA", text, full_text=f"<p>{text}</p>")
        paper(
            world,
            world.s1,
            "CCB.GAL/9/T",
            text,
            f"<p>{text}</p>",
            distribution=Distribution.PARTICIPANTS,
        )
        search_index_refresh()
        found = hits(world.users["us"], "fisheries")
        assert set(found) == {text, f"CCB.GAL/9/T {text}"}
        assert found[text]["rank"] == pytest.approx(found[f"CCB.GAL/9/T {text}"]["rank"])
        assert found[text]["rank"] > 0


class TestIndex:
    def test_texts_of_unrecorded_language_are_indexed_in_russian_and_french(self, world):
        configs = dict(SearchEntry.objects.values_list("kind", "config").distinct())
        assert configs["statement"] == configs["communique"] == "russian french"
        assert set(
            SearchEntry.objects.filter(kind="document").values_list("config", flat=True)
        ) == {"english", "russian", "french"}

    def test_a_lexeme_both_configurations_make_is_stored_once(self, world):
        """ "Baltic" stems alike in both: its title and body positions, not twice each;
        "incidents" stems apart ("incid", "incident"): both are kept."""
        entry = SearchEntry.objects.get(title="Airspace incidents over the Baltic.")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT lexeme, array_length(positions, 1) FROM analytics_searchentry,"
                " unnest(vector) WHERE id = %s AND lexeme IN ('baltic', 'incid', 'incident')",
                [entry.pk],
            )
            assert dict(cursor.fetchall()) == {"baltic": 2, "incid": 2, "incident": 2}

    def test_a_changed_text_is_reindexed_in_both_configurations(self, world):
        statement = say(world, world.minutes["s1"], world.items[0], "USA", "Naval drills")
        search_index_refresh()
        assert hits(world.users["us"], "armée") == {}
        statement.summary = "Manoeuvres des armées"
        statement.full_text = "<p>Les armées ont annoncé des manoeuvres.</p>"
        statement.save()
        search_index_refresh()
        found = hits(world.users["us"], "armée")
        assert set(found) == {"Manoeuvres des armées"}
        assert "<mark>armées</mark>" in found["Manoeuvres des armées"]["snippet"]


class TestItemTitles:
    def test_a_statements_item_is_named_in_the_language_asked_for(self, world):
        """A hit on a statement names its item in the reader's language when a current
        translation has it (the item's own columns), else by its authoritative title."""
        from agenda.services.translations import agenda_item_translation_set

        item = world.items[0]
        agenda_item_translation_set(
            item=item,
            user=world.users["sec"],
            language="ru",
            title="Воздушное пространство",
            description="",
        )
        client = APIClient()
        client.force_authenticate(world.users["ru"])
        russian = client.get(SEARCH, {"q": "переговоры"}, HTTP_ACCEPT_LANGUAGE="ru").json()
        [hit] = [
            hit for hit in russian["results"] if hit["title"] == "Заявление о ходе переговоров."
        ]
        assert (
            hit["details"]["item"]
            | {
                "title": "Воздушное пространство",
                "title_language": "ru",
            }
            == hit["details"]["item"]
        )
        english = client.get(SEARCH, {"q": "переговоры"}, HTTP_ACCEPT_LANGUAGE="fr").json()
        [hit] = [
            hit for hit in english["results"] if hit["title"] == "Заявление о ходе переговоров."
        ]
        assert hit["details"]["item"]["title"] == item.title
        assert hit["details"]["item"]["title_language"] == item.language
