"""Parties named in the reader's language (``Party.display_name``): pages, forms, e-mails and
packs read name_ru or name_fr, or name_en where that language's name is empty; sorting,
searching, audit summaries and the API keep name_en."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from agenda.services import documents as document_services
from consult.access import Distribution
from crises.models import Alert
from crises.services import alerts as alert_services
from members.models import Party
from members.selectors.parties import party_choices, party_name_column
from members.services.profiles import profile_language_set
from notices.models import Notification
from tests.agenda.cycle import Cycle, build_cycle
from tests.crises.conftest import build_crisis_world

RUSSIA_RU = "Российская Федерация"
USA_RU = "Соединённые Штаты Америки"
RUSSIA_FR = "Fédération de Russie"


@pytest.fixture
def cycle(db: None) -> Cycle:
    """The agenda's cycle, Russia and the United States named in Russian and French,
    Ukraine in Russian only (its French name is missing)."""
    world = build_cycle()
    Party.objects.filter(code="RUS").update(name_ru=RUSSIA_RU, name_fr=RUSSIA_FR)
    Party.objects.filter(code="USA").update(name_ru=USA_RU, name_fr="États-Unis d'Amérique")
    Party.objects.filter(code="UKR").update(name_ru="Украина", name_fr="")
    for party in world.parties.values():
        party.refresh_from_db()
    return world


def page(user: Any, url: str, language: str) -> str:
    profile_language_set(user=user, language=language)
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_name_follows_the_active_language_and_falls_back_to_english(cycle: Cycle) -> None:
    russia, ukraine = cycle.parties["RUS"], cycle.parties["UKR"]
    english = russia.name_en
    for language, expected in (("ru", RUSSIA_RU), ("fr", RUSSIA_FR), ("en", english)):
        with translation.override(language):
            assert russia.display_name == expected
    with translation.override("fr"):
        assert ukraine.display_name == ukraine.name_en
    assert russia.name_in("ru-RU") == RUSSIA_RU
    assert russia.name_in("de") == english
    assert russia.name_in(None) == english
    # The model's own string, read by the admin and audit summaries, stays English.
    with translation.override("ru"):
        assert str(russia) == f"{english} (RUS)"


def test_the_sql_name_reads_as_the_property(cycle: Cycle) -> None:
    for language in ("en", "ru", "fr"):
        with translation.override(language):
            names = dict(
                Party.objects.filter(code__in=["RUS", "UKR", "NATO"]).values_list(
                    "code", party_name_column()
                )
            )
            expected = {
                code: Party.objects.get(code=code).display_name for code in ("RUS", "UKR", "NATO")
            }
        assert names == expected


def test_a_page_in_russian_names_the_parties_in_russian(cycle: Cycle) -> None:
    html = page(cycle.user("RUS"), cycle.session.get_absolute_url(), "ru")
    assert f"{RUSSIA_RU} (RUS)" in html
    assert f"{USA_RU} (USA)" in html
    assert f"{cycle.parties['RUS'].name_en} (RUS)" not in html


def test_the_same_page_in_english_keeps_the_english_names(cycle: Cycle) -> None:
    html = page(cycle.user("RUS"), cycle.session.get_absolute_url(), "en")
    assert f"{cycle.parties['RUS'].name_en} (RUS)" in html
    assert RUSSIA_RU not in html


def test_a_name_missing_in_french_falls_back_to_english(cycle: Cycle) -> None:
    html = page(cycle.user("RUS"), cycle.session.get_absolute_url(), "fr")
    assert f"{RUSSIA_FR} (RUS)" in html
    assert f"{cycle.parties['UKR'].name_en} (UKR)" in html


def test_a_papers_author_is_named_in_the_readers_language(cycle: Cycle) -> None:
    paper = document_services.document_create(
        user=cycle.user("RUS"),
        session=cycle.session,
        title="Black Sea",
        distribution=Distribution.PARTICIPANTS,
        owner=cycle.parties["RUS"],
        body_html="<p>Black Sea.</p>",
    )
    html = page(cycle.user("USA"), paper.get_absolute_url(), "ru")
    assert f"<dd>{RUSSIA_RU}</dd>" in html


def test_form_choices_and_filters_name_the_parties_in_the_readers_language(cycle: Cycle) -> None:
    html = page(cycle.secretary, f"/sessions/{cycle.session.public_id}/documents/new/", "ru")
    assert f'<option value="RUS">{RUSSIA_RU} (RUS)</option>' in html
    with translation.override("ru"):
        assert ("RUS", f"RUS: {RUSSIA_RU}") in party_choices()
    listing = page(cycle.secretary, f"/sessions/{cycle.session.public_id}/documents/", "ru")
    assert f"RUS: {RUSSIA_RU}" in listing


def test_the_api_keeps_every_name_as_recorded(cycle: Cycle) -> None:
    client = APIClient()
    client.force_authenticate(cycle.user("RUS"))
    rows = client.get("/api/v1/parties/?code=RUS", HTTP_ACCEPT_LANGUAGE="ru").json()["results"]
    assert [(row["name_en"], row["name_ru"], row["name_fr"]) for row in rows] == [
        (cycle.parties["RUS"].name_en, RUSSIA_RU, RUSSIA_FR)
    ]


def test_an_alert_e_mail_names_the_party_in_each_recipients_language(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    world = build_crisis_world()
    usa = Party.objects.get(code="USA")
    Party.objects.filter(pk=usa.pk).update(name_ru=USA_RU)
    profile_language_set(user=world.user("ru"), language="ru")
    with django_capture_on_commit_callbacks(execute=True):
        alert = alert_services.alert_raise(
            user=world.user("us"),
            text="A collision at sea near Gotland.",
            crisis=world.crisis,
            urgency=Alert.Urgency.FLASH,
        )
    notices = Notification.objects.filter(key=f"alert-{alert.public_id}")
    subjects = dict(notices.values_list("user__username", "subject"))
    assert subjects["ru"] == f"Молния — оповещение стороны «{USA_RU}»"
    assert subjects["nato"] == f"Flash alert from {usa.name_en}"


def test_a_seat_named_as_its_party_takes_the_partys_name_in_the_readers_language(
    cycle: Cycle,
) -> None:
    """The United States' seat is named as the party is; a seat with a name of its own
    keeps it in every language (``Seat.display_name``)."""
    from members.models import Seat

    seat = Seat.objects.select_related("party").get(party__code="USA")
    for language, expected in (("ru", USA_RU), ("fr", "États-Unis d'Amérique")):
        with translation.override(language):
            assert seat.display_name == expected
    with translation.override("en"):
        assert seat.display_name == seat.party.name_en
    Seat.objects.filter(pk=seat.pk).update(name="Washington's place")
    seat.refresh_from_db()
    with translation.override("ru"):
        assert seat.display_name == "Washington's place"


def test_the_rotation_page_names_the_seats_in_the_readers_language(cycle: Cycle) -> None:
    html = page(cycle.secretary, "/rotation/", "ru")
    assert USA_RU in html
    assert RUSSIA_RU in html
    assert '<th scope="row">United States' not in html
