"""The agenda's pages in the working languages: a delegate reads the sessions list, a session
and the invitations page in Russian and French; English, the default, reads as before."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from agenda.forms.items import CirculateForm
from agenda.models import Invitation
from agenda.services.invitations import invitation_create
from members.services.profiles import profile_language_set
from tests.factories import AgendaItemFactory, SessionFactory

pytestmark = pytest.mark.django_db

PAGES = ("sessions", "session", "invitations")

EXPECTED = {
    "ru": {
        "sessions": [
            "<h1>Мои сессии</h1>",
            '<h2 id="upcoming">Предстоящие</h2>',
            '<h2 id="past">Прошедшие</h2>',
            '<th scope="col">Место проведения</th>',
            ">Календарная подписка</a>",
        ],
        "session": [
            "<dt>Место проведения</dt>",
            '<h2 id="my-invitation">Приглашение вашей делегации</h2>',
            '<h2 id="table">За столом переговоров</h2>',  # noqa: RUF001 (Cyrillic)
            "Действующий председатель:",
            '<h2 id="agenda">Повестка дня</h2>',
            '<th scope="col">Условное обозначение</th>',
            '<button type="submit">Принять</button>',
            '<button type="submit">Отклонить</button>',
        ],
        "invitations": [
            "<h1>Приглашения</h1>",
            '<th scope="col">Действительно до</th>',
            '<th scope="col">В качестве</th>',  # noqa: RUF001 (Cyrillic)
            '<button type="submit">Принять</button>',
        ],
    },
    "fr": {
        "sessions": [
            "<h1>Mes sessions</h1>",
            '<h2 id="upcoming">À venir</h2>',
            '<h2 id="past">Passées</h2>',
            '<th scope="col">Lieu</th>',
            ">Flux de calendrier</a>",
        ],
        "session": [
            "<dt>Lieu</dt>",
            '<h2 id="my-invitation">Invitation de votre délégation</h2>',
            '<h2 id="table">Autour de la table</h2>',
            "Présidence en exercice :",
            '<h2 id="agenda">Ordre du jour</h2>',
            '<th scope="col">Cote</th>',
            '<button type="submit">Accepter</button>',
            '<button type="submit">Décliner</button>',
        ],
        "invitations": [
            "<h1>Invitations</h1>",
            '<th scope="col">Valable jusqu’au</th>',  # noqa: RUF001 (the French apostrophe)
            '<th scope="col">En qualité de</th>',
            '<button type="submit">Accepter</button>',
        ],
    },
    "en": {
        "sessions": [
            "<h1>My sessions</h1>",
            '<h2 id="upcoming">Upcoming</h2>',
            '<h2 id="past">Past</h2>',
            '<th scope="col">Venue</th>',
            ">Calendar feed</a>",
        ],
        "session": [
            "<dt>Venue</dt>",
            '<h2 id="my-invitation">Your delegation\'s invitation</h2>',
            '<h2 id="table">At the table</h2>',
            "Current chair:",
            '<h2 id="agenda">Agenda</h2>',
            '<th scope="col">Symbol</th>',
            '<button type="submit">Accept</button>',
            '<button type="submit">Decline</button>',
        ],
        "invitations": [
            "<h1>Invitations</h1>",
            '<th scope="col">Valid until</th>',
            '<th scope="col">As</th>',
            '<button type="submit">Accept</button>',
        ],
    },
}


@pytest.fixture
def pages(table) -> dict[str, str]:
    """A session Russia is invited to, with an item and a paper, and the three pages' URLs."""
    session = SessionFactory(number="CCB/T/L1", quarter=str(table.quarter))
    AgendaItemFactory(agenda__session=session, order=1, title="Norms of behaviour")
    invitation_create(session=session, party=table.rus, kind="member", user=None, notify=False)
    session.documents.create(
        symbol="CCB.GAL/1/41",
        title="Paper CCB.GAL/1/41",
        distribution="participants",
        created_by=table.secretary,
    )
    return {
        "sessions": reverse("agenda:session_list"),
        "session": reverse("agenda:session_detail", kwargs={"public_id": session.public_id}),
        "invitations": reverse("agenda:invitation_list"),
    }


def read(client, table, url: str, language: str) -> str:
    profile_language_set(user=table.rus_head, language=language)
    client.force_login(table.rus_head)
    client.post("/language/", {"language": language})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["ru", "fr"])
@pytest.mark.parametrize("page", PAGES)
def test_a_delegate_reads_the_agenda_pages_in_the_working_languages(
    client, table, pages, language, page
):
    html = read(client, table, pages[page], language)
    assert f'<html lang="{language}">' in html
    for text in EXPECTED[language][page]:
        assert text in html
    for text in EXPECTED["en"][page]:
        if text not in EXPECTED[language][page]:
            assert text not in html


@pytest.mark.parametrize("page", PAGES)
def test_english_stays_the_default_and_reads_as_before(client, table, pages, page):
    """Without a choice the pages are in English, with no word of the other catalogs."""
    client.force_login(table.rus_head)
    response = client.get(pages[page])
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    for text in EXPECTED["en"][page]:
        assert text in html
    # The language switcher names Русский; nothing else on these pages is Cyrillic.
    cyrillic = set(re.findall(r"[\u0400-\u04ff]+", html))
    assert cyrillic <= {"Русский"}


def test_the_answer_to_an_invitation_is_confirmed_in_the_delegates_language(client, table, pages):
    """The view's message is worded in the language of the one who answered."""
    html = read(client, table, pages["invitations"], "ru")
    accept = re.search(r'<form method="post" action="([^"]+/accept/)"', html)
    assert accept, "no accept form on the invitations page"
    page = client.post(accept[1], {"next": pages["invitations"]}, follow=True)
    assert "Приглашение стороны «RUS» на CCB/T/L1:" in page.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "at the latest 24 hours before the session opens (3 for an extraordinary"),
        ("ru", "не позднее чем за 24 часа до открытия сессии (за 3 — для внеочередной"),
        ("fr", "au plus tard 24 heures avant l’ouverture de la session (3 pour une session"),  # noqa: RUF001
    ],
)
def test_the_objection_windows_help_counts_hours_in_each_language(language, expected):
    """Russian takes the plural form the number asks for ("24 часа", not "24 часов")."""
    with translation.override(language):
        assert expected in str(CirculateForm().fields["window_days"].help_text)


def test_a_refused_answer_is_explained_in_the_delegates_language(client, table, pages):
    """The service's refusal reaches the page in Russian; nothing changes."""
    invitation = Invitation.objects.get(party=table.rus)
    Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.REVOKED)
    read(client, table, pages["invitations"], "ru")
    url = reverse("agenda:invitation_accept", kwargs={"public_id": invitation.public_id})
    response = client.post(url, {"next": pages["invitations"]})
    assert response.status_code == 400
    assert "Это приглашение отозвано секретариатом." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
