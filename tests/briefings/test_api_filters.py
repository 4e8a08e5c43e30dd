"""``/api/v1/packs/`` filters: the caller's own copies by session, quarter, dates, party, status."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from briefings.models import BuildStatus
from briefings.services.planning import packs_plan
from consult.quarters import Quarter
from tests.briefings.packs import Table


def ids(client: Client, **params: str) -> list[str]:
    response = client.get("/api/v1/packs/", params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_own_copies_filter_by_session_quarter_dates_party_and_status(
    client: Client, table: Table
) -> None:
    packs_plan(session_id=table.session.pk)
    client.force_login(table.user("RUS"))
    [row] = client.get("/api/v1/packs/").json()["results"]
    assert row["url"] == f"http://testserver/api/v1/packs/{row['id']}/"
    mine = [row["id"]]
    day = table.session.starts_at.date()
    other_quarter = str(Quarter.parse(table.session.quarter) + 1)

    assert ids(client, session=str(table.session.public_id)) == mine
    assert ids(client, session=str(table.previous.public_id)) == []
    assert ids(client, quarter=table.session.quarter) == mine
    assert ids(client, quarter=other_quarter) == []
    assert ids(client, date_from=day.isoformat(), date_to=day.isoformat()) == mine
    assert ids(client, date_to=(day - timedelta(days=1)).isoformat()) == []
    assert ids(client, party="rus") == mine
    assert ids(client, party="USA") == []
    assert ids(client, status=BuildStatus.QUEUED) == mine
    assert ids(client, status=BuildStatus.READY) == []


def test_a_bad_filter_is_a_400_with_the_reason(client: Client, table: Table) -> None:
    client.force_login(table.user("RUS"))
    response = client.get("/api/v1/packs/", {"quarter": "next", "status": "lost"})
    assert response.status_code == 400
    body = response.json()
    assert body["quarter"] == ["'next' is not a quarter; write it as 2027Q1."]
    assert "status" in body
