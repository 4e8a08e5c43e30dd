# ruff: noqa: RUF001 -- the expected texts are Russian and French, Cyrillic letters and French apostrophes included
"""The agenda's refusals in the reader's language: a service's message and its field
messages, a 403's reason, an upload's verdict and the API's 400 ``detail`` come in Russian
or French, a party by its name in that language, a count in the right plural form."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient
from time_machine import TimeMachineFixture

from agenda.models import ExtraordinaryRequest, Invitation, Session
from agenda.services.extraordinary import (
    extraordinary_request_create,
    session_convene_extraordinary,
)
from agenda.services.invitations import invitation_create
from agenda.services.sessions import session_create, session_update
from agenda.uploads import upload_check
from consult.errors import ApplicationError
from consult.quarters import Quarter
from members.services.profiles import profile_language_set
from notices.models import Notification
from tests.agenda.papers import HTML_PAGE, upload
from tests.agenda.tables import Table, build_table
from tests.clock import quarter_moment

pytestmark = pytest.mark.django_db


@pytest.fixture
def table(db: None, time_machine: TimeMachineFixture) -> Table:
    """The agenda's table of the current quarter, on the 20th day of it (as in tests/agenda)."""
    quarter = Quarter.current()
    time_machine.move_to(quarter_moment(quarter), tick=True)
    return build_table(quarter)


def _regular(table) -> Session:
    starts = (timezone.now() + timedelta(days=40)).replace(microsecond=0)
    return session_create(
        kind=Session.Kind.REGULAR,
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        venue="Hofburg, Vienna",
        user=table.secretary,
    )


@pytest.mark.parametrize(
    ("language", "message", "field"),
    [
        ("ru", "Сессия пересекалась бы с {number} (с ", "Пересекается с {number}."),
        ("fr", "La session chevaucherait {number} (du ", "Chevauche {number}."),
        ("en", "The session would overlap {number} (", "Overlaps {number}."),
    ],
)
def test_an_overlap_is_refused_in_the_readers_language(table, language, message, field):
    """The overlap refusal and its field message are worded in the active language;
    nothing is saved."""
    first = _regular(table)
    with translation.override(language), pytest.raises(ApplicationError) as refused:
        session_create(
            kind=Session.Kind.EXTRAORDINARY,
            starts_at=first.starts_at + timedelta(hours=2),
            ends_at=first.ends_at + timedelta(hours=2),
            venue="Geneva",
            user=table.secretary,
        )
    assert refused.value.message.startswith(message.format(number=first.number))
    assert refused.value.fields == {"starts_at": [field.format(number=first.number)]}
    assert Session.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ru", "Только секретариат может выполнить это действие (создавать сессии)."),
        ("fr", "Seul le secrétariat peut effectuer cette action (créer des sessions)."),
    ],
)
def test_a_delegate_is_refused_in_the_readers_language(table, language, message):
    """The secretariat's refusal names the action in the reader's language."""
    starts = timezone.now() + timedelta(days=40)
    with translation.override(language), pytest.raises(PermissionDenied) as refused:
        session_create(
            kind=Session.Kind.REGULAR,
            starts_at=starts,
            ends_at=starts + timedelta(hours=8),
            venue="Hofburg",
            user=table.usa_head,
        )
    assert str(refused.value) == message
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("hours", "language", "count_words"),
    [
        (101, "ru", "через 101 час."),
        (102, "ru", "через 102 часа."),
        (105, "ru", "через 105 часов."),
        (101, "fr", "dans 101 heures."),
    ],
)
def test_a_convening_too_far_ahead_counts_hours_in_the_right_plural(
    table, hours, language, count_words
):
    """The hours of a refused convening take the language's plural form (Russian's three)."""
    now = timezone.now()
    starts = now + timedelta(hours=hours, minutes=30)
    with translation.override(language), pytest.raises(ApplicationError) as refused:
        session_convene_extraordinary(
            user=table.secretary,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            venue="Vienna",
            reason="Crisis.",
            now=now,
        )
    assert count_words in refused.value.message
    expected_field = {"ru": "Более чем через 72 часа.", "fr": "Dans plus de 72 heures."}
    assert refused.value.fields == {"starts_at": [expected_field[language]]}
    assert not Session.objects.exists()


def test_a_party_without_a_seat_is_named_in_the_readers_language(table):
    """A refused request names the party as the reader knows it, in Russian."""
    table.ukr.name_ru = "Украина"
    table.ukr.save(update_fields=["name_ru"])
    with translation.override("ru"), pytest.raises(ApplicationError) as refused:
        extraordinary_request_create(user=table.ukr_delegate, reason="Crisis.")
    assert refused.value.message.startswith(f"Украина не занимает места в {table.quarter};")
    assert "внеочередной сессии" in refused.value.message
    assert not ExtraordinaryRequest.objects.exists()


@pytest.mark.parametrize(
    ("language", "message", "field"),
    [
        (
            "ru",
            "«report.pdf» не является документом PDF, DOCX или ODT: по содержимому это HTML. "
            "Переименование файла не меняет его тип.",
            "Загрузите документ PDF, DOCX или ODT; по содержимому этот файл — HTML.",
        ),
        (
            "fr",
            "« report.pdf » n’est pas un document PDF, DOCX ou ODT : son contenu est HTML. "
            "Renommer un fichier n’en change pas le type.",
            "Téléversez un document PDF, DOCX ou ODT ; le contenu de ce fichier est HTML.",
        ),
    ],
)
def test_an_upload_is_judged_in_the_readers_language(language, message, field):
    """A renamed HTML page is refused with the verdict and the field message translated."""
    with translation.override(language), pytest.raises(ApplicationError) as refused:
        upload_check(upload("report.pdf", HTML_PAGE), filename="report.pdf")
    assert refused.value.message == message
    assert refused.value.fields == {"file": [field]}


def test_the_api_answers_a_refused_convening_in_the_accept_language(table):
    """``Accept-Language: ru`` gets the service's 400 ``detail`` in Russian; nothing is saved."""
    client = APIClient()
    client.force_authenticate(table.secretary)
    starts = timezone.now() + timedelta(days=5)
    response = client.post(
        reverse("session-list"),
        {
            "kind": "extraordinary",
            "venue": "Vienna",
            "reason": "Crisis.",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=3)).isoformat(),
        },
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 400
    body = response.json()
    assert re.fullmatch(
        r"Внеочередная сессия созывается с началом в течение 72 часов; эта начнётся через "
        r"1(19|20) часов\. Вместо этого запланируйте очередную сессию\.",
        body["detail"],
    ), body
    assert body["fields"] == {"starts_at": ["Более чем через 72 часа."]}
    assert not Session.objects.exists()


def test_a_change_notice_is_worded_in_each_delegates_language(table):
    """One change of venue: the Russian-speaking delegate's notice is in Russian, the French
    one's in French, the others' in English, each with the new venue."""
    session = _regular(table)
    for party in table.seat_holders:
        invitation_create(
            session=session, party=party, kind=Invitation.Kind.MEMBER, user=None, notify=False
        )
    profile_language_set(user=table.rus_head, language="ru")
    profile_language_set(user=table.usa_head, language="fr")
    session_update(session=session, user=table.secretary, venue="Redoutensaal")
    notices = {notice.user_id: notice for notice in Notification.objects.filter(session=session)}
    russian = notices[table.rus_head.pk]
    assert russian.subject == f"{session.number}: новая дата или место проведения"
    assert russian.body.startswith(
        f"Изменились дата или место проведения {session.number}.\n\n{session.number}\n"
        "Место проведения: Redoutensaal\nС "
    )
    french = notices[table.usa_head.pk]
    assert french.subject == f"{session.number} : nouvelle date ou nouveau lieu"
    assert "Lieu : Redoutensaal\nDu " in french.body
    english = notices[table.rus_adviser.pk]
    assert english.subject == f"{session.number}: new date or venue"
    assert "Venue: Redoutensaal\nFrom " in english.body
