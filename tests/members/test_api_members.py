"""The members API over HTTP, per role: anonymous, analyst, delegate, secretariat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from members.models import Accreditation, DelegationMembership, Party, RotationSwap, RotationTerm
from members.services.delegations import (
    delegation_create,
    delegation_member_add,
    delegation_member_end,
)
from members.services.parties import party_create, party_membership_add
from members.services.seats import seat_create
from members.services.terms import chair_plan, rotation_plan
from tests.factories import PASSWORD, UserFactory
from tests.openapi import assert_documented

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/parties/", "/api/v1/seats/", "/api/v1/rotation/", "/api/v1/delegations/"]


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def planned(table):
    rotation_plan(start=table.quarter, count=8)
    chair_plan(start=table.quarter, count=8)
    return table


# Reads per role


@pytest.mark.parametrize("url", LISTS)
def test_anonymous_reads_nothing(table, url):
    """Without credentials every members endpoint answers 401."""
    assert client_for().get(url).status_code == 401


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("role", ["secretary", "analyst", "delegate"])
def test_every_role_reads_the_members_lists(planned, url, role):
    """The secretariat, analysts and delegates all read parties, seats, rotation, delegations."""
    user = planned.delegate("FRA", "fra-head") if role == "delegate" else getattr(planned, role)
    response = client_for(user).get(url)
    assert response.status_code == 200
    assert response.json()["results"]


def test_seats_show_the_current_arrangement_and_holders(planned):
    """A seat carries the arrangement in force and who holds it this quarter."""
    response = client_for(planned.analyst).get("/api/v1/seats/")
    seats = {seat["code"]: seat for seat in response.json()["results"]}
    assert seats["USA"]["arrangement"]["mode"] == "own"
    assert [p["code"] for p in seats["USA"]["holders"]] == ["USA"]
    assert seats["EU"]["arrangement"] == {
        "mode": "rotating",
        "holders_per_term": 2,
        "rotation_order": "en",
        "effective_from": str(planned.quarter),
    }
    assert [p["code"] for p in seats["EU"]["holders"]] == ["AUT", "BEL"]
    assert seats["NATO"]["quarter"] == str(planned.quarter)
    later = client_for(planned.analyst).get("/api/v1/seats/", {"quarter": str(planned.quarter + 1)})
    seats = {seat["code"]: seat for seat in later.json()["results"]}
    assert [p["code"] for p in seats["NATO"]["holders"]] == ["FRA"]


def test_seats_refuse_a_malformed_quarter(table):
    """A quarter that is not 2027Q1-shaped is a clear 400."""
    response = client_for(table.analyst).get("/api/v1/seats/", {"quarter": "soon"})
    assert response.status_code == 400
    assert "write it as 2027Q1" in response.json()["quarter"][0]


def test_rotation_filters_by_quarter_and_seat(planned):
    """?quarter= and ?seat= narrow the terms."""
    response = client_for(planned.analyst).get(
        "/api/v1/rotation/", {"quarter": str(planned.quarter + 1), "seat": "eu"}
    )
    results = response.json()["results"]
    assert [(t["seat"]["code"], t["position"], t["holder"]["code"]) for t in results] == [
        ("EU", 1, "FRA"),
        ("EU", 2, "DEU"),
    ]
    bad = client_for(planned.analyst).get("/api/v1/rotation/", {"quarter": "2027-1"})
    assert bad.status_code == 400
    assert bad.json()["quarter"] == ["'2027-1' is not a quarter; write it as 2027Q1."]


def test_rotation_term_detail_and_missing_term(planned):
    """A term is read by its public id; an unknown id is a plain 404."""
    term = RotationTerm.objects.get(seat__code="NATO", quarter=str(planned.quarter))
    client = client_for(planned.analyst)
    assert client.get(f"/api/v1/rotation/{term.public_id}/").json()["holder"]["code"] == "BEL"
    missing = client.get("/api/v1/rotation/00000000-0000-0000-0000-000000000000/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found."}


def members_of(response, code: str) -> list[tuple[str, str]]:
    for delegation in response.json()["results"]:
        if delegation["party"]["code"] == code:
            return sorted((m["user"]["username"], m["role"]) for m in delegation["members"])
    raise AssertionError(code)


def test_delegation_members_are_shown_to_the_secretariat_and_the_delegation(table):
    """The secretariat and the delegation itself see every member; others the head only."""
    fra_head = table.delegate("FRA", "fra-head")
    table.delegate("FRA", "fra-expert", role="expert")
    table.delegate("DEU", "deu-head")
    table.delegate("DEU", "deu-expert", role="expert")
    everyone_fra = [("fra-expert", "expert"), ("fra-head", "head")]
    everyone_deu = [("deu-expert", "expert"), ("deu-head", "head")]

    secretariat = client_for(table.secretary).get("/api/v1/delegations/", {"page_size": 100})
    assert members_of(secretariat, "FRA") == everyone_fra
    assert members_of(secretariat, "DEU") == everyone_deu

    own = client_for(fra_head).get("/api/v1/delegations/", {"page_size": 100})
    assert members_of(own, "FRA") == everyone_fra
    assert members_of(own, "DEU") == [("deu-head", "head")]

    analyst = client_for(table.analyst).get("/api/v1/delegations/", {"page_size": 100})
    assert members_of(analyst, "FRA") == [("fra-head", "head")]


def test_a_former_member_no_longer_sees_the_full_list(table):
    """Ending a membership narrows the lists on the very next request."""
    fra_head = table.delegate("FRA", "fra-head")
    table.delegate("FRA", "fra-expert", role="expert")
    delegation_member_end(membership=DelegationMembership.objects.get(user=fra_head))
    response = client_for(fra_head).get("/api/v1/delegations/", {"party": "FRA"})
    assert members_of(response, "FRA") == []


# Query counts


@pytest.mark.parametrize(
    "url", [*LISTS, "/api/v1/delegations/?page_size=200", "/api/v1/parties/?page_size=200"]
)
def test_list_queries_do_not_grow_with_rows(table, django_assert_max_num_queries, url):
    """The same query budget serves one row and many."""
    client = client_for(table.secretary)
    budget = 8
    with django_assert_max_num_queries(budget):
        assert client.get(url, {"page_size": 1}).status_code == 200
    for index in range(12):
        party = party_create(code=f"ZZ{chr(65 + index)}", kind="state", name_en=f"Z {index}")
        party_membership_add(member=party, organisation=table.parties["NATO"], since_year=2000)
        seat_create(code=party.code, name=party.name_en, party=party, mode="own")
        delegation = delegation_create(party=party)
        for role in ["head", "expert"]:
            delegation_member_add(delegation=delegation, user=UserFactory(), role=role)
    rotation_plan(start=table.quarter, count=8)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) > 8


# Writes


@pytest.mark.parametrize("role", ["analyst", "delegate"])
def test_only_the_secretariat_writes(table, role):
    """Analysts and delegates are refused every write with 403, and nothing changes."""
    user = table.delegate("FRA", "fra-head") if role == "delegate" else table.analyst
    client = client_for(user)
    party = client.post("/api/v1/parties/", {"code": "MDA", "kind": "state", "name_en": "Moldova"})
    plan = client.post("/api/v1/rotation/plan/", {})
    assert (party.status_code, plan.status_code) == (403, 403)
    assert not Party.objects.filter(code="MDA").exists()
    assert not RotationTerm.objects.exists()


def test_secretariat_creates_and_renames_a_party(table):
    """A party is created and renamed through the API."""
    client = client_for(table.secretary)
    created = client.post(
        "/api/v1/parties/", {"code": "mda", "kind": "state", "name_en": "Moldova"}
    )
    assert created.status_code == 201, created.json()
    assert created.json()["code"] == "MDA"
    renamed = client.patch(f"/api/v1/parties/{created.json()['id']}/", {"name_fr": "Moldavie"})
    assert renamed.json()["name_fr"] == "Moldavie"
    taken = client.post("/api/v1/parties/", {"code": "MDA", "kind": "state", "name_en": "Again"})
    assert taken.status_code == 400
    assert "already exists" in taken.json()["detail"]


def test_unknown_seat_mode_is_a_clear_400(table):
    """An unknown mode is refused with the service's message and no seat is made."""
    response = client_for(table.secretary).post(
        "/api/v1/seats/",
        {"code": "CSTO", "name": "CSTO", "party": "NATO", "mode": "shared"},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Unknown seat mode 'shared'; choose own, institution or rotating."
    )
    assert response.json()["fields"] == {"mode": ["Unknown mode."]}


def test_secretariat_changes_a_seat_arrangement(planned):
    """NATO held by the institution from next quarter: its later terms go."""
    seat = planned.seats["NATO"]
    response = client_for(planned.secretary).post(
        f"/api/v1/seats/{seat.public_id}/arrangement/",
        {"mode": "institution", "effective_from": str(planned.quarter + 1)},
    )
    assert response.status_code == 200
    assert_documented(response)
    assert [a["mode"] for a in response.json()["arrangements"]] == ["rotating", "institution"]
    assert RotationTerm.objects.filter(seat=seat).count() == 1


def test_secretariat_plans_and_swaps(planned):
    """Planning is idempotent over HTTP; a swap is recorded; an ineligible swap is a 400."""
    client = client_for(planned.secretary)
    before = list(RotationTerm.objects.order_by("pk").values_list("pk", "holder_id"))
    again = client.post("/api/v1/rotation/plan/", {"count": 8})
    assert again.status_code == 200
    assert_documented(again)
    assert len(again.json()) == 8 * 3
    assert list(RotationTerm.objects.order_by("pk").values_list("pk", "holder_id")) == before

    term = RotationTerm.objects.get(seat__code="NATO", quarter=str(planned.quarter + 1))
    refused = client.post(
        f"/api/v1/rotation/{term.public_id}/swap/", {"new_holder": "UKR", "reason": "Asked"}
    )
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("Ukraine is not a member of NATO")
    assert not RotationSwap.objects.exists()

    swapped = client.post(
        f"/api/v1/rotation/{term.public_id}/swap/", {"new_holder": "nor", "reason": "Summit"}
    )
    assert swapped.status_code == 200
    assert_documented(swapped)
    assert (swapped.json()["holder"]["code"], swapped.json()["source"]) == ("NOR", "swapped")
    assert RotationSwap.objects.get().reason == "Summit"


def test_overlapping_rotation_term_is_a_400(planned):
    """A term on an occupied place is refused with a clear message."""
    response = client_for(planned.secretary).post(
        "/api/v1/rotation/",
        {"seat": "NATO", "quarter": str(planned.quarter), "holder": "FRA", "position": 1},
    )
    assert response.status_code == 400
    assert "already held by Belgium" in response.json()["detail"]


def test_secretariat_manages_delegation_members(table):
    """Members are added and ended over HTTP; a second delegation at once is a 400."""
    client = client_for(table.secretary)
    person = UserFactory(username="jdupont", first_name="Jean", last_name="Dupont")
    fra = table.delegations["FRA"]
    added = client.post(
        f"/api/v1/delegations/{fra.public_id}/members/", {"username": "jdupont", "role": "head"}
    )
    assert added.status_code == 201
    assert_documented(added)
    assert [m["user"]["full_name"] for m in added.json()["members"]] == ["Jean Dupont"]
    second = client.post(
        f"/api/v1/delegations/{table.delegations['DEU'].public_id}/members/",
        {"username": "jdupont", "role": "expert"},
    )
    assert second.status_code == 400
    assert "one delegation at a time" in second.json()["detail"]

    membership_id = added.json()["members"][0]["id"]
    ended = client.post(f"/api/v1/delegations/{fra.public_id}/members/{membership_id}/end/", {})
    assert ended.status_code == 200
    assert_documented(ended)
    assert ended.json()["members"] == []
    assert not person.groups.filter(name="delegation:FRA").exists()


def test_secretariat_accredits_and_revokes(table):
    """Accreditation with reversed dates is a 400; a valid one is granted, then revoked."""
    table.delegate("UKR", "ukr-head")
    client = client_for(table.secretary)
    url = f"/api/v1/delegations/{table.delegations['UKR'].public_id}/accreditations/"
    now = timezone.now()
    reversed_dates = client.post(
        url,
        {
            "username": "ukr-head",
            "reference": "NV 3",
            "valid_from": now.isoformat(),
            "valid_until": (now - timedelta(days=1)).isoformat(),
        },
    )
    assert reversed_dates.status_code == 400
    assert reversed_dates.json()["detail"] == "An accreditation must end after it starts."
    assert not Accreditation.objects.exists()
    granted = client.post(
        url,
        {
            "username": "ukr-head",
            "reference": "NV 3",
            "valid_from": now.isoformat(),
            "valid_until": (now + timedelta(days=5)).isoformat(),
        },
    )
    assert granted.status_code == 201
    assert_documented(granted)
    revoked = client.post(f"{url}{granted.json()['id']}/revoke/")
    assert revoked.status_code == 200
    assert_documented(revoked)
    assert revoked.json()["revoked_at"] is not None


# Tokens


def test_token_from_username_and_password(table):
    """POST /api/v1/auth/token/ answers a token that authenticates reads."""
    anonymous = client_for()
    response = anonymous.post(
        "/api/v1/auth/token/", {"username": "analyst", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert_documented(response)
    token = response.json()["token"]
    reader = APIClient()
    reader.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert reader.get("/api/v1/parties/").status_code == 200
    write = reader.post("/api/v1/parties/", {"code": "MDA", "kind": "state", "name_en": "M"})
    assert write.status_code == 403


def test_token_refused_for_a_wrong_password(table):
    """Wrong credentials give a 400 and no token."""
    response = client_for().post(
        "/api/v1/auth/token/", {"username": "analyst", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_schema_documents_the_members_endpoints(table):
    """The OpenAPI schema lists the members paths and the token endpoint."""
    schema = client_for(table.analyst).get("/api/schema/", {"format": "json"}).json()
    for path in [
        "/api/v1/parties/",
        "/api/v1/seats/",
        "/api/v1/rotation/",
        "/api/v1/rotation/{id}/swap/",
        "/api/v1/delegations/",
        "/api/v1/auth/token/",
    ]:
        assert path in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/rotation/"]["get"]["parameters"]}
    assert {"quarter", "seat"} <= parameters
