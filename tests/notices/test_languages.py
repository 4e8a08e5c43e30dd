# ruff: noqa: RUF001 (Russian and French text: Cyrillic letters and the French apostrophe)
"""Notices in each recipient's language: one delivery run sends a Russian-reading delegate
a Russian e-mail and an English-reading one an English e-mail, worded once when the notices
are made (each recipient's language read in one query); the notices page and its time-zone
form in the reader's language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from consult.access import SECRETARIAT_GROUP
from members.services.profiles import profile_language_set
from notices.models import Notification
from notices.services.notifications import notifications_create, notifications_deliver
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

# Strings of the catalogs, so each language's wording is known.
SUBJECT = gettext_lazy("Minutes approved and locked.")
BODY = format_lazy("{}\n{}", gettext_lazy("Published."), gettext_lazy("Action points"))
WORDED = {
    "en": ("Minutes approved and locked.", "Published.\nAction points"),
    "ru": ("Протокол утверждён и закрыт.", "Опубликовано.\nПункты к исполнению"),
    "fr": ("Procès-verbal approuvé et verrouillé.", "Publié.\nPoints d’action"),
}


def recipients(languages: list[str | None]) -> list:
    users = []
    for n, language in enumerate(languages):
        user = UserFactory(username=f"reader-{n}", email=f"reader-{n}@example.org")
        if language is not None:
            profile_language_set(user=user, language=language)
        users.append(user)
    return users


def test_one_delivery_run_sends_each_recipient_their_language(django_capture_on_commit_callbacks):
    session = SessionFactory(starts_at=timezone.now() + timedelta(days=3))
    russian, english, default, french = recipients(["ru", "en", None, "fr"])
    # The sender reads Russian: the recipients' languages win, not the sender's.
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=False):
        notices = notifications_create(
            session=session,
            users=[russian, english, default, french],
            key="approved-1",
            subject=SUBJECT,
            body=BODY,
        )
    assert notifications_deliver(notification_ids=[n.pk for n in notices]) == 4
    sent = {message.to[0]: (message.subject, message.body) for message in mail.outbox}
    assert sent == {
        russian.email: WORDED["ru"],
        english.email: WORDED["en"],
        default.email: WORDED["en"],
        french.email: WORDED["fr"],
    }
    # What the notices page shows later is the same wording.
    stored = dict(Notification.objects.values_list("user_id", "subject"))
    assert stored[russian.pk] == WORDED["ru"][0]
    assert stored[english.pk] == WORDED["en"][0]


def queries_to_word(count: int, key: str, django_capture_on_commit_callbacks) -> int:
    session = SessionFactory(starts_at=timezone.now() + timedelta(days=3))
    users = [
        UserFactory(username=f"{key}-{n}", email=f"{key}-{n}@example.org") for n in range(count)
    ]
    for n, user in enumerate(users):
        profile_language_set(user=user, language=("ru", "fr", "en")[n % 3])
    with (
        django_capture_on_commit_callbacks(execute=False),
        CaptureQueriesContext(connection) as made,
    ):
        notifications_create(session=session, users=users, key=key, subject=SUBJECT, body=BODY)
    return len(made)


def test_wording_in_each_language_costs_the_same_queries_for_2_or_12_recipients(
    django_capture_on_commit_callbacks,
):
    """The languages are read in one query, whatever the number of recipients."""
    few = queries_to_word(2, "few", django_capture_on_commit_callbacks)
    many = queries_to_word(12, "many", django_capture_on_commit_callbacks)
    assert few == many


def test_delivery_never_looks_up_a_language(django_capture_on_commit_callbacks):
    """Delivery sends what was worded: each notice costs the same queries (its own lease,
    send and record), none of them a read of the recipients' profiles."""
    session = SessionFactory(starts_at=timezone.now() + timedelta(days=3))
    users = recipients(["ru", "en", "fr", "ru", "en", "fr"])
    with django_capture_on_commit_callbacks(execute=False):
        notices = notifications_create(
            session=session, users=users, key="k-1", subject=SUBJECT, body=BODY
        )
    ids = [n.pk for n in notices]
    with CaptureQueriesContext(connection) as two:
        notifications_deliver(notification_ids=ids[:2])
    with CaptureQueriesContext(connection) as four:
        notifications_deliver(notification_ids=ids[2:])
    assert len(four) == 2 * len(two)
    assert not [q for q in [*two, *four] if "members_profile" in q["sql"]]
    assert {m.subject for m in mail.outbox} == {WORDED[code][0] for code in ("ru", "en", "fr")}


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("ru", ["<h1>Мои уведомления</h1>", ">Новое</span>", "Показывать время также в поясе"]),
        ("fr", ["<h1>Mes avis</h1>", ">Nouveau</span>", "Afficher aussi les heures en"]),
        ("en", ["<h1>My notices</h1>", ">New</span>", "Show times also in"]),
    ],
)
def test_the_notices_page_reads_in_the_readers_language(
    language, texts, django_capture_on_commit_callbacks
):
    reader = UserFactory(username="reader", groups=[SECRETARIAT_GROUP])
    session = SessionFactory(starts_at=timezone.now() + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=False):
        notifications_create(
            session=session, users=[reader], key="k-page", subject=SUBJECT, body=BODY
        )
    client = Client()
    client.force_login(reader)
    client.post("/language/", {"language": language})
    page = client.get("/notices/").content.decode()
    assert texts[0] in page
    assert texts[1] in page
    # The notice itself was worded when it was made, in the reader's language then (English).
    assert WORDED["en"][0] in page
    sessions = client.get("/sessions/").content.decode()
    assert texts[2] in sessions


def test_a_bad_time_zone_is_refused_in_the_readers_language():
    reader = UserFactory(username="reader", groups=[SECRETARIAT_GROUP])
    client = Client()
    client.force_login(reader)
    client.post("/language/", {"language": "ru"})
    page = client.post("/preferences/timezone/", {"timezone": "Mars/Olympus"}, follow=True)
    assert "Выберите часовой пояс из списка." in page.content.decode()
