# ruff: noqa: RUF001 -- the expected texts are Russian and French, Cyrillic letters and French apostrophes included
"""The reasons the planner gives on invitations are kept as codes and read in each reader's
language: on the invitations page, the session page, the API and the invitation notice. A
reason the secretariat typed reads as typed in every language."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agenda.models import Invitation, Session
from agenda.services.invitations import invitation_create
from agenda.services.sessions import session_invite_table
from consult.errors import ApplicationError
from members.models import Party
from members.services.profiles import profile_language_set
from notices.models import Notification
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

SEAT_HOLDER = {
    "en": "Seat-holder of the quarter.",
    "ru": "Обладатель места в этом квартале.",
    "fr": "Titulaire d’un siège ce trimestre.",
}
OBSERVER_SEAT = {"en": "Observer seat.", "ru": "Место наблюдателя.", "fr": "Siège d’observateur."}
TYPED = "Invited for the item on the situation in and around Ukraine."


@pytest.fixture
def planned(table) -> Session:
    """A session the planner invited the table to; Ukraine invited by hand, with a reason."""
    session = SessionFactory(number="CCB/T/R1", quarter=str(table.quarter))
    session_invite_table(session=session)
    invitation_create(
        session=session,
        party=table.ukr,
        kind=Invitation.Kind.AD_HOC,
        user=table.secretary,
        reason=TYPED,
        notify=False,
    )
    return session


def page(client, user, url: str, language: str) -> str:
    profile_language_set(user=user, language=language)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def api_rows(user, language: str) -> dict[str, dict[str, str]]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(reverse("invitation-list"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return {row["party"]: row for row in response.json()["results"]}


def test_the_planner_keeps_its_reasons_as_codes_not_english(table, planned):
    stored = dict(
        Invitation.objects.filter(session=planned).values_list("party__code", "reason_code")
    )
    assert stored == {
        "USA": "seat_holder",
        "RUS": "seat_holder",
        "NATO": "seat_holder",
        "EU": "seat_holder",
        "CSTO": "observer_seat",
        "UKR": "",
    }
    assert set(Invitation.objects.exclude(party=table.ukr).values_list("reason", flat=True)) == {""}


@pytest.mark.parametrize("language", ["ru", "fr", "en"])
def test_a_delegate_reads_the_planners_reason_in_their_language(client, table, planned, language):
    """On the session page (their delegation's invitation) and on the invitations page."""
    session_page = page(client, table.rus_head, planned.get_absolute_url(), language)
    invitations_page = page(client, table.rus_head, reverse("agenda:invitation_list"), language)
    for html in (session_page, invitations_page):
        assert SEAT_HOLDER[language] in html
        for other in {"en", "ru", "fr"} - {language}:
            assert SEAT_HOLDER[other] not in html


@pytest.mark.parametrize("language", ["ru", "fr"])
def test_the_secretariat_reads_every_reason_in_its_language_and_the_typed_one_as_typed(
    client, table, planned, language
):
    html = page(client, table.secretary, reverse("agenda:invitation_list"), language)
    assert html.count(SEAT_HOLDER[language]) == 4
    assert OBSERVER_SEAT[language] in html
    assert TYPED in html
    assert SEAT_HOLDER["en"] not in html
    assert OBSERVER_SEAT["en"] not in html


@pytest.mark.parametrize("language", ["ru", "fr", "en"])
def test_the_api_gives_the_reason_in_the_language_asked_for_with_its_code(table, planned, language):
    rows = api_rows(table.secretary, language)
    assert (rows["RUS"]["reason"], rows["RUS"]["reason_code"]) == (
        SEAT_HOLDER[language],
        "seat_holder",
    )
    assert (rows["CSTO"]["reason"], rows["CSTO"]["reason_code"]) == (
        OBSERVER_SEAT[language],
        "observer_seat",
    )
    assert (rows["UKR"]["reason"], rows["UKR"]["reason_code"]) == (TYPED, "")


def test_a_delegate_reads_a_typed_reason_as_typed_in_russian(client, table, planned):
    html = page(client, table.ukr_delegate, planned.get_absolute_url(), "ru")
    assert TYPED in html
    assert api_rows(table.ukr_delegate, "ru")["UKR"]["reason"] == TYPED


def test_an_unknown_reason_code_is_refused(table, planned):
    with pytest.raises(ApplicationError) as refused:
        invitation_create(
            session=planned,
            party=table.ukr,
            kind=Invitation.Kind.OBSERVER,
            user=table.secretary,
            reason_code="because",
            notify=False,
        )
    assert refused.value.fields == {"reason_code": ["Choose one of seat_holder, observer_seat."]}


def test_the_invitation_notice_words_the_reason_and_the_delegation_per_recipient(table):
    """The notice says the planner's reason in each recipient's language, and names the
    invited delegation so that it reads for every party's name ("de États-Unis" did not)."""
    Party.objects.filter(pk=table.usa.pk).update(name_ru="Соединённые Штаты", name_fr="États-Unis")
    table.usa.refresh_from_db()
    usa_french = table.usa_head
    profile_language_set(user=usa_french, language="fr")
    session = SessionFactory(number="CCB/T/R2", quarter=str(table.quarter))
    invitation_create(
        session=session,
        party=table.usa,
        kind=Invitation.Kind.MEMBER,
        user=table.secretary,
        reason_code=Invitation.ReasonCode.SEAT_HOLDER,
    )
    body = Notification.objects.get(user=usa_french, session=session).body
    assert "la délégation de la partie « États-Unis » à CCB/T/R2" in body
    assert "de États-Unis" not in body
    assert SEAT_HOLDER["fr"] in body
    profile_language_set(user=usa_french, language="ru")
    other = SessionFactory(number="CCB/T/R3", quarter=str(table.quarter))
    invitation_create(
        session=other,
        party=table.usa,
        kind=Invitation.Kind.MEMBER,
        user=table.secretary,
        reason_code=Invitation.ReasonCode.SEAT_HOLDER,
    )
    body = Notification.objects.get(user=usa_french, session=other).body
    assert "делегацию стороны «Соединённые Штаты» на CCB/T/R3" in body
    assert SEAT_HOLDER["ru"] in body
