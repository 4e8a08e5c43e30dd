"""The record lists' filters through HTTP: minutes, statements, action points,
communiqués and positions, over the record of tests/analytics/world.py.

S1 (participants) was a few days ago; S2 (secretariat-only) four months
earlier, in another quarter. Item 2 of S1 is under the Chatham House rule.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from consult.access import Distribution
from minutes.models import ActionPoint, Attendance, Communique, Position, Statement
from tests.analytics.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def rows(client: APIClient, url: str, **params) -> list[dict]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def summaries(client: APIClient, **params) -> set[str]:
    return {row["summary"] for row in rows(client, "/api/v1/statements/", **params)}


class TestStatementFilters:
    def test_party_and_quarter(self, world):
        client = client_for(world.users["us"])
        assert summaries(client, party="usa", quarter=world.s1.quarter) == {
            "Airspace incidents over the Baltic.",
            "Grain corridor airspace guarantees.",
        }
        assert summaries(client, quarter=world.s2.quarter) == set()
        secretariat = client_for(world.users["sec"])
        assert summaries(secretariat, quarter=world.s2.quarter) == {"Secret airspace assessment."}

    def test_quarter_and_party_never_reveal_a_chatham_house_speaker(self, world):
        """Russia's statements of the quarter, for the US, leave out its Chatham House one."""
        client = client_for(world.users["us"])
        assert summaries(client, party="RUS", quarter=world.s1.quarter) == {
            "Public remark on airspace."
        }

    def test_distribution(self, world):
        client = client_for(world.users["us"])
        assert summaries(client, distribution=Distribution.PUBLIC) == {"Public remark on airspace."}

    def test_bad_input_is_a_400_with_the_reason(self, world):
        client = client_for(world.users["us"])
        response = client.get("/api/v1/statements/", {"quarter": "2026-Q3"})
        assert response.status_code == 400
        assert response.json() == {"quarter": ["'2026-Q3' is not a quarter; write it as 2027Q1."]}
        response = client.get("/api/v1/statements/", {"distribution": "everyone"})
        assert response.status_code == 400
        assert "distribution" in response.json()
        today = date.today()
        reversed_range = {
            "date_from": today.isoformat(),
            "date_to": (today - timedelta(days=1)).isoformat(),
        }
        response = client.get("/api/v1/statements/", reversed_range)
        assert response.status_code == 400
        assert response.json()["fields"] == {"date_from": ["Must not be after date_to."]}

    def test_statements_carry_ids_and_links(self, world):
        client = client_for(world.users["us"])
        [row] = rows(client, "/api/v1/statements/", party="USA", q="Baltic")
        statement = world.statements["us_open"]
        assert row["id"] == str(statement.public_id)
        assert row["url"] == f"http://testserver/api/v1/statements/{statement.public_id}/"
        assert row["session"] == {
            "id": str(world.s1.public_id),
            "url": f"http://testserver/api/v1/sessions/{world.s1.public_id}/",
            "number": "CCB/T/Q1",
            "quarter": world.s1.quarter,
        }
        assert row["item"]["id"] == str(world.items[0].public_id)
        assert row["item"]["url"].endswith(f"/api/v1/agenda-items/{world.items[0].public_id}/")
        minutes = world.minutes["s1"]
        assert row["minutes"] == {
            "id": str(minutes.public_id),
            "url": f"http://testserver/api/v1/minutes/{minutes.public_id}/",
            "status": "approved",
        }
        assert "public_id" not in row
        assert "public_id" not in row["session"]


class TestMinutesFilters:
    def test_quarter_distribution_dates_and_text(self, world):
        client = client_for(world.users["sec"])

        def sessions(**params) -> list[str]:
            return [row["session"]["number"] for row in rows(client, "/api/v1/minutes/", **params)]

        assert sessions(quarter=world.s2.quarter) == ["CCB/T/X1"]
        assert sessions(distribution=Distribution.SECRETARIAT) == ["CCB/T/X1"]
        assert sessions(date_from=world.s1.starts_at.date()) == ["CCB/T/Q1"]
        assert sessions(q="t/q1") == ["CCB/T/Q1"]
        delegate = client_for(world.users["us"])
        assert rows(delegate, "/api/v1/minutes/", quarter=world.s2.quarter) == []

    def test_party_is_an_attending_party(self, world):
        Attendance.objects.create(minutes=world.minutes["s1"], party=world.parties["USA"])
        client = client_for(world.users["sec"])
        found = rows(client, "/api/v1/minutes/", party="usa")
        assert [row["session"]["number"] for row in found] == ["CCB/T/Q1"]
        assert rows(client, "/api/v1/minutes/", party="RUS") == []

    def test_minutes_carry_ids_and_links(self, world):
        [row] = rows(client_for(world.users["us"]), "/api/v1/minutes/")
        minutes = world.minutes["s1"]
        assert row["id"] == str(minutes.public_id)
        assert row["url"] == f"http://testserver/api/v1/minutes/{minutes.public_id}/"


class TestActionPointFilters:
    def test_party_quarter_text_and_dates(self, world):
        client = client_for(world.users["us"])

        def found(**params) -> list[str]:
            return [row["description"] for row in rows(client, "/api/v1/action-points/", **params)]

        shared = ["Share airspace incident data"]
        assert found(party="usa", quarter=world.s1.quarter) == shared
        assert found(q="INCIDENT") == shared
        assert found(party="RUS") == []
        assert found(quarter=world.s2.quarter) == []
        assert found(date_to=world.s2.starts_at.date()) == []
        assert found(distribution=Distribution.PARTICIPANTS) == shared
        point = ActionPoint.objects.get()
        [row] = rows(client, "/api/v1/action-points/")
        assert row["id"] == str(point.public_id)
        assert row["url"].endswith(f"/api/v1/action-points/{point.public_id}/")
        bad = client.get("/api/v1/action-points/", {"quarter": "2026Q0"})
        assert bad.status_code == 400
        assert bad.json()["quarter"] == ["'2026Q0' is not a quarter; write it as 2027Q1."]


class TestCommuniqueFilters:
    def test_anyone_filters_published_texts(self, world):
        """Anonymous readers filter the published texts by quarter, kind and words."""
        client = client_for(None)

        def titles(**params) -> list[str]:
            return [row["title"] for row in rows(client, "/api/v1/communiques/", **params)]

        published = ["Chair's statement on airspace"]
        assert titles(quarter=world.s1.quarter) == published
        assert titles(quarter=world.s2.quarter) == []
        assert titles(kind=Communique.Kind.CHAIR_STATEMENT) == published
        assert titles(kind=Communique.Kind.COMMUNIQUE) == []
        assert titles(q="chair's statement") == published
        assert titles(distribution=Distribution.PUBLIC, date_from=world.s1.starts_at.date()) == (
            published
        )
        assert client.get("/api/v1/communiques/", {"quarter": "soon"}).status_code == 400

    def test_url_is_the_api_resource_and_page_url_the_page(self, world):
        [row] = rows(client_for(None), "/api/v1/communiques/")
        communique = Communique.objects.get()
        assert row["id"] == str(communique.public_id)
        assert row["url"] == f"http://testserver/api/v1/communiques/{communique.public_id}/"
        assert row["page_url"] == f"http://testserver{communique.get_absolute_url()}"


class TestPositionFilters:
    def test_party_quarter_session_and_text(self, world):
        Position.objects.filter(party=world.parties["RUS"]).update(
            stance=Position.Stance.RESERVATION, reservation="On airspace closures"
        )
        client = client_for(world.users["us"])

        def stances(**params) -> list[tuple[str, str]]:
            return [
                (row["party"]["code"], row["stance"])
                for row in rows(client, "/api/v1/positions/", **params)
            ]

        assert stances(party="usa") == [("USA", Position.Stance.ASSOCIATES)]
        assert sorted(stances(quarter=world.s1.quarter)) == [
            ("RUS", Position.Stance.RESERVATION),
            ("USA", Position.Stance.ASSOCIATES),
        ]
        assert stances(session=str(world.s2.public_id)) == []
        assert stances(q="closures") == [("RUS", Position.Stance.RESERVATION)]
        position = Position.objects.get(party=world.parties["USA"])
        [row] = rows(client, "/api/v1/positions/", party="USA")
        assert row["id"] == str(position.public_id)
        assert row["url"].endswith(f"/api/v1/positions/{position.public_id}/")
        communique = Communique.objects.get()
        assert row["communique"]["id"] == str(communique.public_id)
        assert row["communique"]["url"].endswith(f"/api/v1/communiques/{communique.public_id}/")

    def test_filters_do_not_open_positions_to_outsiders(self, world):
        """Germany attends without a seat: it reads no positions, filtered or not."""
        client = client_for(world.users["de"])
        assert rows(client, "/api/v1/positions/", quarter=world.s1.quarter) == []


def _more_statements(world, count: int) -> None:
    start = 100 + Statement.objects.count()
    Statement.objects.bulk_create(
        Statement(
            minutes=world.minutes["s1"],
            item=world.items[0],
            party=world.parties["USA"],
            order=start + n,
            summary=f"Bulk airspace remark {n}",
            recorded_by=world.users["sec"],
        )
        for n in range(count)
    )


def _more_action_points(world, count: int) -> None:
    ActionPoint.objects.bulk_create(
        ActionPoint(
            minutes=world.minutes["s1"],
            item=world.items[0],
            owner=world.parties["USA"],
            description=f"Bulk airspace follow-up {n}",
            due_date=date.today() + timedelta(days=n),
            created_by=world.users["sec"],
        )
        for n in range(count)
    )


@pytest.mark.parametrize(
    ("url", "grow", "params"),
    [
        ("/api/v1/statements/", _more_statements, {"party": "USA", "q": "bulk"}),
        ("/api/v1/action-points/", _more_action_points, {"party": "USA", "q": "bulk"}),
    ],
)
def test_filtered_lists_take_the_same_queries_for_one_row_and_many(world, url, grow, params):
    """Filters add conditions to the selector's query, never a query per row."""
    client = client_for(world.users["us"])
    params = {**params, "quarter": world.s1.quarter, "date_from": world.s1.starts_at.date()}

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            found = rows(client, url, **params)
        return len(found), len(queries)

    grow(world, 1)
    measure()  # the first request caches the caller's groups
    one, queries_for_one = measure()
    grow(world, 30)
    many, queries_for_many = measure()
    assert (one, many) == (1, 31)
    assert queries_for_many == queries_for_one
