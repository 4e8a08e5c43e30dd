"""What the platform writes itself on the crisis toolkit's records is read in each reader's
language, never in English or in the language of whoever acted: a dossier opened without a
reason (page, timeline and API), an off-ramp's first status (no words of its own beside it),
and a request for an extraordinary session made from an alert (the plan page and the action
centre). A reason a person typed reads as typed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from agenda.models import ExtraordinaryRequest
from briefings.selectors.actions_secretariat import secretariat_actions
from crises.models import Alert, CrisisTransition
from crises.services import crises as crisis_services
from crises.services import registers as register_services
from crises.services.alerts import alert_raise, alert_to_extraordinary_request
from members.services.profiles import profile_language_set
from tests.crises.conftest import CrisisWorld

pytestmark = pytest.mark.django_db

RAISED = {
    "en": "Raised at the session.",
    "ru": "Поднят на сессии.",
    "fr": "Soulevée à la session.",
}
TYPED = "Two intercepts in a week."
ALERT_TEXT = "A collision at sea near Gotland; we request consultations."


def read(client, user, url: str, language: str) -> str:
    profile_language_set(user=user, language=language)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def api(user, url: str, language: str) -> dict:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.json()


def test_a_dossier_opened_without_a_reason_keeps_a_code(cw: CrisisWorld) -> None:
    first = CrisisTransition.objects.get(crisis=cw.crisis, from_status="")
    assert (first.reason, first.reason_code) == ("", CrisisTransition.ReasonCode.RAISED)


@pytest.mark.parametrize("language", ["ru", "fr", "en"])
def test_the_dossier_says_it_was_raised_in_the_readers_language(
    client, cw: CrisisWorld, language: str
) -> None:
    """In the status history and the timeline of the page, and in the API; the reason typed
    for a later change reads as typed."""
    crisis_services.crisis_transition(
        crisis=cw.crisis, user=cw.sec, to_status="active", on=timezone.localdate(), reason=TYPED
    )
    url = reverse("crises:crisis_detail", kwargs={"public_id": cw.crisis.public_id})
    page = read(client, cw.user("nato"), url, language)
    assert f"</strong>. {RAISED[language]}</li>" in page
    assert f"</strong>. {TYPED}</li>" in page
    for other in {"en", "ru", "fr"} - {language}:
        assert RAISED[other] not in page
    crisis = api(
        cw.user("nato"),
        reverse("crisis-detail", kwargs={"id": cw.crisis.public_id}),
        language,
    )
    assert [(t["reason"], t["reason_code"]) for t in crisis["transitions"]] == [
        (RAISED[language], "raised"),
        (TYPED, ""),
    ]


def test_a_reason_given_when_opening_the_dossier_is_kept_as_typed(cw: CrisisWorld) -> None:
    crisis = crisis_services.crisis_create(
        user=cw.sec,
        session=cw.table.session,
        title="Black Sea corridor",
        region="Black Sea",
        on=timezone.localdate(),
        reason="  Asked for by Ukraine.  ",
    )
    first = CrisisTransition.objects.get(crisis=crisis)
    assert (first.reason, first.reason_code) == ("Asked for by Ukraine.", "")
    with translation.override("ru"):
        assert first.display_reason == "Asked for by Ukraine."


def test_the_api_opens_a_dossier_without_a_reason_in_every_language(cw: CrisisWorld) -> None:
    client = APIClient()
    client.force_authenticate(cw.sec)
    response = client.post(
        reverse("crisis-list"),
        {
            "session": str(cw.table.session.public_id),
            "title": "Cable cuts",
            "region": "Baltic Sea",
            "on": timezone.localdate().isoformat(),
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 201, response.content
    assert response.json()["transitions"] == [
        {
            "from_status": "",
            "to_status": "watch",
            "on": timezone.localdate().isoformat(),
            "reason": RAISED["fr"],
            "reason_code": "raised",
        }
    ]


@pytest.mark.parametrize("language", ["ru", "fr"])
def test_an_off_ramps_first_status_carries_no_english_words(
    client, cw: CrisisWorld, language: str
) -> None:
    """Proposed is the status itself, read in the reader's language; nothing is written
    beside it (the platform's "Proposed." repeated it, in English)."""
    off_ramp = register_services.off_ramp_create(
        user=cw.sec, crisis=cw.crisis, title="Hotline between air commands"
    )
    [first] = off_ramp.transitions.all()
    assert (first.to_status, first.reason) == ("proposed", "")
    url = reverse("crises:off_ramp_detail", kwargs={"public_id": off_ramp.public_id})
    page = read(client, cw.user("ru"), url, language)
    proposed = {"ru": "Предложен", "fr": "Proposée"}[language]
    assert f"<strong>{proposed}</strong></li>" in page
    assert "Proposed." not in page
    data = api(
        cw.user("ru"), reverse("off-ramp-detail", kwargs={"id": off_ramp.public_id}), language
    )
    assert data["transitions"][0]["reason"] == ""


@pytest.fixture
def requested(cw: CrisisWorld) -> ExtraordinaryRequest:
    """The United States' alert, raised by its head on 12 March 2027 at 09:30 UTC, made a
    request while English was active."""
    alert = alert_raise(
        user=cw.user("us"), text=ALERT_TEXT, crisis=cw.crisis, urgency=Alert.Urgency.FLASH
    )
    Alert.objects.filter(pk=alert.pk).update(raised_at=datetime(2027, 3, 12, 9, 30, tzinfo=UTC))
    alert.refresh_from_db()
    with translation.override("en"):
        return alert_to_extraordinary_request(user=cw.user("us"), alert=alert)


def test_a_request_made_from_an_alert_keeps_the_alerts_words_alone(
    cw: CrisisWorld, requested: ExtraordinaryRequest
) -> None:
    assert requested.reason == ALERT_TEXT
    assert requested.alert_raised_at == datetime(2027, 3, 12, 9, 30, tzinfo=UTC)
    assert requested.alert_about == cw.crisis.title


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "Оповещение от 12 марта 2027, 09:30 UTC (Baltic Sea airspace incidents): "),
        ("fr", "Alerte du 12 mars 2027, 09:30 UTC (Baltic Sea airspace incidents) : "),
        ("en", "Alert of 12 March 2027, 09:30 UTC (Baltic Sea airspace incidents): "),
    ],
)
def test_the_secretariat_reads_the_alerts_request_in_its_language(
    client, cw: CrisisWorld, requested: ExtraordinaryRequest, language: str, expected: str
) -> None:
    """On the plan page and in the action centre, whatever language it was made in."""
    page = read(client, cw.sec, reverse("agenda:session_plan"), language)
    assert expected + ALERT_TEXT in page
    with translation.override(language):
        [action] = secretariat_actions(user=cw.sec).line("extraordinary_requests").actions
        assert action.detail == expected + ALERT_TEXT
