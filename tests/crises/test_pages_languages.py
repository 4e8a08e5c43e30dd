# ruff: noqa: RUF001 -- the expected texts are Russian and French, Cyrillic letters and French apostrophes included
"""The crisis toolkit in the working languages: the dossier, the threat assessment with its
picture, and the exercise pages read in Russian and French by the secretariat and by a
delegate; the charts are worded in the reader's language and a chart drawn for one language
is never served to a reader of another."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from crises import charts
from crises.models import Alert
from crises.selectors.pictures import assessment_picture
from crises.services import alerts as alert_services
from crises.services import assessments as assessment_services
from crises.services import exercises as exercise_services
from members.services.profiles import profile_language_set
from notices.models import Notification
from tests.crises.conftest import CrisisWorld
from tests.crises.exercise_helpers import add_inject, make_exercise

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
ROLES = ("sec", "ru")
PAGES = ("dossier", "assessment", "exercises", "exercise")

# Shown to every reader of the page, whatever the role.
EXPECTED: dict[str, dict[str, list[str]]] = {
    "ru": {
        "dossier": [
            '<h2 id="status-history">История статусов</h2>',
            '<h2 id="timeline">Хронология</h2>',
            '<h2 id="threats">Угрозы</h2>',
            ">Варианты выхода из кризиса</a>",
            "<dt>Регион</dt>",
            '<span class="badge">Наблюдение с ',
            "<caption>Медиана и разброс угроз этого кризиса по кварталам</caption>",
            '<th scope="col">По сравнению с предыдущим кварталом</th>',
        ],
        "assessment": [
            "<h1>Оценка угроз к сессии CCB/T/1</h1>",
            '<h2 id="picture">Картина угроз</h2>',
            "<h3>Матрица рисков</h3>",
            '<th scope="col">Медиана вероятности (МКР)</th>',
            "2 стороны выставили оценки в раунде 1",  # the "few" form of three
            "<td>Без изменений</td>",  # a score's trend, by its label
            "Итоги опубликованы ",
        ],
        "exercises": [
            "<h1>Командно-штабные учения</h1>",
            '<th scope="col">Предмет</th>',
            "<td>Идёт</td>",
        ],
        "exercise": [
            "Учение по кризису «Baltic Sea airspace incidents» на сессии CCB/T/1.",
            "Статус: <strong data-exercise-status>Идёт</strong>.",
            '<span data-field="title">Вводная 1</span>',
            "Все участники",
        ],
    },
    "fr": {
        "dossier": [
            '<h2 id="status-history">Historique des statuts</h2>',
            '<h2 id="timeline">Chronologie</h2>',
            '<h2 id="threats">Menaces</h2>',
            ">Tableau des voies de sortie</a>",
            "<dt>Région</dt>",
            '<span class="badge">Veille depuis le ',
            "<caption>Médiane et dispersion des menaces de la crise par trimestre</caption>",
        ],
        "assessment": [
            "<h1>Évaluation des menaces pour CCB/T/1</h1>",
            '<h2 id="picture">Le tableau des menaces</h2>',
            "<h3>Matrice des risques</h3>",
            '<th scope="col">Probabilité médiane (EI)</th>',
            "2 parties ont noté le tour 1",
            "<td>Stable</td>",
        ],
        "exercises": [
            "<h1>Exercices sur table</h1>",
            '<th scope="col">Sujet</th>',
            "<td>En cours</td>",
        ],
        "exercise": [
            "Exercice sur la crise « Baltic Sea airspace incidents » à la session CCB/T/1.",
            "Statut : <strong data-exercise-status>En cours</strong>.",
            '<span data-field="title">Inject 1</span>',
            "Tous les participants",
        ],
    },
}
# Shown to the secretariat only, and never to a delegate.
SECRETARIAT: dict[str, dict[str, list[str]]] = {
    "ru": {
        "dossier": [">Редактировать досье</a>", "<summary>Изменить статус</summary>"],
        "assessment": [],
        "exercises": [],
        "exercise": ["<h2>Сценарный план событий (MSEL)</h2>", "<h2>Добавить вводную</h2>"],
    },
    "fr": {
        "dossier": [">Modifier le dossier</a>", "<summary>Changer le statut</summary>"],
        "assessment": [],
        "exercises": [],
        "exercise": [
            "<h2>Liste principale des événements du scénario (MSEL)</h2>",
            "<h2>Ajouter un inject</h2>",
        ],
    },
}
# Shown to a delegate only.
DELEGATE: dict[str, dict[str, list[str]]] = {
    "ru": {
        "dossier": [],
        "assessment": ["<td>Участник</td>"],  # the anonymised others
        "exercises": [],
        "exercise": ["<h2>Вводные</h2>", "Ваш ответ на вводную 1"],
    },
    "fr": {
        "dossier": [],
        "assessment": ["<td>Un participant</td>"],
        "exercises": [],
        "exercise": ["<h2>Injects</h2>", "Votre réponse à l’inject 1"],
    },
}
# The charts' axis titles, as drawn in the SVG's <text> elements.
AXES = {
    "en": [
        "Likelihood (median; 1 remote to 5 almost certain)",
        "Impact (median; 1 minor to 5 severe)",
        "Likelihood (each party)",
    ],
    "ru": [
        "Вероятность (медиана; от 1 — маловероятно до 5 — почти наверняка)",
        "Последствия (медиана; от 1 — незначительные до 5 — тяжёлые)",
        "Вероятность (по каждой стороне)",
        "Последствия (по каждой стороне)",
    ],
    "fr": [
        "Probabilité (médiane ; de 1 improbable à 5 quasi certaine)",
        "Impact (médiane ; de 1 mineur à 5 grave)",
        "Probabilité (chaque partie)",
    ],
}


def _score(cw: CrisisWorld, name: str, values: list[tuple[int, int]]) -> None:
    assessment_services.scores_submit(
        user=cw.user(name),
        assessment=cw.assessment,
        answers=[
            assessment_services.ScoreInput(
                threat=threat,
                likelihood=likelihood,
                impact=impact,
                trend="steady",
                confidence="medium",
                rationale="",
            )
            for threat, (likelihood, impact) in zip(cw.threats, values, strict=True)
        ],
    )


@pytest.fixture
def urls(cw: CrisisWorld) -> dict[str, str]:
    """A released round scored by the US and Russia, and a running exercise on the crisis
    with one inject released to every player."""
    _score(cw, "us", [(1, 1), (2, 2), (3, 3)])
    _score(cw, "ru", [(5, 5), (2, 2), (3, 3)])
    assessment_services.round_release(user=cw.sec, assessment=cw.assessment)
    exercise = exercise_services.exercise_start(exercise=make_exercise(cw), user=cw.sec)
    inject = add_inject(cw, exercise, "A fighter closes on an airliner")
    exercise_services.inject_release(inject=inject, user=cw.sec)
    return {
        "dossier": reverse("crises:crisis_detail", kwargs={"public_id": cw.crisis.public_id}),
        "assessment": reverse(
            "crises:assessment_detail", kwargs={"public_id": cw.assessment.public_id}
        ),
        "exercises": reverse("crises:exercise_list"),
        "exercise": exercise.get_absolute_url(),
    }


def read(cw: CrisisWorld, name: str, url: str, language: str) -> str:
    user = cw.user(name)
    profile_language_set(user=user, language=language)
    client = Client()
    client.force_login(user)
    client.post("/language/", {"language": language})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def chart_texts(page: str) -> list[str]:
    """Every <text> of every chart the page shows as an image."""
    texts: list[str] = []
    for encoded in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page):
        root = ET.fromstring(base64.b64decode(encoded).decode())
        texts += ["".join(text.itertext()) for text in root.iter(f"{SVG}text")]
    return texts


@pytest.mark.parametrize("language", ["ru", "fr"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_the_toolkit_pages_read_in_the_working_languages(
    cw: CrisisWorld, urls: dict[str, str], language: str, role: str, page: str
) -> None:
    html = read(cw, role, urls[page], language)
    assert f'<html lang="{language}">' in html
    own, other = (SECRETARIAT, DELEGATE) if role == "sec" else (DELEGATE, SECRETARIAT)
    for text in EXPECTED[language][page] + own[language][page]:
        assert text in html, text
    for text in other[language][page]:
        assert text not in html, text


@pytest.mark.parametrize("role", ROLES)
def test_the_picture_s_charts_are_worded_in_the_reader_s_language(
    cw: CrisisWorld, urls: dict[str, str], role: str
) -> None:
    charts.forget_drawings()
    for language in ("ru", "fr"):
        texts = chart_texts(read(cw, role, urls["assessment"], language))
        for title in AXES[language]:
            assert title in texts, (language, title)
        assert not set(AXES["en"]) & set(texts), language
    # The alternative text of each image is the chart's title, in the reader's language.
    html = read(cw, role, urls["assessment"], "ru")
    assert 'alt="Матрица рисков, CCB/T/1, раунд 1: каждая угроза' in html


def test_a_chart_drawn_in_russian_is_not_served_to_an_english_reader(
    cw: CrisisWorld, urls: dict[str, str]
) -> None:
    """The kept drawings are keyed by the language too: the same picture drawn for a Russian
    reader and then asked for in English is drawn again, in English."""
    charts.forget_drawings()
    picture: Any = assessment_picture(user=cw.sec, assessment=cw.assessment)
    with translation.override("ru"):
        russian = charts.risk_matrix_svg(picture)
        assert charts.risk_matrix_svg(picture) is russian  # kept for the next Russian reader
    with translation.override("en"):
        english = charts.risk_matrix_svg(picture)
    assert english != russian
    assert "Likelihood (median; 1 remote to 5 almost certain)" in english
    assert not re.search(r"[\u0400-\u04ff]", english)
    assert "Вероятность (медиана; от 1 — маловероятно до 5 — почти наверняка)" in russian
    # And the English page, drawn after the Russian one, shows English axes.
    texts = chart_texts(read(cw, "ru", urls["assessment"], "ru"))
    assert AXES["ru"][0] in texts
    texts = chart_texts(read(cw, "ru", urls["assessment"], "en"))
    assert AXES["en"][0] in texts
    assert AXES["ru"][0] not in texts


def test_a_refusal_is_worded_in_the_reader_s_language(
    cw: CrisisWorld, urls: dict[str, str]
) -> None:
    """The service's refusal reaches the page in Russian; nothing is released twice."""
    read(cw, "sec", urls["assessment"], "ru")
    client = Client()
    client.force_login(cw.sec)
    client.post("/language/", {"language": "ru"})
    release = reverse("crises:round_release", kwargs={"public_id": cw.assessment.public_id})
    page = client.post(release, follow=True).content.decode()
    assert "Итоги последнего раунда уже опубликованы; сначала откройте новый раунд." in page


def test_the_alert_e_mail_and_its_reminder_are_worded_in_each_recipient_s_language(
    cw: CrisisWorld, django_capture_on_commit_callbacks: Any
) -> None:
    """Russia's head prefers Russian, France's French: each reads the alert, and the reminder
    France's head receives, in their own language; the others in English."""
    profile_language_set(user=cw.user("ru"), language="ru")
    profile_language_set(user=cw.user("fr"), language="fr")
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            alert = alert_services.alert_raise(
                user=cw.user("us"),
                text="A collision at sea near Gotland.",
                crisis=cw.crisis,
                urgency=Alert.Urgency.FLASH,
            )
        notices = Notification.objects.filter(key=f"alert-{alert.public_id}")
        subjects = dict(notices.values_list("user__username", "subject"))
        bodies = dict(notices.values_list("user__username", "body"))
        assert subjects["ru"].startswith("Молния — оповещение стороны «")
        assert "направляет оповещение (срочность: молния" in bodies["ru"]
        assert "Подтвердите получение на платформе" in bodies["ru"]
        assert subjects["fr"].startswith("Flash — alerte de la partie « ")
        assert "lance une alerte (degré : flash" in bodies["fr"]
        assert subjects["nato"] == "Flash alert from United States of America"
        assert "raises a flash alert" in bodies["nato"]
        assert all("Gotland" in body for body in bodies.values())
        clock.move_to(start + timedelta(minutes=5))
        alert_services.alerts_sweep(now=timezone.now())
    reminder = Notification.objects.get(user=cw.user("fr"), key=f"alert-{alert.public_id}-5m")
    assert reminder.subject.startswith("Rappel : accusez réception de l’alerte de la partie « ")
    assert "(il y a 5 minutes)" in reminder.body
    reminded_ru = Notification.objects.get(user=cw.user("ru"), key=f"alert-{alert.public_id}-5m")
    assert "(направлено 5 минут назад)" in reminded_ru.body  # the "many" form
