import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from consult.quarters import Quarter
from minutes.models import ActionPoint
from tests.analytics.world import build_world

STATS = "/api/v1/stats/"


@pytest.fixture
def world(db):
    return build_world()


def stats(user, **params) -> dict[str, dict]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(STATS, params)
    assert response.status_code == 200, response.content
    return {row["quarter"]: row for row in response.json()["quarters"]}


def test_quarters_are_dense_and_in_order(world):
    rows = stats(world.users["sec"], since="2025Q3", until="2026Q2")
    assert list(rows) == ["2025Q3", "2025Q4", "2026Q1", "2026Q2"]
    assert rows["2025Q4"]["sessions"] == {"regular": 0, "extraordinary": 0}


def test_the_default_span_is_ten_years_to_the_current_quarter(world):
    rows = list(stats(world.users["sec"]))
    assert rows[-1] == str(Quarter.current())
    assert len(rows) == 40


def test_a_delegate_counts_chatham_house_statements_as_undisclosed(world):
    """Per-party counts would otherwise say who spoke under the Chatham House rule."""
    row = stats(world.users["us"])[world.s1.quarter]
    assert row["statements"] == {"total": 4, "by_party": {"USA": 2, "RUS": 1, "undisclosed": 1}}
    assert row["sessions"]["regular"] == 1


def test_the_secretariat_counts_every_statement_by_party(world):
    rows = stats(world.users["sec"])
    assert rows[world.s1.quarter]["statements"]["by_party"] == {"USA": 2, "RUS": 2}
    assert rows[world.s2.quarter]["statements"] == {"total": 1, "by_party": {"USA": 1}}
    assert rows[world.s2.quarter]["sessions"]["extraordinary"] == 1


def test_an_analyst_counts_public_material_only(world):
    rows = stats(world.users["analyst"])
    assert rows[world.s1.quarter]["statements"] == {"total": 1, "by_party": {"RUS": 1}}
    assert rows[world.s1.quarter]["sessions"] == {"regular": 0, "extraordinary": 0}
    assert rows[world.s1.quarter]["outcomes"] == {"communique": 0, "chair_statement": 1}
    assert rows[world.s2.quarter]["statements"]["total"] == 0


def test_action_points_opened_and_closed(world):
    point = ActionPoint.objects.get()
    row = stats(world.users["us"])[world.s1.quarter]
    assert row["action_points"] == {"opened": 1, "closed": 0}
    ActionPoint.objects.filter(pk=point.pk).update(
        status=ActionPoint.Status.DONE, done_at=timezone.now()
    )
    done_in = str(Quarter.current())
    assert stats(world.users["us"])[done_in]["action_points"]["closed"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {"since": "2026Q5"},
        {"until": "2026-01"},
        {"since": "2026Q3", "until": "2026Q1"},
        {"since": "1900Q1", "until": "2026Q1"},
    ],
)
def test_bad_spans_are_refused_with_a_reason(world, params):
    client = APIClient()
    client.force_authenticate(world.users["us"])
    response = client.get(STATS, params)
    assert response.status_code == 400
    body = response.json()
    # A value no quarter reads names its field; a span the rules refuse is a domain refusal.
    assert set(body) & {"since", "until"} or set(body["fields"]) & {"since", "until"}


def test_queries_do_not_grow_with_the_span_or_rows(world, django_assert_max_num_queries):
    client = APIClient()
    client.force_authenticate(world.users["us"])
    with django_assert_max_num_queries(9):
        client.get(STATS, {"since": "2026Q1", "until": "2026Q1"})
    with django_assert_max_num_queries(9):
        client.get(STATS, {"since": "1980Q1", "until": "2026Q4"})
