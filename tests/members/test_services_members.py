"""The members services: every write, its refusals, and that a refusal saves nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from consult.access import current_memberships, is_analyst, is_secretariat
from consult.errors import ApplicationError
from consult.quarters import Quarter
from members.models import (
    Accreditation,
    ChairTerm,
    DelegationMembership,
    Party,
    PartyMembership,
    RotationSwap,
    RotationTerm,
    Seat,
    SeatArrangement,
)
from members.services.delegations import (
    accreditation_grant,
    accreditation_revoke,
    delegation_create,
    delegation_member_add,
    delegation_member_end,
)
from members.services.parties import (
    party_create,
    party_membership_add,
    party_membership_end,
    party_update,
)
from members.services.seats import seat_arrangement_set, seat_create
from members.services.terms import (
    chair_plan,
    rotation_plan,
    rotation_term_create,
    rotation_term_swap,
)
from members.services.users import user_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def holders(seat_code: str, quarters: list[Quarter]) -> list[list[str]]:
    terms = RotationTerm.objects.filter(
        seat__code=seat_code, quarter__in=[str(q) for q in quarters]
    )
    by_quarter: dict[str, list[str]] = {str(q): [] for q in quarters}
    for term in terms.order_by("quarter", "position").select_related("holder"):
        by_quarter[term.quarter].append(term.holder.code)
    return list(by_quarter.values())


def term(seat_code: str, quarter: Quarter, position: int = 1) -> RotationTerm:
    return RotationTerm.objects.select_related("holder", "seat").get(
        seat__code=seat_code, quarter=str(quarter), position=position
    )


# Parties


def test_party_create_normalises_the_code(db):
    """A party is created with its code in capitals and its names trimmed."""
    party = party_create(code=" fra ", kind="state", name_en=" France ", name_fr="France")
    assert (party.code, party.name_en) == ("FRA", "France")


@pytest.mark.parametrize(
    ("code", "kind", "message"),
    [
        ("F1", "state", "Codes are 2 to 8 capital letters."),
        ("FRA", "empire", "is not a valid choice"),
    ],
)
def test_party_create_refuses_bad_input(db, code, kind, message):
    """A malformed code or an unknown kind is refused with the field's message."""
    with pytest.raises(ApplicationError, match=message):
        party_create(code=code, kind=kind, name_en="France")
    assert not Party.objects.exists()


def test_party_create_refuses_a_taken_code(table):
    """Two parties cannot share a code."""
    with pytest.raises(ApplicationError, match="already exists"):
        party_create(code="FRA", kind="state", name_en="Another France")


def test_party_update_renames(table):
    """Names change; the code stays."""
    party = party_update(party=table.parties["FRA"], name_ru="Французская Республика")
    party.refresh_from_db()
    assert (party.code, party.name_ru) == ("FRA", "Французская Республика")


def test_party_update_refuses_a_blank_english_name(table):
    """The English name is required."""
    with pytest.raises(ApplicationError, match="cannot be blank"):
        party_update(party=table.parties["FRA"], name_en=" ")
    assert Party.objects.get(code="FRA").name_en == "France"


def test_party_membership_add_and_end(table):
    """A state joins an organisation and later leaves; years are inclusive."""
    membership = party_membership_add(
        member=table.parties["NOR"], organisation=table.parties["EU"], since_year=2030
    )
    party_membership_end(membership=membership, until_year=2031)
    membership.refresh_from_db()
    assert (membership.since_year, membership.until_year) == (2030, 2031)


@pytest.mark.parametrize(
    ("member", "organisation", "since", "until", "message"),
    [
        ("FRA", "DEU", 2000, None, "Germany is not an organisation"),
        ("EU", "NATO", 2000, None, "European Union is not a state"),
        ("NOR", "EU", 2030, 2029, r"cannot end \(2029\) before it starts \(2030\)"),
        ("FRA", "NATO", 1949, None, "France is already a member of NATO"),
    ],
)
def test_party_membership_add_refusals(table, member, organisation, since, until, message):
    """Only states join organisations, once, and not ending before they start."""
    count = PartyMembership.objects.count()
    with pytest.raises(ApplicationError, match=message):
        party_membership_add(
            member=table.parties[member],
            organisation=table.parties[organisation],
            since_year=since,
            until_year=until,
        )
    assert PartyMembership.objects.count() == count


def test_party_membership_end_refusals(table):
    """A membership ends once, and not before it starts."""
    membership = PartyMembership.objects.get(member__code="POL", organisation__code="NATO")
    with pytest.raises(ApplicationError, match=r"cannot end \(1990\) before it starts \(1999\)"):
        party_membership_end(membership=membership, until_year=1990)
    party_membership_end(membership=membership, until_year=2040)
    with pytest.raises(ApplicationError, match="already ended in 2040"):
        party_membership_end(membership=membership, until_year=2041)


# Seats and arrangements


def test_seat_create_sets_its_first_arrangement(table):
    """A new seat comes with its arrangement from the current quarter."""
    csto = party_create(code="CSTO", kind="organisation", name_en="CSTO")
    seat = seat_create(code="csto", name="CSTO", party=csto, mode="institution", is_observer=True)
    arrangement = seat.arrangements.get()
    assert (seat.code, arrangement.mode, arrangement.effective_from) == (
        "CSTO",
        "institution",
        str(Quarter.current()),
    )


def test_seat_create_refuses_an_unknown_mode_and_saves_nothing(table):
    """An unknown mode is refused by name, and no seat is left behind."""
    csto = party_create(code="CSTO", kind="organisation", name_en="CSTO")
    with pytest.raises(
        ApplicationError, match="Unknown seat mode 'shared'; choose own, institution"
    ):
        seat_create(code="CSTO", name="CSTO", party=csto, mode="shared")
    assert not Seat.objects.filter(code="CSTO").exists()


def test_seat_create_refuses_a_taken_code(table):
    """Seat codes are unique."""
    with pytest.raises(ApplicationError, match="already exists"):
        seat_create(code="USA", name="Again", party=table.parties["USA"], mode="own")


@pytest.mark.parametrize(
    ("seat", "values", "message"),
    [
        ("NATO", {"mode": "elected"}, "Unknown seat mode 'elected'"),
        ("NATO", {"mode": "rotating", "holders_per_term": 3}, "1 or 2 holders per term"),
        ("NATO", {"mode": "institution", "holders_per_term": 2}, "Only a seat held on rotation"),
        ("NATO", {"mode": "own"}, "is an organisation"),
        ("USA", {"mode": "rotating"}, "is a state"),
        ("NATO", {"mode": "rotating", "rotation_order": "de"}, "Unknown rotation order 'de'"),
    ],
)
def test_seat_arrangement_set_refusals(table, seat, values, message):
    """Impossible arrangements are refused with a clear message and nothing changes."""
    count = SeatArrangement.objects.count()
    with pytest.raises(ApplicationError, match=message):
        seat_arrangement_set(seat=table.seats[seat], effective_from=table.quarter + 1, **values)
    assert SeatArrangement.objects.count() == count


def test_seat_arrangement_set_refuses_a_past_quarter(table):
    """An arrangement cannot rewrite a past quarter."""
    with pytest.raises(ApplicationError, match="is past"):
        seat_arrangement_set(
            seat=table.seats["NATO"], mode="institution", effective_from=table.quarter - 1
        )


def test_seat_held_by_the_institution_loses_its_planned_terms(table):
    """Changing NATO to the institution from a quarter removes the rotation from then on."""
    quarters = table.quarter.following(4)
    rotation_plan(start=table.quarter, count=4)
    seat_arrangement_set(seat=table.seats["NATO"], mode="institution", effective_from=quarters[2])
    assert holders("NATO", quarters) == [["BEL"], ["FRA"], [], []]


def test_seat_arrangement_with_fewer_holders_replans(table):
    """The EU going from two holders to one re-plans the planned quarters with one each."""
    quarters = table.quarter.following(3)
    rotation_plan(start=table.quarter, count=3)
    assert holders("EU", quarters) == [["AUT", "BEL"], ["FRA", "DEU"], ["POL", "ESP"]]
    seat_arrangement_set(
        seat=table.seats["EU"], mode="rotating", holders_per_term=1, effective_from=quarters[1]
    )
    assert holders("EU", quarters) == [["AUT", "BEL"], ["FRA"], ["DEU"]]


def test_seat_arrangement_in_french_order(table):
    """In French order, Allemagne (Germany) comes first."""
    seat_arrangement_set(
        seat=table.seats["NATO"], mode="rotating", rotation_order="fr", effective_from=table.quarter
    )
    rotation_plan(start=table.quarter, count=3)
    assert holders("NATO", table.quarter.following(3)) == [["DEU"], ["BEL"], ["ESP"]]


# Rotation


def test_rotation_plan_follows_the_order_among_eligible_members(table):
    """NATO's turn passes alphabetically through its members, never to the US (own seat)."""
    quarters = table.quarter.following(8)
    rotation_plan(start=table.quarter, count=8)
    assert holders("NATO", quarters) == [
        ["BEL"],
        ["FRA"],
        ["DEU"],
        ["NOR"],
        ["POL"],
        ["ESP"],
        ["BEL"],
        ["FRA"],
    ]
    assert holders("EU", quarters)[:3] == [["AUT", "BEL"], ["FRA", "DEU"], ["POL", "ESP"]]
    assert not RotationTerm.objects.filter(seat__code__in=["USA", "RUS"]).exists()


def test_rotation_plan_is_idempotent(table):
    """Planning again changes no term."""
    rotation_plan(start=table.quarter, count=8)
    before = list(RotationTerm.objects.order_by("pk").values())
    rotation_plan(start=table.quarter, count=8)
    rotation_plan(start=table.quarter + 2, count=4)
    assert list(RotationTerm.objects.order_by("pk").values()) == before


def test_rotation_plan_takes_in_a_new_member_when_it_joins(table):
    """A state that joins later takes its turn only from its year of membership."""
    party_membership_add(
        member=table.parties["AUT"],
        organisation=table.parties["NATO"],
        since_year=(table.quarter + 4).year,
    )
    quarters = table.quarter.following(12)
    rotation_plan(start=table.quarter, count=12)
    planned = holders("NATO", quarters)
    joined = (table.quarter + 4).year
    for quarter, codes in zip(quarters, planned, strict=True):
        if "AUT" in codes:
            assert quarter.year >= joined
    assert ["AUT"] in planned


def test_rotation_plan_refuses_an_unreasonable_horizon(table):
    """Between 1 and 40 quarters are planned at a time."""
    with pytest.raises(ApplicationError, match="between 1 and 40"):
        rotation_plan(start=table.quarter, count=0)


def test_swap_is_recorded_and_kept_on_replanning(table):
    """A swap is recorded; the replaced party sits next and the swapped-in one waits."""
    quarters = table.quarter.following(8)
    rotation_plan(start=table.quarter, count=8)
    swapped = rotation_term_swap(
        term=term("NATO", quarters[1]),
        new_holder=table.parties["NOR"],
        reason="Norway hosts the summit that quarter.",
        swapped_by=table.secretary,
    )
    assert swapped.source == RotationTerm.Source.SWAPPED
    record = RotationSwap.objects.get()
    assert (record.previous_holder.code, record.new_holder.code, record.quarter) == (
        "FRA",
        "NOR",
        str(quarters[1]),
    )
    expected = [["BEL"], ["NOR"], ["FRA"], ["DEU"], ["POL"], ["ESP"], ["BEL"], ["FRA"]]
    assert holders("NATO", quarters) == expected
    rotation_plan(start=table.quarter, count=8)
    assert holders("NATO", quarters) == expected
    assert term("NATO", quarters[1]).source == RotationTerm.Source.SWAPPED


@pytest.mark.parametrize(
    ("new_holder", "message"),
    [
        ("AUT", "Austria is not a member of NATO in"),
        ("UKR", "Ukraine is not a member of NATO in"),
        ("USA", "United States sits in a seat of its own in"),
        ("FRA", "France already holds this term"),
    ],
)
def test_swap_refuses_parties_that_may_not_hold_the_seat(table, new_holder, message):
    """Only another eligible member may take the term; nothing is recorded otherwise."""
    rotation_plan(start=table.quarter, count=4)
    target = term("NATO", table.quarter + 1)
    with pytest.raises(ApplicationError, match=message):
        rotation_term_swap(
            term=target,
            new_holder=table.parties[new_holder],
            reason="Request",
            swapped_by=table.secretary,
        )
    assert not RotationSwap.objects.exists()
    assert term("NATO", table.quarter + 1).holder.code == "FRA"


def test_swap_refuses_the_other_holder_of_the_quarter(table):
    """A party already holding the other EU place that quarter cannot take this one too."""
    rotation_plan(start=table.quarter, count=2)
    with pytest.raises(ApplicationError, match="Belgium already holds the other place"):
        rotation_term_swap(
            term=term("EU", table.quarter, 1),
            new_holder=table.parties["BEL"],
            reason="Request",
            swapped_by=table.secretary,
        )


def test_swap_needs_a_reason_and_the_secretariat(table):
    """A swap without a reason, or by someone else than the secretariat, is refused."""
    rotation_plan(start=table.quarter, count=2)
    target = term("NATO", table.quarter)
    with pytest.raises(ApplicationError, match="Give the reason"):
        rotation_term_swap(
            term=target, new_holder=table.parties["NOR"], reason=" ", swapped_by=table.secretary
        )
    with pytest.raises(PermissionDenied):
        rotation_term_swap(
            term=target, new_holder=table.parties["NOR"], reason="x", swapped_by=table.analyst
        )
    assert not RotationSwap.objects.exists()


def test_swap_refuses_a_past_quarter(table):
    """Past terms are history."""
    past = RotationTerm.objects.create(
        seat=table.seats["NATO"],
        quarter=str(table.quarter - 1),
        holder=table.parties["BEL"],
    )
    with pytest.raises(ApplicationError, match="is past"):
        rotation_term_swap(
            term=past, new_holder=table.parties["NOR"], reason="x", swapped_by=table.secretary
        )


def test_rotation_term_create_assigns_a_free_place(table):
    """A term assigned by hand takes the first free place and survives re-planning."""
    quarter = table.quarter + 2
    created = rotation_term_create(
        seat=table.seats["NATO"], quarter=quarter, holder=table.parties["POL"]
    )
    assert (created.position, created.source) == (1, RotationTerm.Source.ASSIGNED)
    rotation_plan(start=table.quarter, count=4)
    assert holders("NATO", [quarter]) == [["POL"]]


@pytest.mark.parametrize(
    ("seat", "holder", "position", "message"),
    [
        ("NATO", "FRA", 1, "Place 1 on NATO in .* is already held by Belgium"),
        ("NATO", "BEL", None, "Belgium already holds NATO in"),
        ("NATO", "FRA", None, "All 1 places on NATO"),
        ("EU", "FRA", 3, "position 3 does not exist"),
        ("NATO", "AUT", 2, "position 2 does not exist"),
        ("USA", "USA", None, "United States is not held on rotation"),
    ],
)
def test_rotation_term_create_refuses_overlaps(table, seat, holder, position, message):
    """An occupied place, a second term for the same holder, or a non-rotating seat is refused."""
    rotation_plan(start=table.quarter, count=1)
    count = RotationTerm.objects.count()
    with pytest.raises(ApplicationError, match=message):
        rotation_term_create(
            seat=table.seats[seat],
            quarter=table.quarter,
            holder=table.parties[holder],
            position=position,
        )
    assert RotationTerm.objects.count() == count


def test_rotation_term_create_refuses_an_ineligible_party(table):
    """A party that is not a member of the seat's organisation gets no term."""
    with pytest.raises(ApplicationError, match="Ukraine is not a member of EU"):
        rotation_term_create(
            seat=table.seats["EU"], quarter=table.quarter + 1, holder=table.parties["UKR"]
        )
    with pytest.raises(ApplicationError, match="is not a quarter; write it as 2027Q1"):
        rotation_term_create(seat=table.seats["EU"], quarter="next", holder=table.parties["FRA"])
    assert not RotationTerm.objects.exists()


def test_chair_plan_rotates_through_the_non_observer_seats(table):
    """The chair passes alphabetically through the seats; observers never chair."""
    csto = party_create(code="CSTO", kind="organisation", name_en="Collective")
    seat_create(code="CSTO", name="CSTO", party=csto, mode="institution", is_observer=True)
    quarters = table.quarter.following(6)
    chair_plan(start=table.quarter, count=6)
    chairs = list(ChairTerm.objects.order_by("quarter").values_list("seat__code", flat=True))
    assert chairs == ["EU", "NATO", "RUS", "USA", "EU", "NATO"]
    chair_plan(start=quarters[2], count=4)
    assert (
        list(ChairTerm.objects.order_by("quarter").values_list("seat__code", flat=True)) == chairs
    )


# Delegations


def test_delegation_create_makes_its_group(table):
    """Each delegation owns a group named after its party."""
    party = party_create(code="MDA", kind="state", name_en="Moldova")
    delegation = delegation_create(party=party, is_standing=False)
    assert delegation.group.name == "delegation:MDA"
    with pytest.raises(ApplicationError, match="Moldova already has a delegation"):
        delegation_create(party=party)


def test_member_add_gives_access_and_group(table):
    """A new member of a standing delegation reads at once and joins its group."""
    user = UserFactory()
    delegation_member_add(delegation=table.delegations["FRA"], user=user, role="deputy")
    assert [m.delegation.party.code for m in current_memberships(user)] == ["FRA"]
    assert user.groups.filter(name="delegation:FRA").exists()


def test_member_in_two_delegations_at_once_is_refused(table):
    """A delegate belongs to one delegation at a time; nothing is saved on refusal."""
    user = UserFactory(first_name="Jean", last_name="Dupont")
    delegation_member_add(delegation=table.delegations["FRA"], user=user, role="expert")
    with pytest.raises(
        ApplicationError,
        match="Jean Dupont is already a member of the delegation of France for those dates",
    ):
        delegation_member_add(delegation=table.delegations["DEU"], user=user, role="expert")
    assert DelegationMembership.objects.filter(user=user).count() == 1
    assert not user.groups.filter(name="delegation:DEU").exists()


def test_member_may_change_delegation_once_the_first_membership_ends(table):
    """Consecutive memberships of different delegations are allowed."""
    user = UserFactory()
    now = timezone.now()
    delegation_member_add(
        delegation=table.delegations["FRA"],
        user=user,
        role="expert",
        valid_from=now - timedelta(days=30),
        valid_until=now,
    )
    delegation_member_add(
        delegation=table.delegations["DEU"], user=user, role="expert", valid_from=now
    )
    assert [m.delegation.party.code for m in current_memberships(user)] == ["DEU"]


@pytest.mark.parametrize(
    ("role", "ends_in_days", "message"),
    [
        ("chancellor", None, "Unknown role 'chancellor'"),
        ("expert", -1, "must end after it starts"),
        ("head", None, r"already has a head \(Paul Head\)"),
    ],
)
def test_member_add_refusals(table, role, ends_in_days, message):
    """Unknown roles, reversed dates and a second head are refused."""
    head = UserFactory(first_name="Paul", last_name="Head")
    delegation_member_add(delegation=table.delegations["FRA"], user=head, role="head")
    user = UserFactory()
    now = timezone.now()
    with pytest.raises(ApplicationError, match=message):
        delegation_member_add(
            delegation=table.delegations["FRA"],
            user=user,
            role=role,
            valid_from=now,
            valid_until=now + timedelta(days=ends_in_days) if ends_in_days else None,
        )
    assert not DelegationMembership.objects.filter(user=user).exists()


def test_member_end_removes_access_at_once(table):
    """Ending a membership ends access on the next request and leaves the group."""
    user = table.delegate("FRA", "fra-head")
    membership = DelegationMembership.objects.get(user=user)
    delegation_member_end(membership=membership)
    assert not current_memberships(user).exists()
    assert not user.groups.filter(name="delegation:FRA").exists()
    with pytest.raises(ApplicationError, match="already ended"):
        delegation_member_end(membership=membership)


def test_member_end_refuses_a_date_before_the_start(table):
    """A membership cannot end before it starts."""
    user = table.delegate("FRA", "fra-head")
    membership = DelegationMembership.objects.get(user=user)
    with pytest.raises(ApplicationError, match="cannot end before it starts"):
        delegation_member_end(membership=membership, at=membership.valid_from - timedelta(days=1))
    membership.refresh_from_db()
    assert membership.valid_until is None


def test_accreditation_gives_and_revocation_takes_access(table):
    """A Ukrainian delegate reads only while accredited; revocation ends it at once."""
    user = table.delegate("UKR", "ukr-head")
    assert not current_memberships(user).exists()
    now = timezone.now()
    accreditation = accreditation_grant(
        delegation=table.delegations["UKR"],
        user=user,
        reference="Note verbale 12/2027",
        valid_from=now - timedelta(hours=1),
        valid_until=now + timedelta(days=7),
        accredited_by=table.secretary,
    )
    assert [m.delegation.party.code for m in current_memberships(user)] == ["UKR"]
    accreditation_revoke(accreditation=accreditation, revoked_by=table.secretary)
    assert not current_memberships(user).exists()
    accreditation.refresh_from_db()
    assert accreditation.revoked_by == table.secretary
    with pytest.raises(ApplicationError, match="already revoked"):
        accreditation_revoke(accreditation=accreditation, revoked_by=table.secretary)


@pytest.mark.parametrize(
    ("delegation", "member", "reference", "days", "message"),
    [
        ("UKR", True, "NV 1", -1, "must end after it starts"),
        ("UKR", True, "NV 1", 0, "must end after it starts"),
        ("FRA", True, "NV 1", 7, "delegation of France is standing"),
        ("UKR", False, "NV 1", 7, "is not a member of the delegation of Ukraine"),
        ("UKR", True, "  ", 7, "Give the note verbale"),
    ],
)
def test_accreditation_grant_refusals(table, delegation, member, reference, days, message):
    """Reversed dates, standing delegations, non-members and missing notes are refused."""
    user = table.delegate(delegation, "someone") if member else UserFactory()
    now = timezone.now()
    with pytest.raises(ApplicationError, match=message):
        accreditation_grant(
            delegation=table.delegations[delegation],
            user=user,
            reference=reference,
            valid_from=now,
            valid_until=now + timedelta(days=days),
            accredited_by=table.secretary,
        )
    assert not Accreditation.objects.exists()


def test_accreditation_is_the_secretariats(table):
    """Only the secretariat accredits or revokes."""
    user = table.delegate("UKR", "ukr-head")
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        accreditation_grant(
            delegation=table.delegations["UKR"],
            user=user,
            reference="NV",
            valid_from=now,
            valid_until=now + timedelta(days=1),
            accredited_by=user,
        )


# Users


def test_user_create_for_each_role(table):
    """Secretariat staff get the admin and its permissions; analysts their group."""
    assert is_secretariat(table.secretary)
    assert table.secretary.is_staff
    assert table.secretary.has_perm("members.add_delegationmembership")
    assert not table.secretary.has_perm("auth.change_user")
    assert is_analyst(table.analyst)
    assert not table.analyst.is_staff


@pytest.mark.parametrize(
    ("username", "password", "roles", "message"),
    [
        ("new", "a-long-test-password-42", ["president"], "Unknown role 'president'"),
        ("SECRETARY", "a-long-test-password-42", [], "The username 'SECRETARY' is taken"),
        ("new", "123", [], "This password is too short"),
        (" ", None, [], "Give a username"),
    ],
)
def test_user_create_refusals(table, username, password, roles, message):
    """Unknown roles, taken usernames and weak passwords are refused; no account is made."""
    count = get_user_model().objects.count()
    with pytest.raises(ApplicationError, match=message):
        user_create(
            username=username, first_name="N", last_name="N", password=password, roles=roles
        )
    assert get_user_model().objects.count() == count
