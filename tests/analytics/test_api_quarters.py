"""Search and stats read ``quarter`` like every list: any case, and a 400 saying how to write it."""

import pytest
from rest_framework.test import APIClient

from analytics.services.search_index import search_index_refresh
from tests.analytics.world import build_world


@pytest.fixture
def world(db):
    world = build_world()
    search_index_refresh(full=True)
    return world


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_search_takes_a_quarter_in_any_case(world):
    client = client_for(world.users["sec"])
    response = client.get("/api/v1/search/", {"q": "airspace", "quarter": world.s2.quarter.lower()})
    assert response.status_code == 200
    titles = {hit["title"] for hit in response.json()["results"]}
    assert "Secret airspace assessment." in titles
    assert "Public remark on airspace." not in titles


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/search/", {"q": "airspace", "quarter": "2026Q5"}, "quarter"),
        ("/api/v1/stats/", {"since": "2026Q5"}, "since"),
    ],
)
def test_a_bad_quarter_is_a_400_saying_how_to_write_one(world, url, params, field):
    response = client_for(world.users["sec"]).get(url, params)
    assert response.status_code == 400
    assert response.json()[field] == ["'2026Q5' is not a quarter; write it as 2027Q1."]
