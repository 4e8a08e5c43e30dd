"""Exports of released threat pictures and search over crises and threats: aggregates only,
nothing of a sealed round, no party, and no rationale ever found by search."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.utils import timezone

from analytics.services.search_index import search_index_refresh
from consult.access import Distribution
from crises.services import crises as crisis_services
from crises.services import threats as threat_services
from tests.crises.api import analyst, api, release, score_all
from tests.crises.conftest import CrisisWorld

CSV = "/api/v1/exports/threat-pictures.csv"
JSONL = "/api/v1/exports/threat-pictures.jsonl"
SEARCH = "/api/v1/search/"


def csv_rows(user: Any, **params: Any) -> tuple[list[str], list[dict[str, str]]]:
    response = api(user).get(CSV, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def jsonl_rows(user: Any, **params: Any) -> list[dict[str, Any]]:
    response = api(user).get(JSONL, params)
    assert response.status_code == 200, response.content
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_nothing_of_a_sealed_round_is_exported(cw: CrisisWorld) -> None:
    score_all(cw)
    for user in (cw.sec, cw.user("us"), analyst(secretariat=True)):
        header, rows = csv_rows(user)
        assert rows == []
        assert "party" not in " ".join(header)
        assert jsonl_rows(user) == []
    assert api(None).get(CSV).status_code == 401


def test_a_released_picture_exports_its_aggregates_only(cw: CrisisWorld) -> None:
    score_all(cw)
    release(cw)
    header, rows = csv_rows(cw.user("us"))
    assert header == [
        "quarter",
        "session",
        "assessment",
        "round",
        "released_at",
        "threat",
        "threat_title",
        "scores",
        "likelihood_median",
        "likelihood_q1",
        "likelihood_q3",
        "likelihood_iqr",
        "impact_median",
        "impact_q1",
        "impact_q3",
        "impact_iqr",
        "spread",
        "verdict",
        "converged",
    ]
    by_title = {row["threat_title"]: row for row in rows}
    assert list(by_title) == ["Cable sabotage", "Jamming of civil aviation", "Mid-air collision"]
    mid_air = by_title["Mid-air collision"]
    # Hand-computed in tests/crises/test_api_scores.py (ROUND_ONE).
    assert [mid_air[k] for k in ("likelihood_median", "likelihood_q1", "likelihood_q3")] == [
        "3.0",
        "1.75",
        "4.25",
    ]
    assert (mid_air["likelihood_iqr"], mid_air["impact_q1"], mid_air["impact_iqr"]) == (
        "2.5",
        "2.75",
        "0.75",
    )
    assert (mid_air["spread"], mid_air["verdict"], mid_air["converged"]) == ("2.5", "", "false")
    assert mid_air["quarter"] == str(cw.assessment.session.quarter)
    assert mid_air["session"] == "CCB/T/1"
    assert mid_air["round"] == "1"
    assert by_title["Cable sabotage"]["converged"] == "true"
    lines = jsonl_rows(cw.user("ru"))
    assert [(line["threat_title"], line["spread"]) for line in lines] == [
        ("Cable sabotage", 0.0),
        ("Jamming of civil aviation", 1.0),
        ("Mid-air collision", 2.5),
    ]
    for user in (cw.sec, cw.user("us")):
        for url in (CSV, JSONL):
            text = b"".join(api(user).get(url).streaming_content).decode()  # type: ignore[attr-defined]
            for secret in ("zanzibarite", "RUS", "Russia", "United States", "USA"):
                assert secret not in text, (url, secret)


def test_the_export_follows_the_lists_filters_and_the_access_rule(cw: CrisisWorld) -> None:
    score_all(cw)
    release(cw)
    other = crisis_services.crisis_create(
        user=cw.sec,
        session=cw.table.session,
        title="Black Sea corridor",
        region="Black Sea",
        on=timezone.localdate(),
    )
    assert csv_rows(cw.user("us"), crisis=str(other.public_id))[1] == []
    assert len(csv_rows(cw.user("us"), crisis=str(cw.crisis.public_id))[1]) == 3
    assert len(csv_rows(cw.user("us"), quarter=str(cw.assessment.session.quarter))[1]) == 3
    assert csv_rows(cw.user("us"), quarter="2001Q1")[1] == []
    refused = api(cw.user("us")).get(CSV, {"quarter": "soon"})
    assert refused.status_code == 400
    # Who does not read the session exports nothing.
    for user in (cw.user("outsider"), cw.user("ua"), analyst()):
        assert csv_rows(user)[1] == [], user.username


def titles(user: Any, q: str, **params: Any) -> set[tuple[str, str]]:
    response = api(user).get(SEARCH, {"q": q, **params})
    assert response.status_code == 200, response.content
    return {(hit["kind"], hit["title"]) for hit in response.json()["results"]}


def test_search_finds_crises_and_threats_its_reader_may_read(cw: CrisisWorld) -> None:
    hidden = crisis_services.crisis_create(
        user=cw.sec,
        session=cw.table.session,
        title="Arctic submarine cables",
        region="Barents Sea",
        on=timezone.localdate(),
        summary="<p>Cables cut near Svalbard.</p>",
        distribution=Distribution.SECRETARIAT,
    )
    threat_services.threat_create(
        user=cw.sec, title="Cable cut near Svalbard", crisis=hidden, description="Svalbard"
    )
    threat_services.threat_create(
        user=cw.sec, title="Unlisted Svalbard drift", description="Of no crisis."
    )
    search_index_refresh(full=True)
    assert titles(cw.user("us"), "Baltic") >= {("crisis", "Baltic Sea airspace incidents")}
    assert ("threat", "Mid-air collision") in titles(cw.user("us"), "collision")
    assert titles(cw.user("us"), "Svalbard") == set()
    assert titles(cw.user("outsider"), "Baltic") == set()
    assert titles(cw.sec, "Svalbard") == {
        ("crisis", "Arctic submarine cables"),
        ("threat", "Cable cut near Svalbard"),
        ("threat", "Unlisted Svalbard drift"),
    }
    response = api(cw.sec).get(SEARCH, {"q": "Unlisted drift"})
    [hit] = response.json()["results"]
    assert hit["session"] is None
    assert hit["url"].endswith(f"/api/v1/threats/{hit['id']}/")
    crisis_hit = api(cw.user("us")).get(SEARCH, {"q": "Baltic", "kind": "crisis"}).json()
    assert {h["details"]["status"] for h in crisis_hit["results"]} == {"watch"}


def test_no_rationale_is_ever_found_by_search(cw: CrisisWorld) -> None:
    score_all(cw)
    search_index_refresh(full=True)
    for user in (cw.sec, cw.user("us"), cw.user("ru")):
        assert titles(user, "zanzibarite") == set(), user.username
    release(cw)
    search_index_refresh(full=True)
    for user in (cw.sec, cw.user("us"), cw.user("ru")):
        assert titles(user, "zanzibarite") == set(), user.username
