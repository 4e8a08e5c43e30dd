# ruff: noqa: RUF001 -- the expected texts are Russian and French, Cyrillic letters and French apostrophes included
"""Why a copy of a pack was not made is kept as a code with its values and read in the
reader's language: the delegate's reader page, the API's ``reason`` (with ``reason_code``)
and the secretariat's action centre. A technical detail (here a refused URL) is kept as the
renderer gave it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from briefings.models import BuildReason, BuildStatus, Pack
from briefings.selectors.actions_secretariat import secretariat_actions
from briefings.services import renders
from briefings.services.planning import packs_plan
from briefings.services.renders import pack_render_deliver
from consult.pdf import PdfResourceRefused
from members.services.profiles import profile_language_set
from tests.briefings.packs import Table, copy_of

pytestmark = pytest.mark.django_db

URL = "http://evil.example/x.png"
REFUSED = {
    "en": f"The document refers to a resource outside the platform: {URL}",
    "ru": f"Документ ссылается на ресурс вне платформы: {URL}",
    "fr": f"Le document renvoie à une ressource extérieure à la plateforme : {URL}",
}
COULD_NOT = {
    "en": "Your latest copy could not be made: ",
    "ru": "Не удалось изготовить ваш последний экземпляр: ",
    "fr": "Votre dernier exemplaire n’a pas pu être établi : ",
}


@pytest.fixture
def refused(table: Table, monkeypatch: pytest.MonkeyPatch) -> Pack:
    """The United States' copy: its render refused a resource outside the platform."""
    packs_plan(session_id=table.session.pk)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PdfResourceRefused(URL)

    monkeypatch.setattr(renders, "run_limited", refuse)
    usa = copy_of(table.user("USA"), table.session)
    assert pack_render_deliver(render_id=usa.render_id) == "failed"
    usa.refresh_from_db()
    return usa


def test_the_reason_is_a_code_and_its_values(refused: Pack) -> None:
    assert (refused.status, refused.reason_code, refused.reason_params) == (
        BuildStatus.FAILED,
        BuildReason.RESOURCE_REFUSED,
        {"url": URL},
    )


@pytest.mark.parametrize("language", ["ru", "fr", "en"])
def test_the_delegate_reads_why_in_their_language(
    client, table: Table, refused: Pack, language: str
) -> None:
    user = table.user("USA")
    profile_language_set(user=user, language=language)
    client.force_login(user)
    url = reverse("briefings:pack_detail", kwargs={"public_id": table.session.public_id})
    page = client.get(url).content.decode()
    assert COULD_NOT[language] + REFUSED[language] in page
    for other in {"en", "ru", "fr"} - {language}:
        assert REFUSED[other] not in page


@pytest.mark.parametrize("language", ["ru", "fr", "en"])
def test_the_api_gives_the_reason_in_the_language_asked_for(
    table: Table, refused: Pack, language: str
) -> None:
    client = APIClient()
    client.force_authenticate(table.user("USA"))
    response = client.get(reverse("pack-list"), HTTP_ACCEPT_LANGUAGE=language)
    [row] = response.json()["results"]
    assert (row["status"], row["reason"], row["reason_code"]) == (
        "failed",
        REFUSED[language],
        "resource_refused",
    )


@pytest.mark.parametrize("language", ["ru", "fr"])
def test_the_secretariats_action_centre_says_why_the_build_failed(
    table: Table, refused: Pack, language: str
) -> None:
    with translation.override(language):
        [action] = secretariat_actions(user=table.secretary).line("failed_packs").actions
        assert action.detail == REFUSED[language]


@pytest.mark.parametrize(
    ("code", "params", "language", "expected"),
    [
        (BuildReason.NOT_DELIVERED, {}, "fr", "L’accès a pris fin avant que l’exemplaire soit "),
        (BuildReason.REBUILD_REQUESTED, {}, "ru", "Секретариат запросил повторную сборку."),
        (BuildReason.WORKER_STOPPED, {"attempts": 3}, "ru", "каждой из попыток (всего 3)."),
        (BuildReason.WORKER_STOPPED, {"attempts": 3}, "fr", "chacune des 3 tentatives."),
        (BuildReason.TIME_LIMIT, {"seconds": "90"}, "ru", "дольше допустимого (90 с)."),
        (BuildReason.ERROR, {"detail": "OSError: disk full"}, "fr", "erreur : OSError: disk full"),
    ],
)
def test_every_reason_is_worded_with_its_values(
    code: str, params: dict[str, object], language: str, expected: str
) -> None:
    with translation.override(language):
        assert expected in Pack(reason_code=code, reason_params=params).display_reason


def test_no_reason_reads_as_nothing() -> None:
    assert Pack().display_reason == ""
