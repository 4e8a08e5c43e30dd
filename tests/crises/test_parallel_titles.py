# ruff: noqa: RUF001 -- the expected texts are Russian and French, Cyrillic letters included
"""Titles named in passing and texts the toolkit generates, in the reader's language
(consult/parallel.py): the crisis, off-ramp and norm summaries nested in other API
resources, the headings of an inject's and a report's translations pages, the pages and
notices that name a crisis or a norm, and the after-action report's draft, written in the
drafting secretariat member's language. Where no current translation exists, the
authoritative title, marked with its language; queries do not grow with rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from consult.errors import ApplicationError
from crises.models import AfterActionReport, Crisis, Exercise, Inject, Norm, OffRamp
from crises.services import alerts as alert_services
from crises.services import crises as crisis_services
from crises.services import exercises as exercise_services
from crises.services import registers as register_services
from crises.services import threats as threat_services
from members.services.profiles import profile_language_set
from tests.crises.api import api
from tests.crises.conftest import CrisisWorld
from tests.crises.exercise_helpers import add_inject, make_exercise

pytestmark = pytest.mark.django_db

CRISIS_RU = "Инциденты в воздушном пространстве над Балтикой"
CRISIS_FR = "Incidents dans l’espace aérien de la Baltique"
EXERCISE_RU = "Перехват над Балтикой"
INJECT_RU = "Радар видит истребитель."
OFF_RAMP_RU = "Горячая линия"
NORM_RU = "Безопасные дистанции"


def client_for(user: Any, language: str | None = None) -> Client:
    client = Client()
    if language:
        profile_language_set(user=user, language=language)
    client.force_login(user)
    return client


def translate_crisis(cw: CrisisWorld, language: str, title: str) -> Crisis:
    return crisis_services.crisis_translation_set(
        crisis=cw.crisis, user=cw.sec, language=language, title=title, summary="<p>…</p>"
    )


@pytest.fixture
def crisis_in_russian(cw: CrisisWorld) -> Crisis:
    """The world's crisis with a Russian translation (unofficial) and none in French."""
    return translate_crisis(cw, "ru", CRISIS_RU)


def _off_ramp(cw: CrisisWorld) -> OffRamp:
    off_ramp = register_services.off_ramp_create(
        user=cw.sec, crisis=cw.crisis, title="A hotline", text="<p>Call before you fly.</p>"
    )
    return register_services.off_ramp_translation_set(
        off_ramp=off_ramp, user=cw.sec, language="ru", title=OFF_RAMP_RU, text="<p>Звоните.</p>"
    )


def _norm(cw: CrisisWorld) -> Norm:
    norm = register_services.norm_create(
        user=cw.sec,
        session=cw.table.session,
        title="Safe distances",
        text="<p>Aircraft keep their distance.</p>",
    )
    return register_services.norm_translation_set(
        norm=norm, user=cw.sec, language="ru", title=NORM_RU, text="<p>Дистанция.</p>"
    )


# --- The summaries nested in the API ------------------------------------------------------


def _crisis_of_threats(language: str, user: Any) -> list[dict[str, Any]]:
    rows = api(user).get("/api/v1/threats/", HTTP_ACCEPT_LANGUAGE=language).json()["results"]
    return [row["crisis"] for row in rows if row["crisis"]]


def test_a_threats_crisis_is_named_in_the_language_asked_for(
    cw: CrisisWorld, crisis_in_russian: Crisis
) -> None:
    russian = _crisis_of_threats("ru", cw.sec)
    assert russian
    assert all(
        (crisis["title"], crisis["title_language"], crisis["title_authoritative"])
        == (CRISIS_RU, "ru", False)
        for crisis in russian
    )
    # No French translation: the authoritative title, saying which language it is in.
    french = _crisis_of_threats("fr", cw.user("ru"))
    assert french
    assert all(
        (crisis["title"], crisis["title_language"], crisis["title_authoritative"])
        == ("Baltic Sea airspace incidents", "en", True)
        for crisis in french
    )


def test_an_outdated_translation_of_the_crisis_title_gives_the_authoritative_one(
    cw: CrisisWorld, crisis_in_russian: Crisis
) -> None:
    Crisis.objects.filter(pk=cw.crisis.pk).update(translation_state_ru="outdated")
    [first, *_rest] = _crisis_of_threats("ru", cw.sec)
    assert (first["title"], first["title_language"]) == ("Baltic Sea airspace incidents", "en")


def test_off_ramps_stances_incidents_and_alerts_name_their_parents_in_the_readers_language(
    cw: CrisisWorld, crisis_in_russian: Crisis
) -> None:
    off_ramp = _off_ramp(cw)
    norm = _norm(cw)
    register_services.stance_state(
        user=cw.user("ru"), off_ramp=off_ramp, position="supports", note=""
    )
    register_services.incident_report(
        user=cw.user("ru"),
        norm=norm,
        occurred_on=date(2026, 11, 2),
        place="Baltic Sea",
        parties_involved=[cw.table.parties["USA"]],
        description="A close pass.",
    )
    alert_services.alert_raise(user=cw.user("ru"), text="Close pass.", crisis=cw.crisis)
    client = api(cw.sec)

    def first(url: str, language: str) -> dict[str, Any]:
        return dict(client.get(url, HTTP_ACCEPT_LANGUAGE=language).json()["results"][0])

    served = ("title", "title_language", "title_authoritative")
    nested = {
        "/api/v1/off-ramps/": ("crisis", CRISIS_RU),
        "/api/v1/alerts/": ("crisis", CRISIS_RU),
        "/api/v1/stances/": ("off_ramp", OFF_RAMP_RU),
        "/api/v1/incidents/": ("norm", NORM_RU),
    }
    for url, (field, title) in nested.items():
        russian = first(url, "ru")[field]
        assert tuple(russian[key] for key in served) == (title, "ru", False), url
        french = first(url, "fr")[field]
        assert (french["title_language"], french["title_authoritative"]) == ("en", True), url


def test_the_schema_documents_the_served_titles_of_the_summaries(db: None) -> None:
    schemas = api(None).get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    for name in ("CrisisSummary", "OffRampSummary", "NormSummary"):
        properties = schemas[name]["properties"]
        assert {"title", "title_language", "title_authoritative"} <= set(properties), name
        assert properties["title_authoritative"]["type"] == "boolean", name


def test_the_threat_list_costs_the_same_however_many_threats_name_the_crisis(
    cw: CrisisWorld,
    crisis_in_russian: Crisis,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    client = api(cw.user("ru"))
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/threats/", HTTP_ACCEPT_LANGUAGE="ru").status_code == 200
    for number in range(8):
        threat_services.threat_create(user=cw.sec, title=f"Threat {number}", crisis=cw.crisis)
    with django_assert_max_num_queries(len(few)):
        rows = client.get("/api/v1/threats/", HTTP_ACCEPT_LANGUAGE="ru").json()["results"]
    assert [row["crisis"]["title"] for row in rows] == [CRISIS_RU] * len(rows)
    assert len(rows) == 11


# --- Pages and notices that name a crisis or a norm ---------------------------------------


def test_the_pages_name_the_crisis_and_the_norm_in_the_readers_language(
    cw: CrisisWorld, crisis_in_russian: Crisis
) -> None:
    norm = _norm(cw)
    russian = client_for(cw.sec, "ru")
    pages = {
        reverse("crises:off_ramp_create", kwargs={"public_id": cw.crisis.public_id}): CRISIS_RU,
        reverse("crises:crisis_link", kwargs={"public_id": cw.crisis.public_id}): CRISIS_RU,
        reverse("crises:incident_report", kwargs={"public_id": norm.public_id}): NORM_RU,
    }
    for url, title in pages.items():
        html = russian.get(url).content.decode()
        assert f'<span lang="ru">{title}</span>' in html, url
    # A French reader: the authoritative titles, marked as English.
    french = client_for(cw.user("us"), "fr")
    html = french.get(
        reverse("crises:incident_report", kwargs={"public_id": norm.public_id})
    ).content.decode()
    assert '<span lang="en">Safe distances</span>' in html


def test_the_alert_banner_names_the_crisis_in_the_readers_language(
    cw: CrisisWorld, crisis_in_russian: Crisis
) -> None:
    alert_services.alert_raise(user=cw.user("us"), text="Close pass.", crisis=cw.crisis)
    html = client_for(cw.user("ru"), "ru").get("/").content.decode()
    assert f'<span lang="ru">{CRISIS_RU}</span>' in html
    assert "Baltic Sea airspace incidents" not in html


def test_the_refusal_to_alert_on_a_closed_crisis_names_it_in_the_readers_language(
    cw: CrisisWorld, crisis_in_russian: Crisis
) -> None:
    Crisis.objects.filter(pk=cw.crisis.pk).update(status=Crisis.Status.CLOSED)
    closed = Crisis.objects.get(pk=cw.crisis.pk)
    with translation.override("ru"), pytest.raises(ApplicationError) as refusal:
        alert_services.alert_raise(user=cw.user("us"), text="Close pass.", crisis=closed)
    assert CRISIS_RU in str(refusal.value)


# --- The translations pages of texts without a title --------------------------------------


@pytest.fixture
def inject(cw: CrisisWorld) -> Inject:
    exercise = exercise_services.exercise_start(exercise=make_exercise(cw), user=cw.sec)
    exercise_services.exercise_translation_set(
        exercise=exercise,
        user=cw.sec,
        language="ru",
        title=EXERCISE_RU,
        scenario="<p>Истребитель сближается.</p>",
        objectives="Проверить горячую линию.",
    )
    released = exercise_services.inject_release(
        inject=add_inject(cw, exercise, "Radar shows a fighter."), user=cw.sec
    )
    exercise_services.inject_translation_set(
        inject=released, user=cw.sec, language="ru", text=INJECT_RU
    )
    return Inject.objects.get(pk=released.pk)


def test_the_injects_translations_page_names_it_in_the_readers_language(
    cw: CrisisWorld, inject: Inject
) -> None:
    url = reverse("crises:inject_translations", kwargs={"public_id": inject.public_id})
    russian = client_for(cw.sec, "ru").get(url).content.decode()
    heading = f'Вводная 1 из учения <span lang="ru">{EXERCISE_RU}</span>'
    assert f"<h1>Переводы текста «{heading}»</h1>" in russian
    assert f"<title>Переводы текста «Вводная 1 из учения {EXERCISE_RU}»" in russian
    assert "Inject 1 of" not in russian
    # No French translation of the exercise: its English title, marked as such.
    french = client_for(cw.sec, "fr").get(url).content.decode()
    assert 'Inject 1 de l’exercice <span lang="en">Baltic intercept tabletop</span>' in french


def test_the_reports_translations_page_names_it_in_the_readers_language(
    cw: CrisisWorld, inject: Inject
) -> None:
    exercise = exercise_services.exercise_end(exercise=inject.exercise, user=cw.sec)
    with translation.override("en"):
        exercise_services.aar_draft(exercise=exercise, user=cw.sec)
    url = reverse("crises:aar_translations", kwargs={"public_id": exercise.public_id})
    html = client_for(cw.sec, "ru").get(url).content.decode()
    assert f'Отчёт по итогам учения <span lang="ru">{EXERCISE_RU}</span>' in html


# --- The after-action report's draft ------------------------------------------------------


def _ended(inject: Inject, cw: CrisisWorld) -> Exercise:
    exercise_services.response_record(inject=inject, user=cw.user("ru"), text="Diverting.")
    return exercise_services.exercise_end(exercise=inject.exercise, user=cw.sec)


def test_the_draft_is_written_in_russian_for_a_russian_secretariat_member(
    cw: CrisisWorld, inject: Inject
) -> None:
    exercise = _ended(inject, cw)
    with translation.override("ru"):
        report = exercise_services.aar_draft(exercise=exercise, user=cw.sec)
    stored = AfterActionReport.objects.get(pk=report.pk)
    assert stored.language == "ru"
    text = stored.text
    for words in ("Цели", "Хронология", "Вводная 1", f"<h2>{EXERCISE_RU}</h2>", INJECT_RU,
                  "Проверить горячую линию."):  # fmt: skip
        assert words in text, words
    for english in ("Objectives", "Timeline", "Inject 1", "Strengths", "Radar shows", "to all"):
        assert english not in text, english


def test_the_draft_in_french_marks_the_english_texts_standing_in_for_translations(
    cw: CrisisWorld, inject: Inject
) -> None:
    exercise = _ended(inject, cw)
    with translation.override("fr"):
        report = exercise_services.aar_draft(exercise=exercise, user=cw.sec)
    stored = AfterActionReport.objects.get(pk=report.pk)
    assert stored.language == "fr"
    text = stored.text
    assert "<h3>Objectifs</h3>" in text
    assert "<h3>Chronologie</h3>" in text
    assert '<h2 lang="en">Baltic intercept tabletop</h2>' in text
    assert '<p lang="en">Test the hotline.</p>' in text
    assert '<p lang="en">Radar shows a fighter.</p>' in text
    assert "Timeline" not in text
    assert EXERCISE_RU not in text


def test_the_draft_in_english_is_unchanged_in_substance(cw: CrisisWorld, inject: Inject) -> None:
    exercise = _ended(inject, cw)
    with translation.override("en"):
        report = exercise_services.aar_draft(exercise=exercise, user=cw.sec)
    stored = AfterActionReport.objects.get(pk=report.pk)
    assert stored.language == "en"
    assert "<h2>Baltic intercept tabletop</h2>" in stored.text
    assert "<p>Radar shows a fighter.</p>" in stored.text
    assert "<h3>Areas for improvement</h3>" in stored.text
    assert "lang=" not in stored.text
