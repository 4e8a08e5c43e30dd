# ruff: noqa: RUF001 (Russian and French text)
"""The secretariat's edits of an off-ramp's, a norm's and an inject's authoritative text
(``off_ramp_update``, ``norm_update``, ``inject_update``): a changed text outdates every
translation (consult/parallel.py); another change does not; an unchanged save changes
nothing and audits nothing. The edit pages, the "Edit" links (the secretariat's only), the
API's PATCH of an option and a norm, and every refusal, which leaves nothing half-saved;
a released inject is a record of the exercise and is not edited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from consult import parallel
from consult.errors import ApplicationError
from crises.models import Exercise, Inject, Norm, OffRamp
from crises.models.exercises import INJECT_PARALLEL
from crises.models.registers import NORM_PARALLEL, OFF_RAMP_PARALLEL
from crises.services import exercises as exercise_services
from crises.services import registers as services
from tests.crises.api import api
from tests.crises.conftest import CrisisWorld
from tests.crises.exercise_helpers import add_inject, make_exercise

pytestmark = pytest.mark.django_db

RU_TEXT = "Истребитель сближается с авиалайнером."
FR_TEXT = "Un chasseur s’approche d’un avion de ligne."


def _norm(cw: CrisisWorld) -> Norm:
    return services.norm_create(
        user=cw.sec,
        session=cw.table.session,
        title="Safe distances",
        text="<p>Aircraft keep their distance.</p>",
        source="CUES",
    )


def _off_ramp(cw: CrisisWorld) -> OffRamp:
    return services.off_ramp_create(
        user=cw.sec,
        crisis=cw.crisis,
        title="A hotline",
        text="<p>Call before you fly.</p>",
        preconditions="Both sides agree.",
    )


def _inject(cw: CrisisWorld) -> Inject:
    return add_inject(cw, make_exercise(cw), "A fighter closes on an airliner.", to="RUS")


def _norm_values(norm: Norm) -> dict[str, Any]:
    return {
        "title": norm.title,
        "text": norm.text,
        "source": norm.source,
        "distribution": norm.distribution,
    }


def _off_ramp_values(off_ramp: OffRamp) -> dict[str, Any]:
    return {
        "title": off_ramp.title,
        "text": off_ramp.text,
        "proposer": off_ramp.proposer,
        "preconditions": off_ramp.preconditions,
    }


def _inject_values(inject: Inject) -> dict[str, Any]:
    return {
        "text": inject.text,
        "scenario_time": inject.scenario_time,
        "recipient": inject.recipient,
        "expected_response": inject.expected_response,
        "scheduled_after": inject.scheduled_after,
    }


@dataclass(frozen=True)
class Kind:
    """One of the three kinds of text, as the tests drive its edit."""

    name: str
    model: type[Any]
    spec: parallel.ParallelFields
    make: Callable[[CrisisWorld], Any]
    values: Callable[[Any], dict[str, Any]]
    update: Callable[..., Any]
    translate: Callable[..., Any]
    confirm: Callable[..., Any]
    text_change: dict[str, Any]  # changes the authoritative text
    other_change: dict[str, Any]  # changes something else
    bad: dict[str, Any]  # refused input
    form: Callable[[Any], dict[str, str]]  # the edit page's POST of the current values
    edit_link: str  # the detail page's link to the edit page

    def edit(self, cw: CrisisWorld, subject: Any, user: Any = None, **changes: Any) -> Any:
        fresh = reload(subject)
        return self.update(
            **{self.name: fresh}, user=user or cw.sec, **{**self.values(fresh), **changes}
        )

    def write(self, cw: CrisisWorld, subject: Any, language: str, text: str) -> Any:
        values = {"text": text} if self.name == "inject" else {"title": text, "text": text}
        return self.translate(**{self.name: subject}, user=cw.sec, language=language, **values)

    def edit_url(self, subject: Any) -> str:
        return reverse(f"crises:{self.name}_edit", kwargs={"public_id": subject.public_id})

    def page_url(self, subject: Any) -> str:
        return subject.get_absolute_url()


KINDS = [
    Kind(
        "norm",
        Norm,
        NORM_PARALLEL,
        _norm,
        _norm_values,
        services.norm_update,
        services.norm_translation_set,
        services.norm_translation_confirm,
        {"text": "<p>Aircraft keep 500 feet apart.</p>"},
        {"source": "INCSEA 1972", "distribution": "seat_holders"},
        {"text": "<p> </p>"},
        lambda norm: {
            "title": norm.title,
            "text": norm.text,
            "source": norm.source,
            "distribution": norm.distribution,
        },
        "Edit the norm",
    ),
    Kind(
        "off_ramp",
        OffRamp,
        OFF_RAMP_PARALLEL,
        _off_ramp,
        _off_ramp_values,
        services.off_ramp_update,
        services.off_ramp_translation_set,
        services.off_ramp_translation_confirm,
        {"title": "A direct hotline"},
        {"preconditions": "Both sides and the chair agree."},
        {"title": "   "},
        lambda off_ramp: {
            "title": off_ramp.title,
            "text": off_ramp.text,
            "preconditions": off_ramp.preconditions,
        },
        "Edit the option",
    ),
    Kind(
        "inject",
        Inject,
        INJECT_PARALLEL,
        _inject,
        _inject_values,
        exercise_services.inject_update,
        exercise_services.inject_translation_set,
        exercise_services.inject_translation_confirm,
        {"text": "A fighter closes on a cargo aircraft."},
        {"scenario_time": "D+1 06:00", "expected_response": "Call the hotline."},
        {"scheduled_after": -5},
        lambda inject: {
            "text": inject.text,
            "scenario_time": inject.scenario_time,
            "recipient": inject.recipient.code if inject.recipient else "",
            "expected_response": inject.expected_response,
        },
        "Edit<span",
    ),
]


@pytest.fixture(params=KINDS, ids=[kind.name for kind in KINDS])
def kind(request: pytest.FixtureRequest) -> Kind:
    return request.param


def reload(subject: Any) -> Any:
    return type(subject).objects.get(pk=subject.pk)


def states(subject: Any) -> tuple[str, str]:
    fresh = reload(subject)
    return (fresh.translation_state_ru, fresh.translation_state_fr)


def stored(kind: Kind, subject: Any) -> dict[str, Any]:
    """Every column an edit may write, translations and their states included."""
    fresh = reload(subject)
    names = [*kind.values(fresh), *parallel.translation_columns(kind.spec), "updated_at"]
    return {name: getattr(fresh, name) for name in names}


@pytest.fixture
def translated(cw: CrisisWorld, kind: Kind) -> Any:
    """The text with a Russian translation (unofficial) and a French one (confirmed)."""
    subject = kind.make(cw)
    kind.write(cw, subject, "ru", RU_TEXT)
    kind.write(cw, subject, "fr", FR_TEXT)
    kind.confirm(**{kind.name: subject}, user=cw.sec, language="fr")
    assert states(subject) == ("unofficial", "confirmed")
    return reload(subject)


def edits(subject: Any) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(subject.public_id), summary__endswith=" edited")
        .order_by("pk")
        .values_list("summary", flat=True)
    )


# --- The services ------------------------------------------------------------------------


def test_a_changed_text_outdates_every_translation(
    cw: CrisisWorld, kind: Kind, translated: Any
) -> None:
    kind.edit(cw, translated, **kind.text_change)
    fresh = reload(translated)
    for name, value in kind.text_change.items():
        assert getattr(fresh, name) == value
    assert states(translated) == ("outdated", "outdated")
    # The translations themselves stay, to be rewritten.
    assert fresh.text_translation_ru
    assert fresh.text_translation_fr
    assert len(edits(translated)) == 1
    # Writing one again makes it current (unofficial); the other stays outdated.
    kind.write(cw, translated, "fr", FR_TEXT)
    assert states(translated) == ("outdated", "unofficial")


def test_another_change_is_saved_and_audited_without_outdating(
    cw: CrisisWorld, kind: Kind, translated: Any
) -> None:
    kind.edit(cw, translated, **kind.other_change)
    fresh = reload(translated)
    for name, value in kind.other_change.items():
        assert getattr(fresh, name) == value
    assert states(translated) == ("unofficial", "confirmed")
    assert len(edits(translated)) == 1


def test_an_unchanged_save_changes_and_audits_nothing(
    cw: CrisisWorld, kind: Kind, translated: Any
) -> None:
    before, audited = stored(kind, translated), AuditEntry.objects.count()
    kind.edit(cw, translated)
    assert stored(kind, translated) == before
    assert AuditEntry.objects.count() == audited


@pytest.mark.parametrize("username", ["us", "ru", "ua", "outsider"])
def test_only_the_secretariat_edits(
    cw: CrisisWorld, kind: Kind, translated: Any, username: str
) -> None:
    before, audited = stored(kind, translated), AuditEntry.objects.count()
    with pytest.raises(PermissionDenied, match="Only the secretariat may"):
        kind.edit(cw, translated, user=cw.user(username), **kind.text_change)
    assert stored(kind, translated) == before
    assert AuditEntry.objects.count() == audited


def test_refused_input_leaves_nothing_half_saved(
    cw: CrisisWorld, kind: Kind, translated: Any
) -> None:
    """A valid text change with a refused field: neither is saved, nothing is outdated."""
    before, audited = stored(kind, translated), AuditEntry.objects.count()
    changes = {**kind.other_change, **kind.text_change, **kind.bad}
    with pytest.raises(ApplicationError) as refusal:
        kind.edit(cw, translated, **changes)
    assert set(refusal.value.fields) == set(kind.bad)
    assert stored(kind, translated) == before
    assert AuditEntry.objects.count() == audited


def test_the_norms_distribution_cannot_be_one_delegation(cw: CrisisWorld) -> None:
    norm = _norm(cw)
    kind = KINDS[0]
    with pytest.raises(ApplicationError, match="cannot be limited to one delegation"):
        kind.edit(cw, norm, distribution="delegation", title="Renamed")
    assert reload(norm).title == "Safe distances"


def test_an_injects_recipient_plays_in_the_exercise(cw: CrisisWorld) -> None:
    inject = _inject(cw)
    kind = KINDS[2]
    with pytest.raises(ApplicationError, match="does not take part in the exercise") as refusal:
        kind.edit(cw, inject, recipient=cw.table.parties["DEU"], text="Changed.")
    assert set(refusal.value.fields) == {"recipient"}
    assert reload(inject).text == "A fighter closes on an airliner."
    # Everyone is a recipient too.
    kind.edit(cw, inject, recipient=None)
    assert reload(inject).recipient is None


def _released(cw: CrisisWorld) -> Inject:
    inject = _inject(cw)
    exercise_services.exercise_start(exercise=inject.exercise, user=cw.sec)
    return exercise_services.inject_release(inject=inject, user=cw.sec)


def test_a_released_inject_is_a_record_and_is_not_edited(cw: CrisisWorld) -> None:
    inject = _released(cw)
    exercise_services.inject_translation_set(inject=inject, user=cw.sec, language="ru", text="X")
    kind = KINDS[2]
    before, audited = stored(kind, inject), AuditEntry.objects.count()
    with pytest.raises(ApplicationError, match="Inject 1 was released to the delegations"):
        kind.edit(cw, inject, text="Rewritten after the fact.")
    assert stored(kind, inject) == before
    assert reload(inject).translation_state_ru == "unofficial"
    assert AuditEntry.objects.count() == audited


def test_an_inject_of_an_ended_exercise_is_not_edited(cw: CrisisWorld) -> None:
    inject = _inject(cw)
    exercise_services.exercise_start(exercise=inject.exercise, user=cw.sec)
    exercise_services.exercise_end(exercise=inject.exercise, user=cw.sec)
    with pytest.raises(ApplicationError, match="The exercise has ended"):
        KINDS[2].edit(cw, inject, text="Rewritten.")
    assert reload(inject).text == "A fighter closes on an airliner."


# --- The pages ----------------------------------------------------------------------------


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_edit_page_is_prefilled_and_its_save_outdates_the_translations(
    cw: CrisisWorld, kind: Kind, translated: Any
) -> None:
    secretariat = client_for(cw.sec)
    page = secretariat.get(kind.page_url(translated)).content.decode()
    assert f'href="{kind.edit_url(translated)}"' in page
    assert kind.edit_link in page
    form = secretariat.get(kind.edit_url(translated))
    assert form.status_code == 200
    html = form.content.decode()
    assert "<h1>" in html
    assert "Edit" in html.split("<h1>")[1]
    prefilled = next(iter(kind.values(translated).values()))
    assert prefilled in html
    response = secretariat.post(
        kind.edit_url(translated), {**kind.form(translated), **kind.text_change}
    )
    assert response.status_code == 302
    assert states(translated) == ("outdated", "outdated")
    # The secretariat's translations page marks both translations outdated ...
    translations = reverse(
        f"crises:{kind.name}_translations", kwargs={"public_id": translated.public_id}
    )
    page = secretariat.get(translations).content.decode()
    assert page.count('class="state state-outdated">Outdated: the authoritative text') == 2
    if kind.name != "inject":
        # ... and the text's page, asked in Russian, serves the authoritative text saying so
        # (an inject's is the exercise's page, in the reader's language).
        page = secretariat.get(response["Location"] + "?lang=ru").content.decode()
        assert "The Russian translation is outdated" in page


def test_a_refused_save_on_the_page_keeps_everything(
    cw: CrisisWorld, kind: Kind, translated: Any
) -> None:
    secretariat = client_for(cw.sec)
    before, audited = stored(kind, translated), AuditEntry.objects.count()
    data = {**kind.form(translated), **kind.text_change, **kind.bad}
    response = secretariat.post(kind.edit_url(translated), data)
    assert response.status_code == 400
    assert stored(kind, translated) == before
    assert AuditEntry.objects.count() == audited


@pytest.mark.parametrize("username", [None, "us", "ru", "ua", "outsider"])
def test_the_edit_pages_are_the_secretariats(
    cw: CrisisWorld, kind: Kind, translated: Any, username: str | None
) -> None:
    """Nobody else finds the page (404, as every secretariat page; a login first), nor the
    link to it, and a POST changes nothing."""
    client = client_for(cw.user(username) if username else None)
    url = kind.edit_url(translated)
    assert client.get(url).status_code in (404, 302)
    before, audited = stored(kind, translated), AuditEntry.objects.count()
    response = client.post(url, {**kind.form(translated), **kind.text_change})
    assert response.status_code in (404, 302)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    assert stored(kind, translated) == before
    assert AuditEntry.objects.count() == audited
    if username:
        assert url not in client.get(kind.page_url(translated)).content.decode()


def test_a_released_injects_page_offers_no_edit_and_its_save_is_refused(
    cw: CrisisWorld,
) -> None:
    inject = _released(cw)
    add_inject(cw, inject.exercise, "A second inject, not released.")
    secretariat = client_for(cw.sec)
    url = KINDS[2].edit_url(inject)
    page = secretariat.get(inject.exercise.get_absolute_url()).content.decode()
    assert url not in page
    assert page.count("/edit/") == 1  # the unreleased inject's
    assert "can no longer be edited" in secretariat.get(url).content.decode()
    response = secretariat.post(url, {**KINDS[2].form(inject), "text": "Rewritten."})
    assert response.status_code == 400
    assert reload(inject).text == "A fighter closes on an airliner."


def test_the_exercise_page_does_not_grow_in_queries_with_its_editable_injects(
    cw: CrisisWorld,
) -> None:
    exercise: Exercise = make_exercise(cw)
    add_inject(cw, exercise, "First.")
    secretariat = client_for(cw.sec)
    url = exercise.get_absolute_url()
    secretariat.get(url)
    with CaptureQueriesContext(connection) as one:
        assert secretariat.get(url).status_code == 200
    for number in range(5):
        add_inject(cw, exercise, f"More {number}.", to="RUS" if number % 2 else None)
    with CaptureQueriesContext(connection) as six:
        html = secretariat.get(url).content.decode()
    assert html.count("/edit/") == 6
    assert len(six) == len(one)


def test_the_edit_pages_take_a_bounded_number_of_queries(
    cw: CrisisWorld, kind: Kind, translated: Any, django_assert_max_num_queries: Any
) -> None:
    secretariat = client_for(cw.sec)
    secretariat.get(kind.edit_url(translated))
    with django_assert_max_num_queries(20):
        assert secretariat.get(kind.edit_url(translated)).status_code == 200


# --- The API ------------------------------------------------------------------------------

API_KINDS = {"norm": "/api/v1/norms/", "off_ramp": "/api/v1/off-ramps/"}


@pytest.fixture(params=KINDS[:2], ids=[kind.name for kind in KINDS[:2]])
def api_kind(request: pytest.FixtureRequest) -> Kind:
    return request.param


def test_the_api_patch_edits_and_outdates(cw: CrisisWorld, api_kind: Kind) -> None:
    subject = api_kind.make(cw)
    api_kind.write(cw, subject, "ru", RU_TEXT)
    url = f"{API_KINDS[api_kind.name]}{subject.public_id}/"
    # Another field alone: nothing outdated.
    other = {"source": "INCSEA"} if api_kind.name == "norm" else {"preconditions": "None."}
    response = api(cw.sec).patch(url, other, format="json")
    assert response.status_code == 200, response.content
    assert reload(subject).translation_state_ru == "unofficial"
    response = api(cw.sec).patch(url, {"title": "Renamed"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Renamed"
    assert reload(subject).translation_state_ru == "outdated"
    assert {"language": "ru", "state": "outdated"} in response.json()["available_languages"]


def test_the_api_patch_names_the_proposer_by_code(cw: CrisisWorld) -> None:
    off_ramp = _off_ramp(cw)
    url = f"/api/v1/off-ramps/{off_ramp.public_id}/"
    response = api(cw.sec).patch(url, {"proposer": "usa"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["proposer"]["code"] == "USA"
    response = api(cw.sec).patch(url, {"proposer": "XXX", "title": "Renamed"}, format="json")
    assert response.status_code == 400
    assert "proposer" in response.json()
    assert reload(off_ramp).title == "A hotline"
    response = api(cw.sec).patch(url, {"proposer": None}, format="json")
    assert response.status_code == 200
    assert reload(off_ramp).proposer is None


@pytest.mark.parametrize("username", ["us", "ru", "ua"])
def test_the_api_patch_is_refused_to_delegates(
    cw: CrisisWorld, api_kind: Kind, username: str
) -> None:
    subject = api_kind.make(cw)
    url = f"{API_KINDS[api_kind.name]}{subject.public_id}/"
    before = stored(api_kind, subject)
    response = api(cw.user(username)).patch(url, {"title": "Renamed"}, format="json")
    assert response.status_code == 403
    assert stored(api_kind, subject) == before
    assert api(None).patch(url, {"title": "Renamed"}, format="json").status_code in (401, 403)


def test_the_api_patch_refuses_bad_input_whole(cw: CrisisWorld, api_kind: Kind) -> None:
    subject = api_kind.make(cw)
    api_kind.write(cw, subject, "ru", RU_TEXT)
    url = f"{API_KINDS[api_kind.name]}{subject.public_id}/"
    before = stored(api_kind, subject)
    bad = {"text": "<p> </p>"} if api_kind.name == "norm" else {"title": " "}
    response = api(cw.sec).patch(url, {"title": "Renamed", **bad}, format="json")
    assert response.status_code == 400
    assert stored(api_kind, subject) == before
    missing = f"{API_KINDS[api_kind.name]}00000000-0000-0000-0000-000000000000/"
    assert api(cw.sec).patch(missing, {"title": "X"}, format="json").status_code == 404
