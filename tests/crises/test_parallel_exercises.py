# ruff: noqa: RUF001 -- the expected texts are Russian and French, Cyrillic letters included
"""A tabletop exercise's title, scenario and objectives as parallel texts (consult/parallel.py):
translated per working language by the secretariat, confirmed, outdated by an edit; the
version each reader gets on the exercise pages, in the API and in the briefing pack; the
refusals, which leave nothing saved; and the queries, which do not grow with rows. An
inject's text likewise, without a title, on the pages, the live feed and the API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEntry
from briefings.selectors.audiences import Audience
from briefings.selectors.content import ExerciseReportView, pack_content
from consult.errors import ApplicationError
from crises.models import Exercise, Inject
from crises.models.exercises import EXERCISE_PARALLEL, INJECT_PARALLEL
from crises.selectors.exercises import exercise_get
from crises.services import exercises as services
from tests.crises.api import api
from tests.crises.conftest import CrisisWorld
from tests.crises.exercise_helpers import add_inject, make_exercise
from tests.parallel import client_for, page_queries, reload
from tests.parallel import columns as parallel_columns
from tests.parallel import translations_url as parallel_translations_url

pytestmark = pytest.mark.django_db

RU_TITLE = "Перехват над Балтикой"
RU_SCENARIO = "<p>Истребитель сближается с авиалайнером.</p>"
RU_OBJECTIVES = "Проверить горячую линию."
FR_TITLE = "Interception en Baltique"
FR_SCENARIO = "<p>Un chasseur s’approche d’un avion de ligne.</p>"
FR_OBJECTIVES = "Éprouver la ligne directe."


def translate(cw: CrisisWorld, exercise: Exercise, language: str, user: Any = None,
              **values: str) -> Exercise:  # fmt: skip
    texts = {
        "ru": (RU_TITLE, RU_SCENARIO, RU_OBJECTIVES),
        "fr": (FR_TITLE, FR_SCENARIO, FR_OBJECTIVES),
    }.get(language, ("Title", "<p>Scenario.</p>", "Objectives."))
    return services.exercise_translation_set(
        exercise=exercise,
        user=user or cw.sec,
        language=language,
        **{"title": texts[0], "scenario": texts[1], "objectives": texts[2], **values},
    )


def columns(exercise: Exercise) -> dict[str, Any]:
    return parallel_columns(exercise, EXERCISE_PARALLEL)


def translations_url(exercise: Exercise, *, confirm: bool = False) -> str:
    return parallel_translations_url("crises:exercise", exercise.public_id, confirm=confirm)


@pytest.fixture
def started(cw: CrisisWorld) -> Exercise:
    """A running exercise played by the US, Russia and NATO, its Russian translation
    unofficial and its French one confirmed."""
    exercise = services.exercise_start(exercise=make_exercise(cw), user=cw.sec)
    translate(cw, exercise, "ru")
    translate(cw, exercise, "fr")
    services.exercise_translation_confirm(exercise=exercise, user=cw.sec, language="fr")
    return reload(exercise)


# --- Services ---------------------------------------------------------------------------


def test_a_translation_is_unofficial_until_confirmed_and_leaves_the_text_alone(
    cw: CrisisWorld,
) -> None:
    exercise = make_exercise(cw)
    authoritative = (exercise.title, exercise.scenario, exercise.objectives)
    translate(cw, exercise, "ru", scenario="<p>Истребитель <script>x</script>да.</p>")
    fresh = reload(exercise)
    assert fresh.translation_state_ru == "unofficial"
    assert (fresh.title_translation_ru, fresh.objectives_translation_ru) == (
        RU_TITLE,
        RU_OBJECTIVES,
    )
    assert fresh.scenario_translation_ru == "<p>Истребитель да.</p>"  # sanitised
    assert fresh.translation_state_fr in ("", None)
    assert (fresh.title, fresh.scenario, fresh.objectives) == authoritative
    services.exercise_translation_confirm(exercise=exercise, user=cw.sec, language="ru")
    assert reload(exercise).translation_state_ru == "confirmed"
    summaries = set(AuditEntry.objects.values_list("summary", flat=True))
    assert f"Wrote the ru translation of “{exercise.title}” (unofficial)." in summaries
    assert f"Confirmed the ru translation of “{exercise.title}”." in summaries


@pytest.mark.parametrize("username", ["us", "ru", "de", "outsider"])
def test_only_the_secretariat_translates_or_confirms(
    cw: CrisisWorld, started: Exercise, username: str
) -> None:
    before = columns(started)
    user = cw.user(username)
    with pytest.raises(PermissionDenied, match="Only the secretariat may translate"):
        translate(cw, started, "ru", user=user, title="Другое")
    with pytest.raises(PermissionDenied, match="Only the secretariat may confirm"):
        services.exercise_translation_confirm(exercise=started, user=user, language="ru")
    assert columns(started) == before


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "“de” is not a working language; use one of en, ru, fr."),
        ("", "“” is not a working language; use one of en, ru, fr."),
        ("en", "English is this text's authoritative language"),
    ],
)
def test_an_unknown_or_the_authoritative_language_is_refused(
    cw: CrisisWorld, started: Exercise, language: str, message: str
) -> None:
    before = columns(started)
    with pytest.raises(ApplicationError) as refused:
        translate(cw, started, language)
    assert message in refused.value.message
    assert "language" in refused.value.fields
    with pytest.raises(ApplicationError) as refused:
        services.exercise_translation_confirm(exercise=started, user=cw.sec, language=language)
    assert message in refused.value.message
    assert columns(started) == before


def test_a_translation_leaving_out_the_scenario_or_the_objectives_is_refused(
    cw: CrisisWorld, started: Exercise
) -> None:
    before = columns(started)
    with pytest.raises(ApplicationError, match="The title is required"):
        translate(cw, started, "ru", title=" ")
    with pytest.raises(ApplicationError, match="The scenario is required") as refused:
        translate(cw, started, "ru", scenario="<p> </p>")
    assert "scenario" in refused.value.fields
    with pytest.raises(ApplicationError, match="The text of the objectives is required"):
        translate(cw, started, "ru", objectives="  ")
    assert columns(started) == before


def test_confirming_a_missing_or_outdated_translation_is_refused(cw: CrisisWorld) -> None:
    exercise = make_exercise(cw)
    with pytest.raises(ApplicationError, match="This text has no Russian translation to confirm"):
        services.exercise_translation_confirm(exercise=exercise, user=cw.sec, language="ru")
    assert reload(exercise).translation_state_ru in ("", None)
    translate(cw, exercise, "ru")
    Exercise.objects.filter(pk=exercise.pk).update(translation_state_ru="outdated")
    with pytest.raises(ApplicationError, match="The Russian translation is outdated"):
        services.exercise_translation_confirm(exercise=exercise, user=cw.sec, language="ru")
    assert reload(exercise).translation_state_ru == "outdated"


def _edit(cw: CrisisWorld, exercise: Exercise, **changes: Any) -> Any:
    fresh = reload(exercise)
    values = {
        "title": fresh.title,
        "scenario": fresh.scenario,
        "objectives": fresh.objectives,
        "parties": list(fresh.parties.all()),
        **changes,
    }
    services.exercise_update(exercise=fresh, user=cw.sec, **values)
    return reload(exercise)


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Baltic intercept, revised"},
        {"scenario": "<p>Two fighters close on an airliner.</p>"},
        {"objectives": "Test the hotline twice."},
    ],
)
def test_editing_the_authoritative_text_outdates_every_translation(
    cw: CrisisWorld, change: dict[str, str]
) -> None:
    exercise = make_exercise(cw)
    translate(cw, exercise, "ru")
    translate(cw, exercise, "fr")
    services.exercise_translation_confirm(exercise=exercise, user=cw.sec, language="fr")
    # The players are no part of the text: nothing is outdated.
    players = [cw.table.parties[code] for code in ("USA", "RUS")]
    unchanged = _edit(cw, exercise, parties=players)
    assert (unchanged.translation_state_ru, unchanged.translation_state_fr) == (
        "unofficial",
        "confirmed",
    )
    edited = _edit(cw, exercise, **change)
    assert (edited.translation_state_ru, edited.translation_state_fr) == ("outdated", "outdated")
    # Writing an outdated translation again makes it current (unofficial).
    translate(cw, exercise, "fr")
    assert reload(exercise).translation_state_fr == "unofficial"


# --- The reader's version on the pages ---------------------------------------------------


def test_a_russian_player_reads_the_exercise_in_russian(cw: CrisisWorld, started: Exercise) -> None:
    reader = client_for(cw.user("ru"), "ru")
    html = reader.get(started.get_absolute_url()).content.decode()
    assert f'<h1 lang="ru">{RU_TITLE}</h1>' in html
    assert f'<div class="rich-text" lang="ru">{RU_SCENARIO}</div>' in html
    assert f'<p lang="ru">{RU_OBJECTIVES}</p>' in html
    assert started.title not in html.split("<h1")[1]
    assert 'class="state state-unofficial">Неофициальный перевод' in html
    assert f"<title>{RU_TITLE} · " in html
    listing = reader.get(reverse("crises:exercise_list")).content.decode()
    assert f'lang="ru">{RU_TITLE}</a> <small class="state state-unofficial">' in listing


def test_the_secretariat_reads_the_confirmed_french_version(
    cw: CrisisWorld, started: Exercise
) -> None:
    html = client_for(cw.sec, "fr").get(started.get_absolute_url()).content.decode()
    assert f'<h1 lang="fr">{FR_TITLE}</h1>' in html
    assert f'<p lang="fr">{FR_OBJECTIVES}</p>' in html
    assert 'class="state state-confirmed">Traduction confirmée' in html
    assert 'href="?lang=ru" hreflang="ru"' in html
    english = client_for(cw.sec).get(started.get_absolute_url() + "?lang=en").content.decode()
    assert f'<h1 lang="en">{started.title}</h1>' in english


def test_an_outdated_or_missing_translation_gives_the_authoritative_text_with_the_note(
    cw: CrisisWorld, started: Exercise
) -> None:
    Exercise.objects.filter(pk=started.pk).update(translation_state_ru="outdated")
    html = client_for(cw.user("ru"), "ru").get(started.get_absolute_url()).content.decode()
    assert f'<h1 lang="en">{started.title}</h1>' in html
    assert RU_TITLE not in html
    assert "Test the hotline." in html
    assert (
        '<p class="parallel-note" role="note">Перевод на язык «русский» устарел: аутентичный '
        "текст изменился после его подготовки. Перед вами аутентичный текст на языке "
        "«английский».</p>"
    ) in html
    listing = client_for(cw.user("ru")).get(reverse("crises:exercise_list")).content.decode()
    assert f'lang="en">{started.title}</a> <small class="parallel-note"' in listing
    Exercise.objects.filter(pk=started.pk).update(translation_state_ru="")
    missing = client_for(cw.user("ru")).get(started.get_absolute_url()).content.decode()
    assert f'<h1 lang="en">{started.title}</h1>' in missing
    assert "Перед вами аутентичный текст на языке «английский»." in missing


def test_the_report_page_names_the_exercise_in_the_readers_language(
    cw: CrisisWorld, started: Exercise
) -> None:
    services.exercise_end(exercise=started, user=cw.sec)
    report = services.aar_draft(exercise=started, user=cw.sec)
    services.aar_update(report=report, user=cw.sec, text="<p>Done.</p>", improvements=[],
                        publish=True)  # fmt: skip
    url = reverse("crises:exercise_report", kwargs={"public_id": started.public_id})
    html = client_for(cw.user("ru"), "ru").get(url).content.decode()
    assert RU_TITLE in html.split("<h1>")[1].split("</h1>")[0]


# --- The secretariat's translations page -------------------------------------------------


def test_the_secretariat_adds_updates_and_confirms_on_the_translations_page(
    cw: CrisisWorld, started: Exercise
) -> None:
    secretariat = client_for(cw.sec)
    url = translations_url(started)
    assert f'href="{url}"' in secretariat.get(started.get_absolute_url()).content.decode()
    page = secretariat.get(url + "?lang=ru")
    assert page.status_code == 200
    html = page.content.decode()
    assert RU_TITLE in html
    assert RU_OBJECTIVES in html  # the objectives' field, filled in
    assert 'name="extra_text"' in html
    assert "Test the hotline." in html  # the authoritative objectives beside the form
    posted = {"language": "ru", "title": "Новое название", "text": RU_SCENARIO,
              "extra_text": "Новые цели."}  # fmt: skip
    response = secretariat.post(url, posted)
    assert response.status_code == 302
    assert response["Location"] == f"{url}?lang=ru"
    fresh = reload(started)
    assert (fresh.title_translation_ru, fresh.objectives_translation_ru) == (
        "Новое название",
        "Новые цели.",
    )
    before = columns(started)
    refused = secretariat.post(url, {**posted, "language": "en"})
    assert refused.status_code == 400
    assert "English is this text&#x27;s authoritative language" in refused.content.decode()
    assert secretariat.post(url, {**posted, "extra_text": " "}).status_code == 400
    assert columns(started) == before
    secretariat.post(translations_url(started, confirm=True), {"language": "ru"})
    assert reload(started).translation_state_ru == "confirmed"
    Exercise.objects.filter(pk=started.pk).update(translation_state_ru="outdated")
    outdated = secretariat.post(
        translations_url(started, confirm=True), {"language": "ru"}, follow=True
    ).content.decode()
    assert "The Russian translation is outdated" in outdated
    assert reload(started).translation_state_ru == "outdated"


@pytest.mark.parametrize("username", ["us", "ru", "de", "outsider"])
def test_the_translations_pages_are_refused_to_delegates_and_others(
    cw: CrisisWorld, started: Exercise, username: str
) -> None:
    before = columns(started)
    client = client_for(cw.user(username))
    url = translations_url(started)
    assert client.get(url).status_code == 404
    assert client.post(url, {"language": "ru", "title": "X", "text": "<p>X</p>"}).status_code == 404
    assert (
        client.post(translations_url(started, confirm=True), {"language": "ru"}).status_code == 404
    )
    assert columns(started) == before
    page = client.get(started.get_absolute_url())
    assert url not in page.content.decode()


@pytest.mark.parametrize("username", ["de", "csto", "outsider"])
def test_a_delegation_not_playing_finds_no_such_exercise(
    cw: CrisisWorld, started: Exercise, username: str
) -> None:
    user = cw.user(username)
    with pytest.raises(Http404):
        exercise_get(user=user, public_id=started.public_id)
    client = client_for(user, "ru")
    assert client.get(started.get_absolute_url()).status_code == 404
    assert api(user).get(f"/api/v1/exercises/{started.public_id}/").status_code == 404


# --- API ------------------------------------------------------------------------------------


def test_the_api_answers_in_the_language_asked_for(cw: CrisisWorld, started: Exercise) -> None:
    client = api(cw.user("ru"))
    rows = client.get("/api/v1/exercises/", HTTP_ACCEPT_LANGUAGE="ru").json()["results"]
    row = next(row for row in rows if row["id"] == str(started.public_id))
    assert (row["language"], row["authoritative"], row["translation_state"]) == (
        "ru",
        False,
        "unofficial",
    )
    assert (row["title"], row["scenario"], row["objectives"]) == (
        RU_TITLE,
        RU_SCENARIO,
        RU_OBJECTIVES,
    )
    assert row["authoritative_language"] == "en"
    assert row["available_languages"] == [
        {"language": "en", "state": "authoritative"},
        {"language": "ru", "state": "unofficial"},
        {"language": "fr", "state": "confirmed"},
    ]
    assert row["language_note"] == ""
    english = client.get(
        f"/api/v1/exercises/{started.public_id}/", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert (english["authoritative"], english["title"], english["objectives"]) == (
        True,
        started.title,
        started.objectives,
    )


def test_the_api_serves_the_authoritative_text_for_an_outdated_translation(
    cw: CrisisWorld, started: Exercise
) -> None:
    Exercise.objects.filter(pk=started.pk).update(translation_state_ru="outdated")
    row = (
        api(cw.user("ru"))
        .get(f"/api/v1/exercises/{started.public_id}/", HTTP_ACCEPT_LANGUAGE="ru")
        .json()
    )
    assert (row["language"], row["authoritative"], row["title"], row["scenario"]) == (
        "en",
        True,
        started.title,
        started.scenario,
    )
    assert {"language": "ru", "state": "outdated"} in row["available_languages"]
    assert "перевод" in row["language_note"].lower()


def test_the_schema_documents_the_exercise_languages(db: None) -> None:
    from rest_framework.test import APIClient

    from consult.parallel_api import PARALLEL_TEXT_FIELDS

    properties = (
        APIClient()
        .get("/api/schema/", {"format": "json"})
        .json()["components"]["schemas"]["Exercise"]["properties"]
    )
    for field in [*PARALLEL_TEXT_FIELDS, "title", "scenario", "objectives"]:
        assert field in properties, field


# --- The briefing pack --------------------------------------------------------------------


def test_the_pack_heads_the_after_action_report_with_the_title_in_its_language(
    cw: CrisisWorld, started: Exercise
) -> None:
    services.exercise_end(exercise=started, user=cw.sec)
    report = services.aar_draft(exercise=started, user=cw.sec)
    audience = Audience(
        items=(), documents=(), action_points=(), statements=(), exercise_reports=(report.pk,)
    )

    def _exercise_reports(_audience: Audience) -> list[ExerciseReportView]:
        content = pack_content(session=cw.table.session, audience=audience, viewer=cw.user("ru"))
        return content.exercise_reports

    with translation.override("ru"):
        [russian] = _exercise_reports(audience)
    assert (russian.title, russian.language, russian.mark) == (
        RU_TITLE,
        "ru",
        "Неофициальный перевод",
    )
    with translation.override("fr"):
        [french] = _exercise_reports(audience)
    assert (french.title, french.language, french.mark) == (
        FR_TITLE,
        "fr",
        "Traduction confirmée",
    )
    Exercise.objects.filter(pk=started.pk).update(translation_state_ru="outdated")
    with translation.override("ru"):
        [outdated] = _exercise_reports(audience)
    assert (outdated.title, outdated.language) == (started.title, "en")
    assert outdated.mark.startswith("Перевод на язык «русский» устарел")
    with translation.override("en"):
        [english] = _exercise_reports(audience)
    assert (english.title, english.language, english.mark) == (started.title, "en", "")


# --- Queries --------------------------------------------------------------------------------


def _more(cw: CrisisWorld, count: int) -> None:
    for _number in range(count):
        exercise = services.exercise_start(exercise=make_exercise(cw), user=cw.sec)
        translate(cw, exercise, "ru")
        translate(cw, exercise, "fr")


def test_the_list_and_the_api_cost_the_same_with_one_or_many_translated_exercises(
    cw: CrisisWorld, started: Exercise
) -> None:
    urls = [
        (reverse("crises:exercise_list"), {}),
        ("/api/v1/exercises/", {"HTTP_ACCEPT_LANGUAGE": "ru"}),
    ]
    reader = client_for(cw.user("ru"), "ru")
    one = [page_queries(reader, url, **headers) for url, headers in urls]
    _more(cw, 5)
    assert len(reader.get("/api/v1/exercises/").json()["results"]) == 6
    assert [page_queries(reader, url, **headers) for url, headers in urls] == one


def test_the_exercise_pages_cost_the_same_with_or_without_translations(
    cw: CrisisWorld,
) -> None:
    exercise = services.exercise_start(exercise=make_exercise(cw), user=cw.sec)
    pages = [
        (client_for(cw.user("ru"), "ru"), exercise.get_absolute_url()),
        (client_for(cw.sec, "ru"), exercise.get_absolute_url()),
        (client_for(cw.sec), translations_url(exercise) + "?lang=ru"),
    ]
    without = [page_queries(client, url) for client, url in pages]
    translate(cw, exercise, "ru")
    translate(cw, exercise, "fr")
    assert [page_queries(client, url) for client, url in pages] == without


# --- Injects: a text without a title ---------------------------------------------------------

RU_INJECT = "Радар показывает истребитель в 300 м от авиалайнера."


def _released(cw: CrisisWorld, exercise: Exercise, text: str = "Radar shows a fighter.") -> Any:
    inject = add_inject(cw, exercise, text)
    return services.inject_release(inject=inject, user=cw.sec)


def inject_columns(inject: Inject) -> dict[str, Any]:
    return parallel_columns(inject, INJECT_PARALLEL)


def test_an_inject_is_translated_without_a_title_and_confirmed(
    cw: CrisisWorld, started: Exercise
) -> None:
    inject = _released(cw, started)
    services.inject_translation_set(inject=inject, user=cw.sec, language="ru", text=RU_INJECT)
    fresh = reload(inject)
    assert (fresh.text_translation_ru, fresh.translation_state_ru) == (RU_INJECT, "unofficial")
    assert fresh.text == "Radar shows a fighter."
    services.inject_translation_confirm(inject=inject, user=cw.sec, language="ru")
    assert reload(inject).translation_state_ru == "confirmed"


def test_an_injects_translation_is_refused_as_a_texts_is(
    cw: CrisisWorld, started: Exercise
) -> None:
    inject = _released(cw, started)
    services.inject_translation_set(inject=inject, user=cw.sec, language="fr", text="Le radar.")
    before = inject_columns(inject)
    with pytest.raises(PermissionDenied, match="Only the secretariat may translate"):
        services.inject_translation_set(
            inject=inject, user=cw.user("ru"), language="ru", text=RU_INJECT
        )
    with pytest.raises(PermissionDenied, match="Only the secretariat may confirm"):
        services.inject_translation_confirm(inject=inject, user=cw.user("ru"), language="fr")
    with pytest.raises(ApplicationError, match="“de” is not a working language"):
        services.inject_translation_set(inject=inject, user=cw.sec, language="de", text="Radar.")
    with pytest.raises(ApplicationError, match="English is this text's authoritative language"):
        services.inject_translation_set(inject=inject, user=cw.sec, language="en", text="Radar.")
    with pytest.raises(ApplicationError, match="The text is required"):
        services.inject_translation_set(inject=inject, user=cw.sec, language="ru", text=" ")
    with pytest.raises(ApplicationError, match="This text has no Russian translation to confirm"):
        services.inject_translation_confirm(inject=inject, user=cw.sec, language="ru")
    Inject.objects.filter(pk=inject.pk).update(translation_state_fr="outdated")
    with pytest.raises(ApplicationError, match="The French translation is outdated"):
        services.inject_translation_confirm(inject=inject, user=cw.sec, language="fr")
    assert inject_columns(inject) == {**before, "translation_state_fr": "outdated"}


def test_a_player_reads_the_released_inject_in_its_language_on_the_page_the_feed_and_the_api(
    cw: CrisisWorld, started: Exercise
) -> None:
    inject = _released(cw, started)
    services.inject_translation_set(inject=inject, user=cw.sec, language="ru", text=RU_INJECT)
    reader = client_for(cw.user("ru"), "ru")
    html = reader.get(started.get_absolute_url()).content.decode()
    assert f'<p data-field="text" lang="ru">{RU_INJECT}</p>' in html
    live = reverse("crises:exercise_live", kwargs={"public_id": started.public_id})
    stream = b"".join(reader.get(live).streaming_content).decode()  # type: ignore[attr-defined]
    payloads = [
        json.loads(line.removeprefix("data: "))
        for line in stream.splitlines()
        if line.startswith("data: ")
    ]
    released = [p["inject"] for p in payloads if p["kind"] == "released"]
    assert [(p["text"], p["text_language"]) for p in released] == [(RU_INJECT, "ru")]
    url = f"/api/v1/exercises/{started.public_id}/injects/"
    [row] = api(cw.user("ru")).get(url, HTTP_ACCEPT_LANGUAGE="ru").json()
    assert (row["text"], row["language"], row["authoritative"]) == (RU_INJECT, "ru", False)
    # An English reader, and an outdated translation: the authoritative text.
    english = client_for(cw.user("us")).get(started.get_absolute_url()).content.decode()
    assert '<p data-field="text" lang="en">Radar shows a fighter.</p>' in english
    Inject.objects.filter(pk=inject.pk).update(translation_state_ru="outdated")
    outdated = reader.get(started.get_absolute_url()).content.decode()
    assert '<p data-field="text" lang="en">Radar shows a fighter.</p>' in outdated
    assert RU_INJECT not in outdated
    [row] = api(cw.user("ru")).get(url, HTTP_ACCEPT_LANGUAGE="ru").json()
    assert (row["text"], row["authoritative"]) == ("Radar shows a fighter.", True)
    assert "перевод" in row["language_note"].lower()


def test_the_injects_translations_page_has_no_title_and_is_the_secretariats(
    cw: CrisisWorld, started: Exercise
) -> None:
    inject = _released(cw, started)
    url = reverse("crises:inject_translations", kwargs={"public_id": inject.public_id})
    secretariat = client_for(cw.sec)
    assert f'href="{url}"' in secretariat.get(started.get_absolute_url()).content.decode()
    html = secretariat.get(url).content.decode()
    assert 'name="title"' not in html
    assert 'name="text"' in html
    assert "Radar shows a fighter." in html
    response = secretariat.post(url, {"language": "ru", "text": RU_INJECT})
    assert response.status_code == 302
    assert reload(inject).text_translation_ru == RU_INJECT
    confirm = reverse("crises:inject_translation_confirm", kwargs={"public_id": inject.public_id})
    secretariat.post(confirm, {"language": "ru"})
    assert reload(inject).translation_state_ru == "confirmed"
    player = client_for(cw.user("ru"))
    assert url not in player.get(started.get_absolute_url()).content.decode()
    assert player.get(url).status_code == 404
    assert player.post(url, {"language": "ru", "text": "Другое"}).status_code == 404
    assert player.post(confirm, {"language": "fr"}).status_code == 404
    assert reload(inject).text_translation_ru == RU_INJECT


def test_the_players_page_costs_the_same_with_one_or_many_translated_injects(
    cw: CrisisWorld, started: Exercise
) -> None:
    reader = client_for(cw.user("ru"), "ru")
    secretariat = client_for(cw.sec, "ru")

    def more(count: int) -> None:
        for number in range(count):
            inject = _released(cw, started, f"Inject text {number}")
            services.inject_translation_set(
                inject=inject, user=cw.sec, language="ru", text=f"Вводная {number}"
            )

    more(1)
    api_url = f"/api/v1/exercises/{started.public_id}/injects/"
    pages = [(reader, started.get_absolute_url()), (secretariat, started.get_absolute_url()),
             (reader, api_url)]  # fmt: skip
    one = [page_queries(client, url) for client, url in pages]
    more(5)
    assert len(reader.get(api_url).json()) == 6
    assert [page_queries(client, url) for client, url in pages] == one
