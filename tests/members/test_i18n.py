"""The working languages (consult/i18n.py): the switcher and the preferred language, pages in
Russian and French, the API's messages per Accept-Language, notices per recipient."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, ngettext
from rest_framework.exceptions import NotAuthenticated
from rest_framework.test import APIClient

from consult.errors import ApplicationError
from consult.i18n import PREFERRED_LANGUAGE_SESSION_KEY
from members.models import Profile
from members.services.delegations import accreditation_grant
from members.services.profiles import profile_language_set
from notices.models import Notification
from notices.services.notifications import notifications_create
from tests.factories import PASSWORD, SessionFactory

pytestmark = pytest.mark.django_db

SWITCHER = re.compile(
    r'<form method="post" action="/language/" class="language-switcher inline">.*?'
    r'<label for="language-switcher">(?P<label>[^<]+)</label>\s*'
    r'<select name="language" id="language-switcher">(?P<options>.*?)</select>',
    re.S,
)


def switcher(html: str) -> re.Match[str]:
    found = SWITCHER.search(html)
    assert found, "no language switcher on the page"
    return found


def test_the_switcher_is_on_the_login_page_and_names_each_language_in_itself(client):
    """Anonymous visitors get the switcher too: a labelled select and a submit button."""
    html = client.get("/accounts/login/").content.decode()
    found = switcher(html)
    assert found["label"] == "Language"
    assert re.findall(
        r'<option value="(\w+)" lang="\1"[^>]*>([^<]+)</option>', found["options"]
    ) == [
        ("en", "English"),
        ("ru", "Русский"),
        ("fr", "Français"),
    ]
    assert '<html lang="en">' in html


def test_anonymous_visitors_choose_a_language_for_the_browser(client):
    """Without an account the choice lives in Django's language cookie."""
    response = client.post("/language/", {"language": "fr", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="fr">' in html
    assert '<h1 id="login-heading">Se connecter</h1>' in html
    assert "Nom d’utilisateur" in html  # noqa: RUF001 (the French apostrophe)
    assert Profile.objects.count() == 0


def test_the_switcher_changes_the_language_and_saves_the_preference(client, table):
    user = table.delegate("USA", "usa-head")
    client.force_login(user)
    response = client.post("/language/", {"language": "ru", "next": "/rotation/"})
    assert response.status_code == 302
    assert response["Location"] == "/rotation/"
    assert Profile.objects.get(user=user).language == "ru"
    assert client.session[PREFERRED_LANGUAGE_SESSION_KEY] == "ru"
    # The browser still asks for English: the preference wins on pages.
    html = client.get("/rotation/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="ru">' in html
    assert "<h1>Ротация мест и председательства</h1>" in html
    assert switcher(html)["label"] == "Язык"
    assert 'value="ru" lang="ru" selected' in html

    client.post("/language/", {"language": "fr", "next": "/rotation/"})
    assert Profile.objects.get(user=user).language == "fr"
    html = client.get("/rotation/").content.decode()
    assert "<h1>Rotation des sièges et de la présidence</h1>" in html


def test_an_unknown_language_is_refused_and_nothing_is_saved(client, table):
    user = table.delegate("USA", "usa-head")
    client.force_login(user)
    response = client.post("/language/", {"language": "de", "next": "/rotation/"}, follow=True)
    assert response.redirect_chain == [("/rotation/", 302)]
    assert "Choose one of the working languages." in response.content.decode()
    # The login made the profile from the browser's language; the refusal left it alone.
    assert Profile.objects.get(user=user).language == "en"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_switcher_never_redirects_off_the_site(client):
    response = client.post("/language/", {"language": "ru", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_switcher_answers_only_posts(client):
    assert client.get("/language/?language=ru").status_code == 405


def test_the_service_refuses_an_unknown_language(table):
    user = table.delegate("USA", "usa-head")
    profile_language_set(user=user, language="fr")
    with pytest.raises(ApplicationError) as refused:
        profile_language_set(user=user, language="de")
    assert refused.value.fields == {"language": ["Unknown language."]}
    assert Profile.objects.get(user=user).language == "fr"


def test_the_first_login_takes_the_browsers_language_and_later_logins_keep_the_choice(
    client, table
):
    user = table.delegate("USA", "usa-head")
    response = client.post(
        "/accounts/login/",
        {"login": "usa-head", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="fr-CH, fr;q=0.9, en;q=0.5",
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=user).language == "fr"
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<h2 id="troika-heading">Troïka</h2>' in html

    client.post("/accounts/logout/")
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    client.post(
        "/accounts/login/", {"login": "usa-head", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert Profile.objects.get(user=user).language == "fr"
    assert "Troïka" in client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()


def test_a_browser_asking_for_another_language_starts_in_english(client, table):
    user = table.delegate("USA", "usa-head")
    client.post(
        "/accounts/login/", {"login": "usa-head", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert Profile.objects.get(user=user).language == "en"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "ru",
            [
                '<h2 id="troika-heading">Тройка</h2>',
                "Моя делегация: Соединённые Штаты",  # the party named in the language
                "Постоянная делегация",
                "2 действующих участника",
                "<h1>Делегация: Соединённые Штаты</h1>",  # the party named in the language
                "Консультативный, а не директивный орган.",  # noqa: RUF001
                ">Протоколы</a>",
            ],
        ),
        (
            "fr",
            [
                '<h2 id="troika-heading">Troïka</h2>',
                "Ma délégation : États-Unis",
                "Délégation permanente",
                "2 membres en fonction",
                "<h1>Délégation : États-Unis</h1>",
                "Instance consultative, jamais décisionnelle.",
                ">Procès-verbaux</a>",
            ],
        ),
    ],
)
def test_the_dashboard_renders_in_russian_and_french(client, table, language, expected):
    head = table.delegate("USA", "usa-head")
    table.delegate("USA", "usa-expert", role="expert")
    profile_language_set(user=head, language=language)
    client.force_login(head)
    client.post("/language/", {"language": language})
    html = client.get("/").content.decode()
    for text in expected:
        assert text in html


def test_the_account_page_offers_the_preferred_language(client, table):
    user = table.delegate("USA", "usa-head")
    client.force_login(user)
    client.post("/language/", {"language": "ru"})
    html = client.get("/account/tokens/").content.decode()
    assert "Предпочитаемый язык" in html
    assert "Страницы, письма и уведомления приходят вам на языке: Русский." in html
    assert 'id="language-preference"' in html


def test_the_switcher_adds_no_query_to_a_page(client, table):
    """A page costs the same in any language: the preference is read from the session."""
    user = table.delegate("USA", "usa-head")
    client.force_login(user)
    with CaptureQueriesContext(connection) as english:
        client.get("/rotation/")
    client.post("/language/", {"language": "ru"})
    with CaptureQueriesContext(connection) as russian:
        assert "Ротация" in client.get("/rotation/").content.decode()
    assert len(russian) == len(english)


def test_russian_plural_forms_follow_the_number(table):
    """One, few and many: 1, 21 take the first form; 2 to 4, 22 the second; 5, 11, 12 the third."""
    expected = {
        1: "1 действующий участник",
        2: "2 действующих участника",
        4: "4 действующих участника",
        5: "5 действующих участников",
        11: "11 действующих участников",
        12: "12 действующих участников",
        21: "21 действующий участник",
        22: "22 действующих участника",
    }
    with translation.override("ru"):
        worded = {
            n: ngettext("%(counter)s current member", "%(counter)s current members", n)
            % {"counter": n}
            for n in expected
        }
    assert worded == expected
    with translation.override("fr"):
        assert (
            ngettext("%(counter)s current member", "%(counter)s current members", 1)
            % {"counter": 1}
            == "1 membre en fonction"
        )


def api(user=None, language: str | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    if language:
        client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    return client


def test_api_validation_messages_are_translated_but_field_names_are_not(table):
    english = api(table.secretary).post("/api/v1/sessions/", {"kind": "regular"})
    russian = api(table.secretary, "ru").post("/api/v1/sessions/", {"kind": "regular"})
    french = api(table.secretary, "fr").post("/api/v1/sessions/", {"kind": "regular"})
    assert english.status_code == russian.status_code == french.status_code == 400
    assert russian.json().keys() == english.json().keys() == french.json().keys()
    assert "starts_at" in english.json()
    assert english.json()["starts_at"] == ["This field is required."]
    # DRF's own catalogs.
    assert russian.json()["starts_at"] == ["Обязательное поле."]
    assert french.json()["starts_at"] == ["Ce champ est obligatoire."]


def test_api_refusals_are_translated(table):
    delegate = table.delegate("USA", "usa-head")
    refused = api(delegate, "ru").post("/api/v1/sessions/", {"kind": "regular"})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Изменять это может только секретариат."
    missing = api(delegate, "fr").get(f"/api/v1/sessions/{uuid.uuid4()}/")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Introuvable."
    anonymous = api(language="ru").get("/api/v1/sessions/")
    assert anonymous.status_code in (401, 403)
    with translation.override("en"):
        assert anonymous.json()["detail"] != str(NotAuthenticated.default_detail)
    assert anonymous.json()["detail"].startswith("Учетные данные")


def test_api_enum_values_are_the_same_in_every_language(table):
    """Codes are data: only messages follow Accept-Language."""
    SessionFactory()
    for path in ("/api/v1/seats/", "/api/v1/sessions/", "/api/v1/delegations/"):
        english = api(table.secretary, "en").get(path)
        assert english.status_code == 200
        assert api(table.secretary, "ru").get(path).json() == english.json()
        assert api(table.secretary, "fr").get(path).json() == english.json()
    kinds = {
        row["kind"] for row in api(table.secretary, "ru").get("/api/v1/sessions/").json()["results"]
    }
    assert kinds == {"extraordinary"}


def test_the_api_follows_accept_language_over_the_sessions_preference(client, table):
    """A signed-in browser that calls the API with Accept-Language gets that language."""
    delegate = table.delegate("USA", "usa-head")
    client.force_login(delegate)
    client.post("/language/", {"language": "ru"})
    response = client.get(f"/api/v1/sessions/{uuid.uuid4()}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["detail"] == "Introuvable."


def test_notices_go_out_in_each_recipients_language(table, django_capture_on_commit_callbacks):
    session = SessionFactory(starts_at=timezone.now() + timedelta(days=10))
    russian = table.delegate("RUS", "rus-head")
    french = table.delegate("FRA", "fra-head")
    english = table.delegate("USA", "usa-head")
    for user, address in ((russian, "rus"), (french, "fra"), (english, "usa")):
        user.email = f"{address}@example.org"
        user.save(update_fields=["email"])
    profile_language_set(user=russian, language="ru")
    profile_language_set(user=french, language="fr")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notifications_create(
            session=session,
            users=[russian, french, english],
            key="i18n-test",
            subject=gettext_lazy("Crisis Consultation Platform"),
            body=format_lazy("{}: {}", gettext_lazy("Sessions"), session.number),
        )
    subjects = dict(Notification.objects.values_list("user__username", "subject"))
    assert subjects == {
        "rus-head": "Платформа кризисных консультаций",
        "fra-head": "Plateforme de consultation en cas de crise",
        "usa-head": "Crisis Consultation Platform",
    }
    sent = {message.to[0]: (message.subject, message.body) for message in mail.outbox}
    assert sent["rus@example.org"] == (
        "Платформа кризисных консультаций",
        f"Сессии: {session.number}",
    )
    assert sent["fra@example.org"][1] == f"Sessions: {session.number}"
    assert sent["usa@example.org"][0] == "Crisis Consultation Platform"


@pytest.mark.parametrize(
    ("language", "until"),
    [
        ("en", "Accredited until March 5, 2099, 9 a.m. UTC"),
        ("ru", "Аккредитация до 5 марта 2099 г. 9:00 UTC"),  # noqa: RUF001
        ("fr", "Accrédité jusqu’au 5 mars 2099 09:00 UTC"),  # noqa: RUF001
    ],
)
def test_dates_follow_the_readers_language(client, table, language, until):
    """The accreditation's end on the dashboard, in each language's own date format."""
    user = table.delegate("UKR", "ukr-head")
    accreditation_grant(
        delegation=table.delegations["UKR"],
        user=user,
        reference="NV 7/2027",
        valid_from=timezone.now() - timedelta(days=1),
        valid_until=datetime(2099, 3, 5, 9, 0, tzinfo=UTC),
        accredited_by=table.secretary,
    )
    client.force_login(user)
    client.post("/language/", {"language": language})
    assert until in client.get("/").content.decode()


def test_shared_input_checks_speak_the_readers_language():
    from consult.validation import clean_text

    with translation.override("ru"), pytest.raises(ApplicationError) as refused:
        clean_text(" ", field="venue", label="Venue")
    assert refused.value.message == "Поле «Venue» обязательно."
    assert refused.value.fields == {"venue": ["Обязательное поле."]}
    with translation.override("fr"), pytest.raises(ApplicationError) as refused:
        clean_text("x" * 5, field="venue", label="Venue", max_length=3)
    assert refused.value.message == "Le champ « Venue » dépasse 3 caractères."


def test_the_demos_russian_delegate_reads_in_russian():
    from members import demo

    demo.seed()
    languages = dict(Profile.objects.values_list("user__username", "language"))
    assert languages["delegate-rus"] == "ru"
    assert languages["delegate-usa"] == "en"
