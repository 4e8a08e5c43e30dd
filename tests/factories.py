"""factory_boy factories shared by every app's tests; add yours below the others."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeVar

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from agenda.models import Agenda, AgendaItem, Session
from agenda.services.sessions import session_quarter
from consult.access import ANALYST_GROUP, SECRETARIAT_GROUP, Distribution
from consult.quarters import Quarter
from members.models import (
    Accreditation,
    ChairTerm,
    Delegation,
    DelegationMembership,
    Party,
    PartyMembership,
    RotationTerm,
    Seat,
    SeatArrangement,
)

PASSWORD = "a-long-test-password-42"

T = TypeVar("T")


class ModelFactory(factory.django.DjangoModelFactory[T]):
    """Calling a factory returns the model instance; this tells mypy so."""

    class Meta:
        abstract = True

    # Never runs: factory_boy's metaclass answers the call. Only the return type matters.
    def __new__(cls, *args: Any, **kwargs: Any) -> T:  # type: ignore[misc]
        raise NotImplementedError


class UserFactory(ModelFactory[Any]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(user: Any, create: bool, names: list[str] | None, **kwargs: object) -> None:
        for name in names or ():
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            user.save()


def secretariat_user(username: str = "secretary") -> Any:
    return UserFactory(username=username, is_staff=True, groups=[SECRETARIAT_GROUP])


def analyst_user(username: str = "analyst") -> Any:
    return UserFactory(username=username, groups=[ANALYST_GROUP])


class PartyFactory(ModelFactory[Party]):
    class Meta:
        model = Party
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: "P" + "".join(chr(65 + int(d)) for d in f"{n:03d}"))
    kind = Party.Kind.STATE
    name_en = factory.LazyAttribute(lambda party: f"Party {party.code}")


class DelegationFactory(ModelFactory[Delegation]):
    class Meta:
        model = Delegation
        django_get_or_create = ("party",)

    party = factory.SubFactory(PartyFactory)
    # Named as members.services.delegation_create names it.
    group = factory.LazyAttribute(
        lambda delegation: Group.objects.get_or_create(name=f"delegation:{delegation.party.code}")[
            0
        ]
    )
    is_standing = True


class MembershipFactory(ModelFactory[DelegationMembership]):
    class Meta:
        model = DelegationMembership

    delegation = factory.SubFactory(DelegationFactory)
    user = factory.SubFactory(UserFactory)
    role = DelegationMembership.Role.HEAD
    valid_from = factory.LazyFunction(lambda: timezone.now() - timedelta(days=365))
    valid_until = None


class AccreditationFactory(ModelFactory[Accreditation]):
    class Meta:
        model = Accreditation

    delegation = factory.SubFactory(DelegationFactory, is_standing=False)
    user = factory.SubFactory(UserFactory)
    reference = factory.Sequence(lambda n: f"Note verbale {n}")
    valid_from = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    valid_until = factory.LazyFunction(lambda: timezone.now() + timedelta(days=60))
    accredited_by = factory.SubFactory(UserFactory)


def delegate(party: Party, username: str | None = None, *, standing: bool = True) -> Any:
    """A user who is a current member of ``party``'s delegation (accredited when not standing)."""
    delegation = DelegationFactory(party=party, is_standing=standing)
    user = UserFactory(username=username or f"{party.code.lower()}-delegate")
    MembershipFactory(delegation=delegation, user=user)
    if not standing:
        AccreditationFactory(delegation=delegation, user=user)
    return user


class SeatFactory(ModelFactory[Seat]):
    class Meta:
        model = Seat
        django_get_or_create = ("code",)

    party = factory.SubFactory(PartyFactory)
    code = factory.LazyAttribute(lambda seat: seat.party.code)
    name = factory.LazyAttribute(lambda seat: seat.party.name_en)
    order = factory.Sequence(lambda n: n)


class SeatArrangementFactory(ModelFactory[SeatArrangement]):
    class Meta:
        model = SeatArrangement
        django_get_or_create = ("seat", "effective_from")

    seat = factory.SubFactory(SeatFactory)
    mode = SeatArrangement.Mode.OWN
    effective_from = "2020Q1"


def seat_for(party: Party, *, mode: str = SeatArrangement.Mode.OWN) -> Seat:
    """A standing (non-observer) seat held by ``party`` itself from 2020 on."""
    seat = SeatFactory(party=party)
    SeatArrangementFactory(seat=seat, mode=mode)
    return seat


class SessionFactory(ModelFactory[Session]):
    class Meta:
        model = Session

    kind = Session.Kind.EXTRAORDINARY
    number = factory.Sequence(lambda n: f"CCB/T/X{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + timedelta(hours=6))
    venue = "Hofburg, Vienna"
    venue_timezone = "Europe/Vienna"
    # As the services file it: the quarter of the first day at the venue.
    quarter = factory.LazyAttribute(
        lambda session: str(
            session_quarter(starts_at=session.starts_at, venue_timezone=session.venue_timezone)
        )
    )
    status = Session.Status.SCHEDULED
    distribution = Distribution.PARTICIPANTS


class AgendaFactory(ModelFactory[Agenda]):
    class Meta:
        model = Agenda
        django_get_or_create = ("session",)

    session = factory.SubFactory(SessionFactory)


class AgendaItemFactory(ModelFactory[AgendaItem]):
    class Meta:
        model = AgendaItem

    agenda = factory.SubFactory(AgendaFactory)
    session = factory.SelfAttribute("agenda.session")
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Item {n}")
    kind = AgendaItem.Kind.CRISIS_REVIEW
    distribution = Distribution.PARTICIPANTS


class PartyMembershipFactory(ModelFactory[PartyMembership]):
    """A state's membership of an organisation (since 2000 unless told)."""

    class Meta:
        model = PartyMembership
        django_get_or_create = ("member", "organisation")

    member = factory.SubFactory(PartyFactory)
    organisation = factory.SubFactory(PartyFactory, kind=Party.Kind.ORGANISATION)
    since_year = 2000


class RotationTermFactory(ModelFactory[RotationTerm]):
    """A term as stored; plan real rotations with members.services.rotation_plan."""

    class Meta:
        model = RotationTerm

    seat = factory.SubFactory(SeatFactory)
    quarter = factory.LazyFunction(lambda: str(Quarter.current()))
    position = 1
    holder = factory.SubFactory(PartyFactory)


class ChairTermFactory(ModelFactory[ChairTerm]):
    class Meta:
        model = ChairTerm
        django_get_or_create = ("quarter",)

    quarter = factory.LazyFunction(lambda: str(Quarter.current()))
    seat = factory.SubFactory(SeatFactory)
