"""The members selectors other apps rely on: seat-holders, troika, delegation users."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from consult.quarters import Quarter
from members.models import DelegationMembership
from members.selectors.delegations import delegation_users
from members.selectors.parties import party_title
from members.selectors.rotation import chair_troika
from members.selectors.seats import seat_holder_parties
from members.selectors.users import user_roles
from members.services.delegations import accreditation_grant, delegation_member_end
from members.services.parties import party_create
from members.services.seats import seat_create
from members.services.terms import chair_plan, rotation_plan
from tests.factories import (
    ChairTermFactory,
    PartyFactory,
    PartyMembershipFactory,
    RotationTermFactory,
    SeatArrangementFactory,
    SeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(table):
    rotation_plan(start=table.quarter, count=8)
    chair_plan(start=table.quarter, count=8)
    return table


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_seat_holder_parties_are_the_seats_and_their_holders(planned):
    """Own and institutional seats sit with their party; rotating ones with it and the holders."""
    assert codes(seat_holder_parties(quarter=planned.quarter)) == {
        "USA",
        "RUS",
        "NATO",
        "EU",
        "BEL",
        "AUT",
    }
    assert codes(seat_holder_parties(quarter=planned.quarter + 1)) == {
        "USA",
        "RUS",
        "NATO",
        "EU",
        "FRA",
        "DEU",
    }


def test_observers_and_future_seats_do_not_sit(planned):
    """An observer seat never sits; a seat whose arrangement starts later sits from then."""
    csto = party_create(code="CSTO", kind="organisation", name_en="CSTO")
    seat_create(code="CSTO", name="CSTO", party=csto, mode="institution", is_observer=True)
    moldova = party_create(code="MDA", kind="state", name_en="Moldova")
    seat_create(
        code="MDA", name="Moldova", party=moldova, mode="own", effective_from=planned.quarter + 2
    )
    assert "CSTO" not in codes(seat_holder_parties(quarter=planned.quarter))
    assert "MDA" not in codes(seat_holder_parties(quarter=planned.quarter + 1))
    assert "MDA" in codes(seat_holder_parties(quarter=planned.quarter + 2))


def test_troika_is_previous_current_next(planned):
    """The troika of the first planned quarter has no previous chair yet."""
    first = chair_troika(quarter=planned.quarter)
    assert first[0] is None
    assert [chair.seat.code for chair in first[1:] if chair] == ["EU", "NATO"]
    assert [chair.seat.code for chair in chair_troika(quarter=planned.quarter + 1) if chair] == [
        "EU",
        "NATO",
        "RUS",
    ]


def test_delegation_users_follow_dates_and_accreditation(planned):
    """Current members of standing delegations, and accredited members of the others."""
    usa = planned.delegate("USA", "usa-head")
    ukr = planned.delegate("UKR", "ukr-head")
    former = planned.delegate("RUS", "rus-head")
    delegation_member_end(membership=DelegationMembership.objects.get(user=former))
    inactive = planned.delegate("USA", "usa-expert", role="expert")
    inactive.is_active = False
    inactive.save()
    party_ids = [planned.parties[code].pk for code in ["USA", "UKR", "RUS"]]
    assert set(delegation_users(party_ids=party_ids)) == {usa}
    now = timezone.now()
    accreditation_grant(
        delegation=planned.delegations["UKR"],
        user=ukr,
        reference="NV",
        valid_from=now - timedelta(hours=1),
        valid_until=now + timedelta(days=2),
        accredited_by=planned.secretary,
    )
    assert set(delegation_users(party_ids=party_ids)) == {usa, ukr}
    assert set(delegation_users(party_ids=party_ids, at=now + timedelta(days=3))) == {usa}
    assert set(delegation_users(party_ids=seat_holder_parties(quarter=planned.quarter))) == {usa}


def test_user_roles(planned):
    """Roles read from groups and current memberships."""
    delegate = planned.delegate("FRA", "fra-head")
    assert user_roles(user=planned.secretary).is_secretariat
    assert user_roles(user=planned.analyst).is_analyst
    roles = user_roles(user=delegate)
    assert roles.is_delegate
    assert [d.party.code for d in roles.delegations] == ["FRA"]
    assert not user_roles(user=UserFactory()).is_delegate


def test_party_title_reads_after_of(planned):
    """Names that take an article get one: "the United States", "Russia", "the European Union"."""
    assert party_title(planned.parties["USA"]) == "the United States"
    assert party_title(planned.parties["RUS"]) == "Russia"
    assert party_title(planned.parties["EU"]) == "the European Union"


def test_selectors_read_stored_terms_whatever_planned_them(db):
    """A stored term makes its holder a seat-holder; stored chairs make the troika."""
    quarter = Quarter.current()
    organisation = PartyFactory(code="ORG", kind="organisation")
    member = PartyMembershipFactory(organisation=organisation).member
    seat = SeatFactory(party=organisation)
    SeatArrangementFactory(seat=seat, mode="rotating")
    RotationTermFactory(seat=seat, quarter=str(quarter), holder=member)
    ChairTermFactory(quarter=str(quarter + 1), seat=seat)
    assert codes(seat_holder_parties(quarter=quarter)) == {"ORG", member.code}
    assert codes(seat_holder_parties(quarter=quarter + 1)) == {"ORG"}
    assert [chair and chair.seat.code for chair in chair_troika(quarter=quarter)] == [
        None,
        None,
        "ORG",
    ]
