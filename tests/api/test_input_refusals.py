"""Input the API cannot read answers 400 with the reason, never a default or a 500.

Filters with an unknown choice or a yes/no that is neither true nor false,
``page_size`` out of range, ``ordering`` by a field not offered, a bad
quarter, a time without its offset or past 2100, JSON nested past any sane
depth, an empty rotation start, a form body where the API reads JSON. And the
schema says what the API reads: required fields, patterns, the errors each
operation may answer, refusals by domain rules in the shape it documents.
"""

from datetime import timedelta

import django_filters
import pytest
from rest_framework.test import APIClient

from consult.api import router
from consult.filters import StrictBooleanFilter
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


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/agenda-items/", "is_open"),
        ("/api/v1/agenda-items/", "chatham_house"),
        ("/api/v1/objections/", "answered"),
        ("/api/v1/seats/", "is_observer"),
        ("/api/v1/delegations/", "is_standing"),
    ],
)
@pytest.mark.parametrize("value", ["banana", "yes", "True", "2"])
def test_a_yes_no_filter_refuses_what_is_not_true_or_false(secretariat, url, parameter, value):
    message = refusal(secretariat.get(url, {parameter: value}), parameter)
    assert repr(value) in message
    assert "true or false" in message


@pytest.mark.parametrize("value", ["true", "false", ""])
def test_a_yes_no_filter_reads_true_false_or_nothing(secretariat, value):
    response = secretariat.get("/api/v1/agenda-items/", {"is_open": value})
    assert response.status_code == 200


def test_every_yes_no_filter_of_the_api_is_strict():
    checked = 0
    for _prefix, viewset, _basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        for name, declared in (filterset.base_filters if filterset else {}).items():
            if isinstance(declared, django_filters.BooleanFilter):
                assert isinstance(declared, StrictBooleanFilter), f"{viewset.__name__}.{name}"
                checked += 1
    assert checked >= 5


@pytest.mark.parametrize("body", [{"start": ""}, {"start": "", "count": 4}])
def test_an_empty_rotation_start_is_a_400(secretariat, body):
    response = secretariat.post("/api/v1/rotation/plan/", body, format="json")
    assert "blank" in refusal(response, "start")


def test_a_form_body_is_a_415_where_the_api_reads_json(secretariat):
    # A form cannot tell an empty start from none; the API reads JSON bodies only.
    response = secretariat.post("/api/v1/rotation/plan/", {"start": ""}, format="multipart")
    assert response.status_code == 415
    assert "detail" in response.json()


def test_an_empty_search_parameter_is_no_value(secretariat):
    response = secretariat.get("/api/v1/search/", {"q": "airspace", "kind": "", "quarter": ""})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_party_code_the_schema_refuses_is_refused_by_its_pattern(secretariat):
    """Letters only, in either case (stored in capitals); the schema states the same pattern."""
    response = secretariat.post(
        "/api/v1/parties/", {"code": "u1", "kind": "state", "name_en": "X"}, format="json"
    )
    assert "2 to 8 letters" in refusal(response, "code")
    small = secretariat.post(
        "/api/v1/parties/", {"code": "uk", "kind": "state", "name_en": "X"}, format="json"
    )
    assert small.status_code == 201
    assert small.json()["code"] == "UK"
    schema = secretariat.get("/api/schema/", {"format": "json"}).json()
    code = schema["components"]["schemas"]["PartyCreateRequest"]["properties"]["code"]
    assert code["pattern"] == "^[A-Za-z]{2,8}$"


def test_wrong_credentials_are_a_domain_refusal_documented_as_such(db):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "nobody", "password": "x"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Unable to log in with the given credentials."}


def test_every_operation_documents_the_errors_it_may_answer(secretariat):
    schema = secretariat.get("/api/schema/", {"format": "json"}).json()
    everywhere = {"400", "401", "403", "404", "405", "406", "429", "503"}
    operations = 0
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            expected = everywhere | ({"413", "415"} if "requestBody" in operation else set())
            missing = expected - set(operation["responses"])
            assert not missing, f"{method.upper()} {path} lacks {sorted(missing)}"
            operations += 1
    assert operations > 50
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


@pytest.mark.parametrize(
    ("url", "required"),
    [
        ("/api/v1/sessions/", {"kind", "starts_at", "ends_at", "venue"}),
        ("/api/v1/agenda-items/", {"session", "title", "kind"}),
    ],
)
def test_what_a_create_requires_the_schema_requires(secretariat, url, required):
    response = secretariat.post(url, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == required
    schema = secretariat.get("/api/schema/", {"format": "json"}).json()
    body = schema["paths"][url]["post"]["requestBody"]["content"]["application/json"]["schema"]
    component = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
    assert set(component["required"]) == required


def test_a_json_paper_is_rich_text_and_a_file_key_in_it_is_ignored(secretariat):
    session = SessionFactory()
    response = secretariat.post(
        "/api/v1/documents/",
        {
            "session": str(session.public_id),
            "title": "Talking points",
            "distribution": "participants",
            "body_html": "<p>Airspace</p>",
            "file": "",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    schema = secretariat.get("/api/schema/", {"format": "json"}).json()
    content = schema["paths"]["/api/v1/documents/"]["post"]["requestBody"]["content"]
    bodies = {kind: value["schema"]["$ref"].rsplit("/", 1)[-1] for kind, value in content.items()}
    assert "file" not in schema["components"]["schemas"][bodies["application/json"]]["properties"]
    assert "file" in schema["components"]["schemas"][bodies["multipart/form-data"]]["properties"]


def test_a_date_range_backwards_is_a_domain_refusal(secretariat):
    response = secretariat.get(
        "/api/v1/packs/", {"date_from": "2027-02-01", "date_to": "2027-01-01"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "date_from must not be after date_to.",
        "fields": {"date_from": ["Must not be after date_to."]},
    }


def test_a_nul_character_in_text_is_a_400_naming_the_field(db):
    """Every text field refuses NUL (PostgreSQL cannot store it); the fuzzing leaves it out."""
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "a\x00b", "password": "x"}, format="json"
    )
    assert "Null characters are not allowed." in refusal(response, "username")


@pytest.mark.parametrize("kinds", [[""], ["", "login"]])
def test_an_empty_choice_among_many_is_no_choice(secretariat, kinds):
    """``?kind=`` is no value, as a form sends it, not an unknown kind."""
    response = secretariat.get("/api/v1/audit/", {"kind": kinds})
    assert response.status_code == 200
    assert secretariat.get("/api/v1/audit/", {"kind": ["bogus"]}).status_code == 400
