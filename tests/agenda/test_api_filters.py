"""The agenda lists' filters through HTTP: sessions, agenda items, invitations and papers.

Over the small record of tests/analytics/world.py: session S1 (participants,
a few days ago) and S2 (secretariat-only, four months earlier, so another
quarter). Filters narrow what the access rule already lets the caller read.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from agenda.models import AgendaItem, Document, Invitation, Session
from consult.access import Distribution
from tests.analytics.world import build_world, paper
from tests.factories import AgendaItemFactory, SessionFactory


@pytest.fixture
def world(db):
    return build_world()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def rows(client: APIClient, url: str, **params) -> list[dict]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def numbers(client: APIClient, **params) -> list[str]:
    return [row["number"] for row in rows(client, "/api/v1/sessions/", **params)]


class TestSessionFilters:
    def test_quarter_narrows_and_accepts_any_case(self, world):
        """?quarter= keeps the sessions of that quarter, written 2026Q3 or 2026q3."""
        client = client_for(world.users["sec"])
        assert numbers(client, quarter=world.s2.quarter) == ["CCB/T/X1"]
        assert numbers(client, quarter=world.s1.quarter.lower()) == ["CCB/T/Q1"]

    def test_a_bad_quarter_is_a_400_saying_how_to_write_one(self, world):
        response = client_for(world.users["sec"]).get("/api/v1/sessions/", {"quarter": "2026Q5"})
        assert response.status_code == 400
        assert response.json() == {"quarter": ["'2026Q5' is not a quarter; write it as 2027Q1."]}

    def test_dates_are_inclusive_days_of_the_start(self, world):
        """date_from and date_to both include the day a session starts on (UTC)."""
        client = client_for(world.users["sec"])
        s1_day, s2_day = world.s1.starts_at.date(), world.s2.starts_at.date()
        assert numbers(client, date_from=s1_day) == ["CCB/T/Q1"]
        assert numbers(client, date_to=s2_day) == ["CCB/T/X1"]
        assert numbers(client, date_from=s1_day, date_to=s1_day) == ["CCB/T/Q1"]
        assert numbers(client, date_to=s2_day - timedelta(days=1)) == []
        assert sorted(numbers(client, date_to="9999-12-31")) == ["CCB/T/Q1", "CCB/T/X1"]

    def test_a_reversed_date_range_is_a_400(self, world):
        s1_day = world.s1.starts_at.date()
        response = client_for(world.users["sec"]).get(
            "/api/v1/sessions/", {"date_from": s1_day, "date_to": s1_day - timedelta(days=1)}
        )
        assert response.status_code == 400
        assert response.json()["fields"] == {"date_from": ["Must not be after date_to."]}

    def test_a_bad_date_is_a_400_naming_the_parameter(self, world):
        response = client_for(world.users["sec"]).get("/api/v1/sessions/", {"date_to": "soon"})
        assert response.status_code == 400
        assert response.json() == {"date_to": ["Enter a valid date."]}

    def test_kind_distribution_and_text(self, world):
        client = client_for(world.users["sec"])
        assert numbers(client, kind=Session.Kind.REGULAR) == ["CCB/T/Q1"]
        assert numbers(client, distribution=Distribution.SECRETARIAT) == ["CCB/T/X1"]
        assert numbers(client, q="t/x1") == ["CCB/T/X1"]
        bad = client.get("/api/v1/sessions/", {"kind": "summit"})
        assert bad.status_code == 400
        assert "kind" in bad.json()

    def test_party_is_a_party_invited_to_the_whole_session(self, world):
        """An ad hoc invitation to one item does not make the session the party's."""
        Invitation.objects.create(
            session=world.s1, party=world.parties["DEU"], kind=Invitation.Kind.MEMBER
        )
        Invitation.objects.create(
            session=world.s1,
            item=world.items[2],
            party=world.parties["UKR"],
            kind=Invitation.Kind.AD_HOC,
        )
        client = client_for(world.users["sec"])
        assert numbers(client, party="deu") == ["CCB/T/Q1"]
        assert numbers(client, party="UKR") == []

    def test_ordering(self, world):
        client = client_for(world.users["sec"])
        assert numbers(client, ordering="starts_at") == ["CCB/T/X1", "CCB/T/Q1"]
        assert numbers(client, ordering="-starts_at") == ["CCB/T/Q1", "CCB/T/X1"]

    def test_filters_never_open_what_the_rule_hides(self, world):
        """A delegate asking for S2's quarter gets nothing: S2 is secretariat-only."""
        client = client_for(world.users["us"])
        assert numbers(client, quarter=world.s2.quarter) == []
        assert numbers(client, distribution=Distribution.SECRETARIAT) == []

    def test_sessions_carry_ids_and_links(self, world):
        """``id`` is the UUID, ``url`` the detail; nested items link to theirs."""
        [row] = rows(client_for(world.users["us"]), "/api/v1/sessions/")
        assert row["id"] == str(world.s1.public_id)
        assert "public_id" not in row
        assert row["url"] == f"http://testserver/api/v1/sessions/{world.s1.public_id}/"
        assert client_for(world.users["us"]).get(row["url"]).json()["id"] == row["id"]
        first = row["items"][0]
        assert first["id"] == str(world.items[0].public_id)
        assert first["url"] == f"http://testserver/api/v1/agenda-items/{world.items[0].public_id}/"
        assert row["starts_at"].endswith("Z")


class TestAgendaItemFilters:
    def test_quarter_text_party_distribution_and_dates(self, world):
        world.items[2].proposer = world.parties["UKR"]
        world.items[2].save(update_fields=["proposer"])
        client = client_for(world.users["sec"])

        def titles(**params) -> set[str]:
            return {row["title"] for row in rows(client, "/api/v1/agenda-items/", **params)}

        assert titles(quarter=world.s1.quarter) == {
            "Baltic airspace",
            "Nuclear signalling",
            "Black Sea corridor",
        }
        assert titles(q="CORRIDOR") == {"Black Sea corridor"}
        assert titles(party="ukr") == {"Black Sea corridor"}
        assert titles(distribution=Distribution.SECRETARIAT) == {"Closed airspace review"}
        assert titles(date_to=world.s2.starts_at.date()) == {"Closed airspace review"}
        assert titles(session=str(world.s2.public_id), q="baltic") == set()
        assert client.get("/api/v1/agenda-items/", {"quarter": "Q3-2026"}).status_code == 400

    def test_a_carried_item_names_the_item_it_continues(self, world):
        earlier = AgendaItem.objects.get(title="Closed airspace review")
        world.items[0].carried_from = earlier
        world.items[0].save(update_fields=["carried_from"])
        client = client_for(world.users["sec"])
        [row] = rows(client, "/api/v1/agenda-items/", q="baltic")
        assert row["carried_from"] == {
            "id": str(earlier.public_id),
            "url": f"http://testserver/api/v1/agenda-items/{earlier.public_id}/",
            "order": 1,
            "title": "Closed airspace review",
            "title_language": "en",
            "title_authoritative": True,
            "chatham_house": earlier.chatham_house,
        }

    def test_an_ad_hoc_guest_filters_within_its_own_item(self, world):
        """Ukraine sees item 3 only, whatever the filter asks for."""
        client = client_for(world.users["ua"])
        found = rows(client, "/api/v1/agenda-items/", quarter=world.s1.quarter)
        assert [row["title"] for row in found] == ["Black Sea corridor"]
        assert found[0]["url"].endswith(f"/api/v1/agenda-items/{world.items[2].public_id}/")


class TestInvitationFilters:
    @pytest.fixture
    def invitations(self, world):
        return {
            "ukr": Invitation.objects.create(
                session=world.s1,
                item=world.items[2],
                party=world.parties["UKR"],
                kind=Invitation.Kind.AD_HOC,
                reason="Grain corridor talks",
            ),
            "deu": Invitation.objects.create(
                session=world.s2, party=world.parties["DEU"], kind=Invitation.Kind.MEMBER
            ),
        }

    def test_quarter_dates_party_and_text(self, world, invitations):
        client = client_for(world.users["sec"])

        def parties(**params) -> list[str]:
            return [row["party"] for row in rows(client, "/api/v1/invitations/", **params)]

        assert parties(quarter=world.s2.quarter) == ["DEU"]
        assert parties(date_from=world.s1.starts_at.date()) == ["UKR"]
        assert parties(party="ukr") == ["UKR"]
        assert parties(q="corridor") == ["UKR"]
        assert parties(q="CCB/T/X1") == ["DEU"]
        bad = client.get("/api/v1/invitations/", {"quarter": "last"})
        assert bad.status_code == 400
        assert bad.json()["quarter"] == ["'last' is not a quarter; write it as 2027Q1."]

    def test_an_invitation_names_its_session_and_item_by_id(self, world, invitations):
        [row] = rows(client_for(world.users["ua"]), "/api/v1/invitations/")
        ukr = invitations["ukr"]
        assert row["id"] == str(ukr.public_id)
        assert row["url"] == f"http://testserver/api/v1/invitations/{ukr.public_id}/"
        assert row["session"]["id"] == str(world.s1.public_id)
        assert row["session"]["number"] == "CCB/T/Q1"
        assert row["item"]["id"] == str(world.items[2].public_id)
        assert "public_id" not in row


class TestDocumentFilters:
    def test_quarter_kind_text_and_dates(self, world):
        client = client_for(world.users["us"])

        def symbols(**params) -> set[str]:
            return {row["symbol"] for row in rows(client, "/api/v1/documents/", **params)}

        assert symbols(quarter=world.s1.quarter, q="factsheet") == {"CCB.INF/1/T"}
        assert symbols(kind=Document.Category.NOTE) == {"CCB.DEL/1/T"}
        assert symbols(party="RUS", kind=Document.Category.NOTE) == set()
        assert symbols(date_to=world.s2.starts_at.date()) == set()
        assert symbols(q="cCb.GaL") == {"CCB.GAL/1/T"}

    def test_a_bad_filter_is_a_400(self, world):
        client = client_for(world.users["us"])
        response = client.get("/api/v1/documents/", {"quarter": "2026", "session": "S1"})
        assert response.status_code == 400
        assert response.json() == {
            "quarter": ["'2026' is not a quarter; write it as 2027Q1."],
            "session": ["Enter a valid UUID."],
        }


LISTS = [
    ("/api/v1/sessions/", {"quarter": "Q", "q": "CCB", "date_from": "D", "kind": "extraordinary"}),
    ("/api/v1/agenda-items/", {"quarter": "Q", "q": "Item", "date_from": "D", "party": "USA"}),
    ("/api/v1/documents/", {"quarter": "Q", "q": "Paper", "date_from": "D", "party": "USA"}),
]


@pytest.mark.parametrize(("url", "params"), LISTS)
def test_filtered_lists_take_the_same_queries_for_one_row_and_many(world, url, params):
    """Filters add conditions to the selector's query, never a query per row."""
    client = client_for(world.users["sec"])
    starts = world.s1.starts_at + timedelta(days=1)
    values = {
        key: {"Q": world.s1.quarter, "D": world.s1.starts_at.date()}.get(value, value)
        for key, value in params.items()
    }

    def grow(count: int) -> None:
        for n in range(count):
            session = SessionFactory(quarter=world.s1.quarter, starts_at=starts)
            AgendaItemFactory(
                agenda__session=session, session=session, proposer=world.parties["USA"]
            )
            paper(
                world,
                session,
                f"CCB.T/{session.pk}",
                f"Paper {n}",
                "<p>Text</p>",
                distribution=Distribution.PARTICIPANTS,
                owner="USA",
            )

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            found = rows(client, url, **values)
        return len(found), len(queries)

    grow(1)
    measure()  # the first request caches the caller's groups
    one, queries_for_one = measure()
    grow(20)
    many, queries_for_many = measure()
    assert (one, many) == (1, 21)
    assert queries_for_many == queries_for_one
