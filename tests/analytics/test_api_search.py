from typing import Any

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from agenda.models import SessionGrant
from analytics.models import SearchEntry
from analytics.selectors import search as search_selectors
from analytics.services.search_index import search_index_refresh
from minutes.models import Minutes, Statement
from tests.analytics.world import build_world, say

SEARCH = "/api/v1/search/"


@pytest.fixture
def world(db):
    world = build_world()
    search_index_refresh(full=True)
    return world


def search(user, **params: Any) -> dict:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(SEARCH, params)
    assert response.status_code == 200, response.content
    return response.json()


def titles(page: dict) -> set[str]:
    return {hit["title"] for hit in page["results"]}


class TestWhoFindsWhat:
    def test_an_analyst_without_a_delegation_finds_public_texts_only(self, world):
        found = titles(search(world.users["analyst"], q="airspace"))
        assert found == {
            "Public remark on airspace.",
            "CCB.INF/1/T Public airspace factsheet",
            "Chair's statement on airspace",
        }

    def test_a_delegation_finds_its_own_notes_and_never_anothers(self, world):
        found = titles(search(world.users["us"], q="airspace"))
        assert "CCB.DEL/1/T US private note" in found
        assert "CCB.DEL/2/T Russian private note" not in found
        assert "Secret airspace assessment." not in found
        found = titles(search(world.users["ru"], q="airspace"))
        assert "CCB.DEL/2/T Russian private note" in found
        assert "CCB.DEL/1/T US private note" not in found

    def test_the_secretariat_finds_its_material_but_not_delegations_notes(self, world):
        found = titles(search(world.users["sec"], q="airspace"))
        assert "Secret airspace assessment." in found
        assert not {"CCB.DEL/1/T US private note", "CCB.DEL/2/T Russian private note"} & found

    def test_an_ad_hoc_party_finds_its_item_only(self, world):
        found = titles(search(world.users["ua"], q="airspace"))
        assert "Grain corridor airspace guarantees." in found
        assert "Airspace incidents over the Baltic." not in found
        assert "Airspace closures near Kaliningrad." not in found

    def test_chatham_house_statements_are_found_but_never_attributed(self, world):
        """The text is the participants'; who said it stays with the secretariat."""
        [hit] = search(world.users["us"], q="Kaliningrad")["results"]
        assert hit["details"]["party"] == {"code": None, "name": "a participant"}
        assert hit["details"]["speaker"] == "a participant"
        [hit] = search(world.users["sec"], q="Kaliningrad")["results"]
        assert hit["details"]["party"]["code"] == "RUS"

    def test_a_party_name_does_not_single_out_its_chatham_house_statements(self, world):
        found = titles(search(world.users["us"], q="Russian Federation"))
        assert "Airspace closures near Kaliningrad." not in found

    def test_withdrawn_access_ends_on_the_next_search(self, world):
        """The copy is not consulted for access: revoking the grant hides hits at once."""
        found = titles(search(world.users["de"], q="airspace"))
        assert "Airspace incidents over the Baltic." in found
        SessionGrant.objects.filter(
            group=world.parties["DEU"].delegation.group,
            permission=Permission.objects.get(codename="attend_session"),
        ).delete()
        assert titles(search(world.users["de"], q="airspace")) == {
            "Public remark on airspace.",
            "CCB.INF/1/T Public airspace factsheet",
            "Chair's statement on airspace",
        }

    def test_draft_minutes_are_not_searched_by_delegations(self, world):
        Minutes.objects.filter(pk=world.minutes["s1"].pk).update(status=Minutes.Status.DRAFT)
        assert "Airspace incidents over the Baltic." not in titles(
            search(world.users["us"], q="airspace")
        )
        assert "Airspace incidents over the Baltic." in titles(
            search(world.users["sec"], q="airspace")
        )


class TestMatching:
    def test_english_words_are_stemmed(self, world):
        assert "Airspace incidents over the Baltic." in titles(
            search(world.users["us"], q="incident")
        )

    def test_russian_words_are_stemmed(self, world):
        """«воздушное пространство» finds «воздушного пространства»-style forms."""
        found = titles(search(world.users["ru"], q="воздушного пространства"))
        assert found == {"CCB.DEL/2/T Russian private note"}

    def test_snippets_mark_the_words_and_escape_the_text(self, world):
        say(
            world,
            world.minutes["s1"],
            world.items[0],
            "USA",
            "Escalation ladder",
            full_text="<p>Rules &amp; &quot;red lines&quot; of the escalation ladder.</p>",
        )
        search_index_refresh()
        [hit] = search(world.users["us"], q="ladder")["results"]
        assert "<mark>ladder</mark>" in hit["snippet"]
        assert "&amp; &quot;red lines&quot;" in hit["snippet"]

    def test_text_that_mentions_a_tag_is_still_searchable(self, world):
        """A literal "<script>" in a text must not hide the words after it."""
        say(
            world,
            world.minutes["s1"],
            world.items[0],
            "USA",
            "Markup",
            full_text="<p>Beware &lt;script&gt; near the escalation ladder.</p>",
        )
        search_index_refresh()
        [hit] = search(world.users["us"], q="ladder")["results"]
        assert "<mark>ladder</mark>" in hit["snippet"]
        assert "<script>" not in hit["snippet"]

    def test_hits_link_to_their_resource(self, world):
        [hit] = search(world.users["us"], q="Kaliningrad")["results"]
        statement = world.statements["ru_chatham"]
        assert hit["kind"] == "statement"
        assert hit["id"] == str(statement.public_id)
        assert hit["url"].endswith(f"/api/v1/statements/{statement.public_id}/")
        assert hit["session"]["number"] == "CCB/T/Q1"

    def test_kind_and_quarter_filters(self, world):
        page = search(world.users["sec"], q="airspace", kind=["document"])
        assert {hit["kind"] for hit in page["results"]} == {"document"}
        page = search(world.users["sec"], q="airspace", quarter=world.s2.quarter, kind="statement")
        assert titles(page) == {"Secret airspace assessment."}

    def test_pages_link_forwards_and_back(self, world):
        first = search(world.users["sec"], q="airspace", page_size=2)
        assert len(first["results"]) == 2
        assert first["previous"] is None
        second = APIClient()
        second.force_authenticate(world.users["sec"])
        page = second.get(first["next"]).json()
        assert page["previous"] is not None
        assert not titles(page) & titles(first)

    @pytest.mark.parametrize(
        "params",
        [{}, {"q": ""}, {"q": "  ?! "}, {"q": "x", "page": 51}, {"q": "x", "kind": "minutes"}],
    )
    def test_bad_queries_are_refused_with_a_reason(self, world, params):
        client = APIClient()
        client.force_authenticate(world.users["us"])
        response = client.get(SEARCH, params)
        assert response.status_code == 400
        assert response.json()

    @pytest.mark.parametrize("q", ["  ?! ", "___", "\U000fc7bc"])
    def test_a_query_without_a_word_is_told_so(self, world, q):
        client = APIClient()
        client.force_authenticate(world.users["us"])
        response = client.get(SEARCH, {"q": q})
        assert response.status_code == 400
        assert response.json() == {"q": ["Write at least one word."]}

    def test_the_schema_says_a_query_needs_a_word(self, world):
        client = APIClient()
        client.force_authenticate(world.users["us"])
        schema = client.get("/api/schema/", {"format": "json"}).json()
        parameters = schema["paths"][SEARCH]["get"]["parameters"]
        (q,) = [parameter for parameter in parameters if parameter["name"] == "q"]
        assert q["schema"]["pattern"] == r"[^\W_]"

    def test_anonymous_callers_search_nothing(self, world):
        assert APIClient().get(SEARCH, {"q": "airspace"}).status_code == 401

    def test_the_embedded_fallback_has_the_same_shape_and_rule(self, world, monkeypatch):
        """Without PostgreSQL text search, every word must appear; access is unchanged."""
        monkeypatch.setattr(search_selectors, "uses_full_text", lambda: False)
        page = search(world.users["us"], q="airspace Baltic")
        assert titles(page) == {
            "Airspace incidents over the Baltic.",
            "CCB.GAL/1/T Background on airspace",
            "Baltic airspace",
        }
        hit = next(h for h in page["results"] if h["kind"] == "document")
        assert "<mark>Baltic</mark>" in hit["snippet"]
        assert "US private note" not in str(search(world.users["ru"], q="red lines"))


class TestQueryCounts:
    def test_queries_do_not_grow_with_hits_or_grants(self, world, django_assert_max_num_queries):
        client = APIClient()
        client.force_authenticate(world.users["us"])
        with django_assert_max_num_queries(9):
            few = client.get(SEARCH, {"q": "Kaliningrad"}).json()
        assert len(few["results"]) == 1
        minutes, item = world.minutes["s1"], world.items[0]
        Statement.objects.bulk_create(
            Statement(
                minutes=minutes,
                item=item,
                party=world.parties["USA"],
                order=100 + n,
                summary=f"Kaliningrad note {n}",
                recorded_by=world.users["sec"],
            )
            for n in range(100)
        )
        search_index_refresh()
        with django_assert_max_num_queries(9):
            many = client.get(SEARCH, {"q": "Kaliningrad", "page_size": "100"}).json()
        assert len(many["results"]) == 100


class TestIndexRefresh:
    def test_new_and_changed_texts_are_picked_up(self, world):
        statement = say(world, world.minutes["s1"], world.items[0], "USA", "Hypersonic drills")
        assert search_index_refresh()["statement"] >= 1
        assert titles(search(world.users["us"], q="hypersonic")) == {"Hypersonic drills"}
        statement.summary = "Naval drills"
        statement.full_text = "<p>Naval drills.</p>"
        statement.save()
        search_index_refresh()
        assert titles(search(world.users["us"], q="hypersonic")) == set()
        assert titles(search(world.users["us"], q="naval")) == {"Naval drills"}

    def test_a_full_rebuild_drops_entries_of_deleted_sources(self, world):
        statement = world.statements["us_open"]
        pk = statement.pk
        statement.delete()
        search_index_refresh(full=True)
        assert not SearchEntry.objects.filter(
            kind=SearchEntry.Kind.STATEMENT, object_id=pk
        ).exists()

    def test_refreshing_twice_writes_nothing_new(self, world):
        before = SearchEntry.objects.count()
        search_index_refresh()
        search_index_refresh()
        assert SearchEntry.objects.count() == before
