"""The members lists' filters and links through HTTP: parties, seats, rotation, delegations."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from members.services.delegations import delegation_create
from members.services.parties import party_create
from members.services.seats import seat_create
from members.services.terms import rotation_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(table):
    rotation_plan(start=table.quarter, count=4)
    return table


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def rows(client: APIClient, url: str, **params) -> list[dict]:
    response = client.get(url, {"page_size": 200, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_parties_by_text_in_any_language(table):
    """?q= matches the code and the English, French and Russian names."""
    client = client_for(table.analyst)
    assert [row["code"] for row in rows(client, "/api/v1/parties/", q="allemagne")] == ["DEU"]
    assert [row["code"] for row in rows(client, "/api/v1/parties/", q="Польша")] == ["POL"]
    assert [row["code"] for row in rows(client, "/api/v1/parties/", q="ukr")] == ["UKR"]


def test_seats_by_party_and_text(table):
    client = client_for(table.analyst)
    assert [row["code"] for row in rows(client, "/api/v1/seats/", party="nato")] == ["NATO"]
    assert [row["code"] for row in rows(client, "/api/v1/seats/", q="union")] == ["EU"]


def test_rotation_by_party_and_quarter(planned):
    """?party= is the holder; a term of another quarter is left out."""
    client = client_for(planned.analyst)
    terms = rows(client, "/api/v1/rotation/", party="fra")
    assert terms
    assert {term["holder"]["code"] for term in terms} == {"FRA"}
    this_quarter = rows(client, "/api/v1/rotation/", quarter=str(planned.quarter).lower())
    assert {term["quarter"] for term in this_quarter} == {str(planned.quarter)}
    later = planned.quarter + 10
    assert rows(client, "/api/v1/rotation/", quarter=str(later)) == []


def test_delegations_by_party_and_text(table):
    client = client_for(table.analyst)
    found = rows(client, "/api/v1/delegations/", party="ukr")
    assert [row["party"]["code"] for row in found] == ["UKR"]
    found = rows(client, "/api/v1/delegations/", q="atlantic")
    assert [row["party"]["code"] for row in found] == ["NATO"]


@pytest.mark.parametrize("url", ["/api/v1/seats/", "/api/v1/rotation/"])
def test_a_bad_quarter_is_a_400_with_the_reason(table, url):
    response = client_for(table.analyst).get(url, {"quarter": "2027-1"})
    assert response.status_code == 400
    assert response.json() == {"quarter": ["'2027-1' is not a quarter; write it as 2027Q1."]}


@pytest.mark.parametrize(
    ("url", "route"),
    [
        ("/api/v1/parties/", "parties"),
        ("/api/v1/seats/", "seats"),
        ("/api/v1/rotation/", "rotation"),
        ("/api/v1/delegations/", "delegations"),
    ],
)
def test_every_row_has_a_uuid_id_and_a_link_to_itself(planned, url, route):
    client = client_for(planned.analyst)
    found = rows(client, url)
    assert found
    for row in found:
        assert len(row["id"]) == 36
        assert row["url"] == f"http://testserver/api/v1/{route}/{row['id']}/"
    detail = client.get(found[0]["url"])
    assert detail.status_code == 200
    assert detail.json()["id"] == found[0]["id"]


def test_filtered_lists_take_the_same_queries_for_one_row_and_many(table):
    """Text and party filters add conditions, never a query per row."""
    client = client_for(table.analyst)

    def measure(url: str, **params) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            found = rows(client, url, **params)
        return len(found), len(queries)

    def add(start: int, count: int) -> None:
        for index in range(start, start + count):
            party = party_create(code=f"ZZ{chr(65 + index)}", kind="state", name_en="Zland")
            seat_create(code=party.code, name="Zland seat", party=party, mode="own")
            delegation_create(party=party)

    urls = ("/api/v1/parties/", "/api/v1/seats/", "/api/v1/delegations/")
    add(0, 1)
    for url in urls:
        measure(url)  # a first request caches the caller's groups
    before = {url: measure(url, q="zland") for url in urls}
    add(1, 15)
    after = {url: measure(url, q="zland") for url in urls}
    assert {url: found for url, (found, _) in before.items()} == dict.fromkeys(before, 1)
    assert {url: found for url, (found, _) in after.items()} == dict.fromkeys(after, 16)
    assert {url: queries for url, (_, queries) in after.items()} == {
        url: queries for url, (_, queries) in before.items()
    }
