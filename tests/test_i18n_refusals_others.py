# ruff: noqa: RUF001 -- the expected texts are Russian and French, Cyrillic letters and French apostrophes included
"""Refusals of members, minutes, briefings, analytics and the shared API pieces read in the
reader's language (DESIGN.md §9): a service's message and its field messages, 403s, and the
API's 400 ``detail`` per Accept-Language. A party is named in the reader's language."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from rest_framework.test import APIClient

from briefings.services.trace import file_kind, pack_trace
from consult.errors import ApplicationError
from consult.quarters import Quarter
from members.models import DelegationMembership, Party, RotationTerm
from members.services.delegations import delegation_create, delegation_member_add
from members.services.terms import rotation_term_create, rotation_term_swap
from minutes.models import ActionPoint
from minutes.services import action_points as action_points_services
from minutes.services import record as record_services
from tests.factories import (
    DelegationFactory,
    PartyFactory,
    RotationTermFactory,
    UserFactory,
    delegate,
    seat_for,
    secretariat_user,
)
from tests.minutes.conftest import build_world

pytestmark = pytest.mark.django_db


def _usa() -> Party:
    return PartyFactory(
        code="USA",
        name_en="United States",
        name_ru="Соединённые Штаты",
        name_fr="États-Unis",
    )


def test_a_second_delegation_is_refused_naming_the_party_in_the_readers_language():
    party = _usa()
    DelegationFactory(party=party)
    with translation.override("ru"), pytest.raises(ApplicationError) as refused:
        delegation_create(party=party)
    assert refused.value.message == "У стороны «Соединённые Штаты» уже есть делегация."
    with translation.override("fr"), pytest.raises(ApplicationError) as refused:
        delegation_create(party=party)
    assert refused.value.message == "États-Unis a déjà une délégation."
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        delegation_create(party=party)
    assert refused.value.message == "United States already has a delegation."


def test_an_unknown_delegate_role_is_refused_in_russian_and_french_and_nothing_is_saved():
    delegation = DelegationFactory(party=_usa())
    user = UserFactory(username="newcomer")
    with translation.override("ru"), pytest.raises(ApplicationError) as refused:
        delegation_member_add(delegation=delegation, user=user, role="chair")
    assert refused.value.message == (
        "Неизвестная роль 'chair'; выберите head, deputy, adviser или expert."
    )
    assert refused.value.fields == {"role": ["Неизвестная роль."]}
    with translation.override("fr"), pytest.raises(ApplicationError) as refused:
        delegation_member_add(delegation=delegation, user=user, role="chair")
    assert refused.value.message == (
        "Rôle inconnu 'chair' ; choisissez head, deputy, adviser ou expert."
    )
    assert refused.value.fields == {"role": ["Rôle inconnu."]}
    assert not DelegationMembership.objects.filter(user=user).exists()


def test_a_second_head_is_refused_with_the_delegation_named_per_language():
    party = _usa()
    DelegationFactory(party=party)
    delegate(party, "usa-head")  # the head, for a year now
    delegation = party.delegation
    newcomer = UserFactory(username="second-head", first_name="Sam", last_name="Second")
    with translation.override("ru"), pytest.raises(ApplicationError) as refused:
        delegation_member_add(delegation=delegation, user=newcomer, role="head")
    assert refused.value.message == (
        "У делегации стороны «Соединённые Штаты» на эти даты уже есть глава (usa-head)."
    )
    assert refused.value.fields == {"role": ["У делегации уже есть глава."]}
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        delegation_member_add(delegation=delegation, user=newcomer, role="head")
    # English keeps its article: "the delegation of the United States".
    assert refused.value.message == (
        "The delegation of the United States already has a head (usa-head) for those dates."
    )
    with translation.override("fr"), pytest.raises(ApplicationError) as refused:
        delegation_member_add(delegation=delegation, user=newcomer, role="head")
    # French names the party as Russian does, so that every name reads ("de États-Unis" did not).
    assert refused.value.message == (
        "La délégation de la partie « États-Unis » a déjà un chef (usa-head) pour ces dates."
    )
    assert not DelegationMembership.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize(
    ("code", "name_fr"), [("USA", "États-Unis"), ("RUS", "Russie"), ("NATO", "OTAN")]
)
def test_the_delegation_of_a_party_reads_in_french_whatever_its_name(code, name_fr):
    """No elision or article is left to the party's name: « de la partie « OTAN » », never
    "de OTAN" or "de États-Unis"."""
    party = PartyFactory(code=code, name_en=code, name_fr=name_fr)
    DelegationFactory(party=party)
    member = delegate(party, f"{code.lower()}-member")
    other = DelegationFactory(party=PartyFactory(code="FIN", name_en="Finland"))
    with translation.override("fr"), pytest.raises(ApplicationError) as refused:
        delegation_member_add(delegation=other, user=member, role="expert")
    assert f"membre de la délégation de la partie « {name_fr} » pour ces dates" in (
        refused.value.message
    )


def test_rotation_refusals_read_in_russian_and_french():
    party = _usa()
    term = RotationTermFactory(holder=party, seat=seat_for(party))
    delegate_user = delegate(party, "usa-delegate")
    with translation.override("ru"), pytest.raises(PermissionDenied) as denied:
        rotation_term_swap(term=term, new_holder=party, reason="Note", swapped_by=delegate_user)
    assert str(denied.value) == "Заменять сроки ротации может только секретариат."
    with translation.override("fr"), pytest.raises(PermissionDenied) as denied:
        rotation_term_swap(term=term, new_holder=party, reason="Note", swapped_by=delegate_user)
    assert str(denied.value) == "Seul le secrétariat peut échanger des mandats de rotation."

    past = Quarter.current() - 1
    with translation.override("ru"), pytest.raises(ApplicationError) as refused:
        rotation_term_create(seat=term.seat, quarter=past, holder=party)
    assert refused.value.message == (
        f"Квартал {past} уже прошёл; сроки прошедших кварталов остаются без изменений."
    )
    assert refused.value.fields == {"quarter": ["Прошедший квартал."]}
    with translation.override("fr"), pytest.raises(ApplicationError) as refused:
        rotation_term_create(seat=term.seat, quarter="2027-1", holder=party)
    assert refused.value.message == (
        "'2027-1' n’est pas un trimestre ; écrivez-le sous la forme 2027Q1."
    )
    assert RotationTerm.objects.count() == 1


def test_a_leaked_file_that_cannot_be_traced_is_refused_in_the_readers_language():
    with translation.override("ru"), pytest.raises(ApplicationError) as refused:
        file_kind(b"", filename="leak.pdf")
    assert refused.value.message == "Файл «leak.pdf» пуст."
    assert refused.value.fields == {"file": ["Файл пуст."]}
    with translation.override("fr"), pytest.raises(ApplicationError) as refused:
        file_kind(b"just some words", filename="leak.txt")
    assert refused.value.message == (
        "« leak.txt » n’est pas un fichier PDF, PNG ou JPEG "
        "(à en juger par son contenu, non par son nom)."
    )
    assert refused.value.fields == {
        "file": ["Téléversez un PDF du dossier d’information, ou une image PNG ou JPEG d’une page."]
    }
    delegate_user = delegate(_usa(), "usa-delegate")
    with translation.override("ru"), pytest.raises(PermissionDenied) as denied:
        pack_trace(user=delegate_user, data=b"%PDF-1.7", filename="leak.pdf")
    assert str(denied.value) == (
        "Только секретариат может выполнить это действие "
        "(установить источник утечки информационного пакета)."
    )


def test_another_delegation_may_not_update_an_action_point_named_in_the_readers_language():
    world = build_world()
    Party.objects.filter(code="USA").update(name_ru="Соединённые Штаты", name_fr="États-Unis")
    minutes = record_services.minutes_create(session=world.session, user=world.user("sec"))
    for code in ("USA", "RUS"):
        record_services.attendance_record(
            minutes=minutes, party=world.parties[code], user=world.user("sec"), delegates=[]
        )
    point = action_points_services.action_point_create(
        minutes=minutes,
        user=world.user("sec"),
        description="Circulate a paper on notification of exercises.",
        due_date=date.today() + timedelta(days=30),
        owner=Party.objects.get(code="USA"),
        item=world.items[0],
    )
    with translation.override("ru"), pytest.raises(PermissionDenied) as denied:
        action_points_services.action_point_update_status(
            action_point=point, user=world.user("ru"), status="done"
        )
    assert str(denied.value) == (
        "Обновлять этот пункт к исполнению может только действующий член делегации стороны "
        "«Соединённые Штаты»."
    )
    with translation.override("fr"), pytest.raises(PermissionDenied) as denied:
        action_points_services.action_point_update_status(
            action_point=point, user=world.user("ru"), status="done"
        )
    assert str(denied.value) == (
        "Seul un membre actuel de la délégation de la partie « États-Unis » peut mettre à jour "
        "ce point d’action."
    )
    assert ActionPoint.objects.get(pk=point.pk).status == ActionPoint.Status.OPEN


def test_the_api_answers_a_refused_request_in_the_accept_language():
    client = APIClient()
    client.force_authenticate(secretariat_user())
    backwards = {"date_from": "2027-02-01", "date_to": "2027-01-01"}
    response = client.get("/api/v1/packs/", backwards, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "date_from не может быть позже date_to.",
        "fields": {"date_from": ["Не может быть позже date_to."]},
    }
    response = client.get("/api/v1/packs/", backwards, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["detail"] == "date_from ne peut pas être postérieure à date_to."
    response = client.get("/api/v1/seats/", {"quarter": "2027-1"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert response.json() == {
        "quarter": ["'2027-1' не является кварталом; укажите его в виде 2027Q1."]
    }
    response = client.get("/api/v1/seats/", {"page_size": "0"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert response.json() == {"page_size": ["Un nombre entier de 1 à 200."]}
