"""Input the API cannot read answers 400 with the reason, never a default or a 500.

Filters with an unknown choice, ``page_size`` out of range, ``ordering`` by a
field not offered, a bad quarter, a time without its offset or past 2100, and
JSON nested past any sane depth.
"""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from tests.factories import SessionFactory, secretariat_user


@pytest.fixture
def secretariat(db) -> APIClient:
    client = APIClient()
    client.force_authenticate(secretariat_user())
    return client


def refusal(response, parameter: str) -> str:
    assert response.status_code == 400, response.content
    messages = response.json()[parameter]
    assert messages
    return " ".join(messages)


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/sessions/?status=bogus", "status"),
        ("/api/v1/sessions/?kind=bogus", "kind"),
        ("/api/v1/documents/?distribution=bogus", "distribution"),
        ("/api/v1/parties/?kind=bogus", "kind"),
        ("/api/v1/action-points/?status=bogus", "status"),
    ],
)
def test_an_unknown_choice_in_a_filter_is_a_400(secretariat, url, parameter):
    assert "bogus" in refusal(secretariat.get(url), parameter)


@pytest.mark.parametrize("size", ["0", "-1", "201", "abc", "1.5", "1_0", "null"])
def test_a_page_size_out_of_range_is_a_400(secretariat, size):
    response = secretariat.get("/api/v1/sessions/", {"page_size": size})
    assert "from 1 to 200" in refusal(response, "page_size")


@pytest.mark.parametrize("size", ["1", "200", ""])
def test_a_page_size_in_range_or_empty_is_read(secretariat, size):
    SessionFactory.create_batch(2)
    response = secretariat.get("/api/v1/sessions/", {"page_size": size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == (1 if size == "1" else 2)


@pytest.mark.parametrize(
    "ordering", ["requested_by__password", "starts_at,created_by__password", "-", "starts_at,"]
)
def test_ordering_by_a_field_not_offered_is_a_400_naming_those_offered(secretariat, ordering):
    message = refusal(secretariat.get("/api/v1/sessions/", {"ordering": ordering}), "ordering")
    assert "starts_at, -starts_at, created_at, -created_at" in message


def test_ordering_by_offered_fields_orders(secretariat):
    later = SessionFactory()
    earlier = SessionFactory(
        starts_at=later.starts_at - timedelta(days=30), ends_at=later.ends_at - timedelta(days=30)
    )
    expected = [str(later.public_id), str(earlier.public_id)]
    for ordering, order in (("-starts_at,created_at", expected), ("starts_at", expected[::-1])):
        response = secretariat.get("/api/v1/sessions/", {"ordering": ordering})
        assert response.status_code == 200
        assert [row["id"] for row in response.json()["results"]] == order


def test_the_schema_lists_the_orderings_and_page_sizes_allowed(secretariat):
    schema = secretariat.get("/api/schema/", {"format": "json"}).json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/sessions/"]["get"]["parameters"]}
    assert parameters["ordering"]["schema"]["items"]["enum"] == [
        "starts_at",
        "-starts_at",
        "created_at",
        "-created_at",
    ]
    assert parameters["ordering"]["explode"] is False
    assert parameters["page_size"]["schema"] | {"default": 50} == {
        "type": "integer",
        "minimum": 1,
        "maximum": 200,
        "default": 50,
    }
    assert parameters["quarter"]["allowEmptyValue"] is True


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/sessions/?quarter=2026Q5", "quarter"),
        ("/api/v1/rotation/?quarter=soon", "quarter"),
        ("/api/v1/seats/?quarter=26Q1", "quarter"),
        ("/api/v1/stats/?until=Q1", "until"),
    ],
)
def test_a_bad_quarter_is_a_400_saying_how_to_write_one(secretariat, url, parameter):
    assert "2027Q1" in refusal(secretariat.get(url), parameter)


@pytest.mark.parametrize(
    ("starts_at", "reason"),
    [
        ("2027-03-01T09:00:00", "offset"),
        ("2027-03-01 09:00", "offset"),
        ("9999-12-31T00:00:00Z", "1900 to 2100"),
        ("2101-01-01T00:00:00+01:00", "1900 to 2100"),
        ("1800-01-01T00:00:00Z", "1900 to 2100"),
    ],
)
def test_a_time_without_offset_or_past_2100_is_a_400(secretariat, starts_at, reason):
    response = secretariat.post(
        "/api/v1/sessions/",
        {"kind": "extraordinary", "starts_at": starts_at, "reason": "Test"},
        format="json",
    )
    assert reason in refusal(response, "starts_at")


def test_json_nested_past_a_sane_depth_is_a_400(secretariat):
    response = secretariat.generic(
        "POST", "/api/v1/sessions/", "[" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_json_nested_past_a_sane_depth_is_a_400_on_a_multipart_endpoint(secretariat):
    response = secretariat.generic(
        "POST", "/api/v1/documents/", "[" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/communiques/?published_after=7156-05-21T04:36:54%2B17:53", "published_after"),
        ("/api/v1/stats/?until=0000Q1", "until"),
    ],
)
def test_a_year_past_the_range_in_a_query_is_a_400(secretariat, url, parameter):
    assert "1900 to 2100" in refusal(secretariat.get(url), parameter)
