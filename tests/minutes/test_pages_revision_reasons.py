# ruff: noqa: RUF001 -- the expected texts are Russian and French, Cyrillic letters and French apostrophes included
"""What made each revision of the minutes is kept as a code and read in the reader's
language, in the minutes' list of revisions and on the page comparing them; the secretariat's
reason for accepting an amendment, typed by a person, reads as typed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.services.profiles import profile_language_set
from minutes.models import Minutes, MinutesRevision
from minutes.services import action_points as action_points_services
from minutes.services import record as record_services
from minutes.services import review as review_services

pytestmark = pytest.mark.django_db

REASONS = {
    "en": [
        "Circulated for amendments",
        "Statement added",
        "Interpretative statement attached",
        "Action point added",
        "Amendment accepted",
        "Approved",
    ],
    "ru": [
        "Разослан для поправок",
        "Добавлено выступление",
        "Приложено заявление о толковании",
        "Добавлен пункт к исполнению",
        "Поправка принята",
        "Утверждён",
    ],
    "fr": [
        "Diffusé pour amendements",
        "Déclaration ajoutée",
        "Déclaration interprétative jointe",
        "Point d’action ajouté",
        "Amendement accepté",
        "Approuvé",
    ],
}
DECISION = "Matches the recording of the session."


@pytest.fixture
def revised(world, minutes, say) -> Minutes:
    """Minutes circulated, changed in five ways the record keeps, then approved."""
    secretary, russian = world.user("sec"), world.user("ru")
    say("USA", 1, "Restraint over the Baltic.")
    review_services.minutes_circulate(minutes=minutes, user=secretary)
    statement = say("RUS", 1, "Patrols answered exercises.")
    record_services.interpretative_statement_attach(
        minutes=minutes,
        item=world.items[0],
        party=world.parties["RUS"],
        user=russian,
        summary="Our reading of the text.",
    )
    action_points_services.action_point_create(
        minutes=minutes,
        user=secretary,
        description="Share the exercise schedule.",
        due_date=timezone.localdate() + timedelta(days=30),
        owner=world.parties["RUS"],
        item=world.items[0],
    )
    amendment = review_services.amendment_propose(
        minutes=minutes,
        party=world.parties["RUS"],
        user=russian,
        statement=statement,
        text="Patrols answered large exercises.",
    )
    review_services.amendment_decide(
        amendment=amendment, user=secretary, accept=True, reason=DECISION
    )
    review_services.minutes_approve(minutes=minutes, user=secretary)
    return minutes


def read(client, user, url: str, language: str) -> str:
    profile_language_set(user=user, language=language)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_each_revision_keeps_a_code(revised):
    assert list(revised.revisions.order_by("number").values_list("reason", flat=True)) == [
        MinutesRevision.Reason.CIRCULATED,
        MinutesRevision.Reason.STATEMENT_ADDED,
        MinutesRevision.Reason.INTERPRETATIVE_STATEMENT,
        MinutesRevision.Reason.ACTION_POINT_ADDED,
        MinutesRevision.Reason.AMENDMENT_ACCEPTED,
        MinutesRevision.Reason.APPROVED,
    ]


@pytest.mark.parametrize("language", ["ru", "fr", "en"])
@pytest.mark.parametrize("who", ["sec", "ru"])
def test_the_revisions_read_in_the_readers_language(client, world, revised, who, language):
    """The minutes' list of revisions and the comparison's choices, for the secretariat and
    a delegate alike; the typed reason for the amendment stays as the secretariat wrote it."""
    minutes_page = read(client, world.user(who), revised.get_absolute_url(), language)
    diff_url = reverse("minutes:revision_diff", kwargs={"public_id": revised.public_id})
    diff_page = read(client, world.user(who), f"{diff_url}?older=1&newer=6", language)
    for number, reason in enumerate(REASONS[language], start=1):
        assert f'<li value="{number}">{reason}, ' in minutes_page
        assert f">{number}: {reason}</option>" in diff_page
    assert DECISION in minutes_page
    if language != "en":
        for reason in REASONS["en"]:
            assert f"{reason}, " not in minutes_page
            assert f": {reason}</option>" not in diff_page
