import csv
import io

import orjson
import pytest
from rest_framework.test import APIClient

from analytics.exports import csv_cell
from minutes.models import Statement
from tests.analytics.world import build_world, say


@pytest.fixture
def world(db):
    return build_world()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def csv_rows(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def jsonl_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content)
    return [orjson.loads(line) for line in body.splitlines()]


def summaries(rows) -> set[str]:
    return {row["summary"] for row in rows}


class TestStatementExports:
    def test_a_delegate_exports_what_the_list_shows(self, world):
        """Same rows as the list: own sessions' statements and public ones, no secretariat text."""
        client = client_for(world.users["us"])
        rows = csv_rows(client.get("/api/v1/exports/statements.csv"))
        listed = client.get("/api/v1/statements/", {"page_size": 200}).json()["results"]
        assert summaries(rows) == {row["summary"] for row in listed}
        assert "Secret airspace assessment." not in summaries(rows)
        assert "Airspace closures near Kaliningrad." in summaries(rows)

    def test_chatham_house_statements_are_anonymous_in_both_formats(self, world):
        """Outside the secretariat, party and speaker of a Chatham House statement never appear."""
        client = client_for(world.users["us"])
        for rows in (
            csv_rows(client.get("/api/v1/exports/statements.csv")),
            jsonl_rows(client.get("/api/v1/exports/statements.jsonl")),
        ):
            chatham = [r for r in rows if r["summary"] == "Airspace closures near Kaliningrad."]
            assert len(chatham) == 1
            assert chatham[0]["party_code"] in ("", None)
            assert chatham[0]["party"] == "a participant"
            assert chatham[0]["speaker"] == "a participant"
            assert "RUS" not in orjson.dumps(chatham[0]).decode()
            assert "Russian" not in orjson.dumps(chatham[0]).decode()

    def test_the_secretariat_sees_who_spoke(self, world):
        rows = jsonl_rows(client_for(world.users["sec"]).get("/api/v1/exports/statements.jsonl"))
        chatham = next(r for r in rows if r["summary"] == "Airspace closures near Kaliningrad.")
        assert chatham["party_code"] == "RUS"
        assert "Secret airspace assessment." in summaries(rows)

    def test_a_party_filter_never_reveals_a_chatham_house_speaker(self, world):
        """Filtering by Russia leaves out Russia's Chatham House statement."""
        client = client_for(world.users["us"])
        rows = csv_rows(client.get("/api/v1/exports/statements.csv", {"party": "RUS"}))
        assert summaries(rows) == {"Public remark on airspace."}

    def test_an_analyst_without_a_delegation_exports_public_statements_only(self, world):
        client = client_for(world.users["analyst"])
        rows = jsonl_rows(client.get("/api/v1/exports/statements.jsonl"))
        assert summaries(rows) == {"Public remark on airspace."}

    def test_an_ad_hoc_party_exports_its_item_only(self, world):
        client = client_for(world.users["ua"])
        rows = csv_rows(client.get("/api/v1/exports/statements.csv"))
        assert summaries(rows) == {
            "Grain corridor airspace guarantees.",
            "Public remark on airspace.",
        }

    def test_jsonl_rows_carry_iso_times_with_offsets_and_uuid_ids(self, world):
        rows = jsonl_rows(client_for(world.users["sec"]).get("/api/v1/exports/statements.jsonl"))
        row = rows[0]
        assert row["created_at"].endswith("Z")
        assert len(row["id"]) == 36
        assert row["quarter"] == world.s2.quarter

    def test_files_are_downloads_with_their_type(self, world):
        client = client_for(world.users["us"])
        response = client.get("/api/v1/exports/statements.csv", HTTP_ACCEPT="text/csv")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="statements-')
        assert response["Cache-Control"] == "no-store"
        response = client.get("/api/v1/exports/statements.jsonl")
        assert response["Content-Type"] == "application/x-ndjson"

    def test_formulas_are_neutralised_in_csv_but_kept_in_json(self, world):
        """A statement opening with '=' reaches a spreadsheet as text, not as a formula."""
        say(world, world.minutes["s1"], world.items[0], "USA", '=HYPERLINK("http://x")')
        client = client_for(world.users["us"])
        cells = summaries(csv_rows(client.get("/api/v1/exports/statements.csv")))
        assert """'=HYPERLINK("http://x")""" in cells
        raw = summaries(jsonl_rows(client.get("/api/v1/exports/statements.jsonl")))
        assert '=HYPERLINK("http://x")' in raw

    def test_a_bad_filter_is_a_400_with_the_reason(self, world):
        response = client_for(world.users["us"]).get(
            "/api/v1/exports/statements.csv", {"date_from": "yesterday"}
        )
        assert response.status_code == 400
        assert "date_from" in response.json()

    def test_anonymous_callers_get_nothing(self, world):
        assert APIClient().get("/api/v1/exports/statements.csv").status_code == 401

    def test_queries_do_not_grow_with_rows(self, world, django_assert_max_num_queries):
        """One query streams the rows, whether there is one or a hundred and one."""
        client = client_for(world.users["sec"])
        with django_assert_max_num_queries(4):
            assert len(csv_rows(client.get("/api/v1/exports/statements.csv"))) == 5
        minutes, item = world.minutes["s1"], world.items[0]
        Statement.objects.bulk_create(
            Statement(
                minutes=minutes,
                item=item,
                party=world.parties["USA"],
                order=100 + n,
                summary=f"Bulk {n}",
                recorded_by=world.users["sec"],
            )
            for n in range(100)
        )
        with django_assert_max_num_queries(4):
            assert len(csv_rows(client.get("/api/v1/exports/statements.csv"))) == 105


class TestOtherExports:
    def test_sessions_follow_the_access_rule(self, world):
        rows = csv_rows(client_for(world.users["us"]).get("/api/v1/exports/sessions.csv"))
        assert [row["number"] for row in rows] == ["CCB/T/Q1"]
        rows = csv_rows(client_for(world.users["sec"]).get("/api/v1/exports/sessions.csv"))
        assert [row["number"] for row in rows] == ["CCB/T/X1", "CCB/T/Q1"]

    def test_sessions_take_the_list_filters(self, world):
        client = client_for(world.users["sec"])
        rows = jsonl_rows(client.get("/api/v1/exports/sessions.jsonl", {"kind": "regular"}))
        assert [row["number"] for row in rows] == ["CCB/T/Q1"]

    def test_action_points_and_positions(self, world):
        client = client_for(world.users["us"])
        points = csv_rows(client.get("/api/v1/exports/action-points.csv"))
        assert [(p["owner_code"], p["status"]) for p in points] == [("USA", "open")]
        positions = jsonl_rows(client.get("/api/v1/exports/positions.jsonl"))
        assert sorted((p["party_code"], p["stance"]) for p in positions) == [
            ("RUS", "dissociates"),
            ("USA", "associates"),
        ]

    def test_drafting_positions_stay_with_seat_holders(self, world):
        """Germany attends without a seat: it reads the communiqué, not who dissociated."""
        client = client_for(world.users["de"])
        assert jsonl_rows(client.get("/api/v1/exports/positions.jsonl")) == []


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        (True, "true"),
        (3, "3"),
        (-3, "-3"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("plain", "plain"),
    ],
)
def test_csv_cells(value, cell):
    """Numbers stay numbers; text that a spreadsheet would evaluate is quoted."""
    assert csv_cell(value) == cell
