# ruff: noqa: RUF001 (Russian and French text: Cyrillic letters and the French apostrophe)
"""The record's pages in the working languages: the minutes, a communiqué being drafted and
the action points, read in Russian and French by the secretariat and by a delegate, with the
counts in the plural forms each language asks for (Russian takes three); English, the
default, reads as before."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from members.services.profiles import profile_language_set
from minutes.models import Minutes
from minutes.services import action_points as action_points_services
from minutes.services import communiques as communiques_services
from minutes.services import record as record_services
from minutes.services import review as review_services
from tests.minutes.conftest import World
from tests.worlds import table_delegate

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
PAGES = ("minutes", "communique", "action_points")
ROLES = ("sec", "ru")

# Per page, what the secretariat and a delegate read alike, then what only the secretariat
# reads; the plural forms are in both (three counts on each page, see ``pages``).
EXPECTED: dict[str, dict[str, dict[str, list[str]]]] = {
    "ru": {
        "minutes": {
            "all": [
                "<title>Протокол CCB/T/1",
                '<h2 id="attendance">Присутствие</h2>',
                '<h2 id="statements">Выступления</h2>',
                "(правило Чатем-хауса: выступающие не называются)",
                "Выступления в формате CSV",
                "(1 делегат)",
                "(3 делегата)",
                "(5 делегатов)",
                "срок 15 марта 2027",
            ],
            "sec": [
                '<h2 id="workflow">Порядок работы</h2>',
                "Утвердить и закрыть протокол",
                "<summary>Добавить пункт к исполнению</summary>",
                '<label for="id_due_date">Срок',
            ],
        },
        "communique": {
            "all": [
                '<h2 id="drafting">Подготовка текста</h2>',
                "<h3>Версии</h3>",
                "Сохранено 5 версий",
                "<h3>Позиции по версии 5</h3>",
                "срок 12 марта 2027, 12:00 UTC",
                "Разослан обладателям мест",
            ],
            "sec": ["<summary>Добавить версию</summary>", "Сохранить как новую версию"],
        },
        "action_points": {
            "all": [
                "<h1>Пункты к исполнению</h1>",
                '<th scope="col">Ответственный</th>',
                '<th scope="col">Срок</th>',
                "через 1 день",
                "через 3 дня",
                "через 5 дней",
                "просрочен на 2 дня",
                '<button type="submit">Отметить как выполненный</button>',
            ],
            "sec": [],
        },
    },
    "fr": {
        "minutes": {
            "all": [
                "<title>Procès-verbal de CCB/T/1",
                '<h2 id="attendance">Présences</h2>',
                '<h2 id="statements">Déclarations</h2>',
                "(règle de Chatham House : les orateurs ne sont pas nommés)",
                "Déclarations au format CSV",
                "(1 délégué)",
                "(3 délégués)",
                "(5 délégués)",
                "échéance le 15 mars 2027",
            ],
            "sec": [
                '<h2 id="workflow">Déroulement</h2>',
                "Approuver et verrouiller le procès-verbal",
                "<summary>Ajouter un point d’action</summary>",
                '<label for="id_due_date">Échéance',
            ],
        },
        "communique": {
            "all": [
                '<h2 id="drafting">Rédaction</h2>',
                "<h3>Versions</h3>",
                "5 versions conservées",
                "<h3>Positions sur la version 5</h3>",
                "échéance le 12 mars 2027, 12:00 UTC",
                "Diffusé aux titulaires de siège",
            ],
            "sec": ["<summary>Ajouter une version</summary>", "Enregistrer comme nouvelle version"],
        },
        "action_points": {
            "all": [
                "<h1>Points d’action</h1>",
                '<th scope="col">Responsable</th>',
                '<th scope="col">Échéance</th>',
                "dans 1 jour",
                "dans 3 jours",
                "dans 5 jours",
                "en retard de 2 jours",
                '<button type="submit">Marquer comme accompli</button>',
            ],
            "sec": [],
        },
    },
    "en": {
        "minutes": {
            "all": [
                "<title>Minutes of CCB/T/1",
                '<h2 id="attendance">Attendance</h2>',
                '<h2 id="statements">Statements</h2>',
                "(Chatham House rule: speakers are not attributed)",
                "Statements as CSV",
                "(1 delegate)",
                "(3 delegates)",
                "(5 delegates)",
                "due 15 March 2027",
            ],
            "sec": [
                '<h2 id="workflow">Workflow</h2>',
                "Approve and lock the minutes",
                "<summary>Add an action point</summary>",
                '<label for="id_due_date">Due date',
            ],
        },
        "communique": {
            "all": [
                '<h2 id="drafting">Drafting</h2>',
                "<h3>Versions</h3>",
                "5 versions kept",
                "<h3>Positions on version 5</h3>",
                "deadline 12 March 2027, 12:00 UTC",
                "Circulated to seat-holders",
            ],
            "sec": ["<summary>Add a version</summary>", "Save as a new version"],
        },
        "action_points": {
            "all": [
                "<h1>Action points</h1>",
                '<th scope="col">Owner</th>',
                '<th scope="col">Due</th>',
                "in 1 day",
                "in 3 days",
                "in 5 days",
                "2 days overdue",
                '<button type="submit">Mark done</button>',
            ],
            "sec": [],
        },
    },
}


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def pages(clock: Any, world: World, say: Callable[..., Any], minutes: Minutes) -> dict[str, str]:
    """Russia, the United States and NATO attend with 3, 1 and 5 delegates; a statement on
    each item; four action points owned by Russia due in 1, 3 and 5 days and two days ago; a
    communiqué in its fifth version, circulated until 12 March 12:00 UTC."""
    sec = world.user("sec")
    for code, extra in (("RUS", 2), ("NATO", 4)):
        party = world.parties[code]
        for n in range(extra):
            table_delegate(party, f"{code.lower()}-extra-{n}", first=f"Extra{n}", last=code)
        delegates = list(
            get_user_model().objects.filter(delegation_memberships__delegation__party=party)
        )
        record_services.attendance_record(
            minutes=minutes, party=party, user=sec, delegates=delegates
        )
    say("USA", 1, "Calls for restraint over the Baltic.")
    say("RUS", 2, "Warns against forward deployments.")
    say("RUS", 3, "Supports the corridor.")
    today = NOW.date()
    for days in (1, 3, 5, -2):
        action_points_services.action_point_create(
            minutes=minutes,
            user=sec,
            description=f"Report back ({days})",
            due_date=today + timedelta(days=days),
            owner=world.parties["RUS"],
        )
    communique = communiques_services.communique_draft(
        session=world.session, user=sec, title="Joint communiqué", text="<p>Version 1.</p>"
    )
    for number in range(2, 6):
        communiques_services.communique_version_add(
            communique=communique, user=sec, text=f"<p>Version {number}.</p>"
        )
    communiques_services.communique_circulate(
        communique=communique, user=sec, deadline=NOW + timedelta(days=2)
    )
    # Delegations read the minutes once they are circulated for amendments.
    review_services.minutes_circulate(minutes=minutes, user=sec)
    return {
        "minutes": reverse("minutes:minutes_detail", kwargs={"public_id": minutes.public_id}),
        "communique": communique.get_absolute_url(),
        "action_points": reverse("minutes:actionpoint_list"),
    }


def read(world: World, url: str, role: str, language: str | None) -> str:
    user = world.user(role)
    client = Client()
    client.force_login(user)
    if language is not None:
        profile_language_set(user=user, language=language)
        client.post("/language/", {"language": language})
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def expected(language: str, page: str, role: str) -> list[str]:
    texts = EXPECTED[language][page]
    return texts["all"] + (texts["sec"] if role == "sec" else [])


@pytest.mark.parametrize("language", ["ru", "fr"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_the_record_pages_read_in_the_working_languages(world, pages, language, role, page):
    html = read(world, pages[page], role, language)
    assert f'<html lang="{language}">' in html
    for text in expected(language, page, role):
        assert text in html, text
    for text in expected("en", page, role):
        if text not in EXPECTED[language][page]["all"] + EXPECTED[language][page]["sec"]:
            assert text not in html, text


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_english_stays_the_default(world, pages, role, page):
    """Without a choice the pages are in English, with no Cyrillic but the switcher's."""
    html = read(world, pages[page], role, None)
    assert '<html lang="en">' in html
    for text in expected("en", page, role):
        assert text in html, text
    assert set(re.findall(r"[\u0400-\u04ff]+", html)) <= {"Русский"}


def test_a_delegate_sees_no_secretariat_control_in_any_language(world, pages):
    """The secretariat's forms stay the secretariat's: the delegate's Russian page lacks them."""
    for page in PAGES:
        html = read(world, pages[page], "ru", "ru")
        for text in EXPECTED["ru"][page]["sec"]:
            assert text not in html, text


def test_a_refusal_reaches_the_page_in_the_readers_language(world, pages, clock):
    """Circulating circulated minutes again is refused in Russian, and nothing changes."""
    minutes = Minutes.objects.get(session=world.session)
    read(world, pages["minutes"], "sec", "ru")
    client = Client()
    client.force_login(world.user("sec"))
    response = client.post(
        reverse("minutes:minutes_circulate", kwargs={"public_id": minutes.public_id}), follow=True
    )
    assert (
        "Протокол CCB/T/1 уже имеет статус «разослан для поправок»; рассылается только проект."
        in response.content.decode()
    )
    assert Minutes.objects.get(pk=minutes.pk).revision == minutes.revision
