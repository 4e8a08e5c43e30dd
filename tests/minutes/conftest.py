"""A small table for the record's tests.

Seat-holders this quarter: the United States, Russia, NATO, the EU (rotating,
held by France). Ukraine is invited ad hoc to item 3 only; the CSTO observes
(an observer seat); Germany is invited as a member without a seat. Item 2 is
under the Chatham House rule. Grants are made as the invitation services
make them (direct-FK group grants on the session and item).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from agenda.models import (
    Agenda,
    AgendaItem,
    AgendaItemGrant,
    Invitation,
    Session,
    SessionGrant,
)
from consult.access import (
    ATTEND_ITEM,
    ATTEND_SESSION,
    SECRETARIAT_GROUP,
    SIT_SESSION,
    VIEW_SESSION,
)
from consult.quarters import Quarter
from members.models import (
    Accreditation,
    Delegation,
    DelegationMembership,
    Party,
    PartyMembership,
    RotationTerm,
    Seat,
    SeatArrangement,
)
from minutes import services
from minutes.models import Communique, Minutes


@dataclass
class World:
    session: Session
    items: list[AgendaItem]
    parties: dict[str, Party]
    users: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def chatham(self) -> AgendaItem:
        return self.items[1]

    def user(self, name: str) -> Any:
        return self.users[name]


def _user(username: str, *, first: str, last: str, groups: tuple[str, ...] = (), **fields: Any):
    # No password: tests log in with force_login, and hashing is slow by design.
    user = get_user_model().objects.create_user(
        username, first_name=first, last_name=last, **fields
    )
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def _grant(
    model: type, grant_model: type[models.Model], target: Any, group: Group, codename: str
) -> None:
    permission = Permission.objects.get(
        content_type=ContentType.objects.get_for_model(model), codename=codename
    )
    grant_model._default_manager.create(content_object=target, group=group, permission=permission)


def build_world(
    *, number: str = "CCB/T/1", starts_at=None, quarter: Quarter | None = None
) -> World:
    now = timezone.now()
    starts_at = starts_at or now - timedelta(days=2)
    quarter = quarter or Quarter.of(starts_at)
    specs = [
        ("USA", "state", "United States of America"),
        ("RUS", "state", "Russian Federation"),
        ("NATO", "organisation", "North Atlantic Treaty Organization"),
        ("EU", "organisation", "European Union"),
        ("FRA", "state", "France"),
        ("DEU", "state", "Germany"),
        ("UKR", "state", "Ukraine"),
        ("CSTO", "organisation", "Collective Security Treaty Organization"),
    ]
    parties = {
        code: Party.objects.get_or_create(code=code, defaults={"kind": kind, "name_en": name})[0]
        for code, kind, name in specs
    }
    PartyMembership.objects.get_or_create(
        member=parties["FRA"], organisation=parties["EU"], defaults={"since_year": 1993}
    )
    seats = {}
    for order, (code, mode) in enumerate(
        [("USA", "own"), ("RUS", "own"), ("NATO", "institution"), ("EU", "rotating")], start=1
    ):
        seat, _ = Seat.objects.get_or_create(
            code=code,
            defaults={"name": parties[code].name_en, "party": parties[code], "order": order},
        )
        SeatArrangement.objects.get_or_create(
            seat=seat, effective_from="2000Q1", defaults={"mode": mode}
        )
        seats[code] = seat
    RotationTerm.objects.get_or_create(
        seat=seats["EU"], quarter=str(quarter), position=1, defaults={"holder": parties["FRA"]}
    )
    csto_seat, _ = Seat.objects.get_or_create(
        code="CSTO",
        defaults={
            "name": "CSTO (observer)",
            "party": parties["CSTO"],
            "is_observer": True,
            "order": 9,
        },
    )
    SeatArrangement.objects.get_or_create(
        seat=csto_seat, effective_from="2000Q1", defaults={"mode": "institution"}
    )

    users: dict[str, Any] = {}
    if not get_user_model().objects.filter(username="sec").exists():
        users["sec"] = _user(
            "sec", first="Sam", last="Secretary", groups=(SECRETARIAT_GROUP,), is_staff=True
        )
        users["outsider"] = _user("outsider", first="Olga", last="Outsider")
    else:
        users["sec"] = get_user_model().objects.get(username="sec")
        users["outsider"] = get_user_model().objects.get(username="outsider")
    people = {
        "USA": ("us", "Ursula", "Statesman"),
        "RUS": ("ru", "Roman", "Volkov"),
        "NATO": ("nato", "Nils", "Allied"),
        "EU": ("eu", "Eva", "Union"),
        "FRA": ("fr", "Francois", "Dupont"),
        "DEU": ("de", "Dieter", "Schmidt"),
        "UKR": ("ua", "Ulyana", "Shevchenko"),
        "CSTO": ("csto", "Chingiz", "Observer"),
    }
    for code, (username, first, last) in people.items():
        standing = code not in ("UKR", "CSTO")
        delegation = Delegation.objects.filter(party=parties[code]).first()
        if delegation is None:
            delegation = Delegation.objects.create(
                party=parties[code],
                group=Group.objects.create(name=f"delegation-{code}"),
                is_standing=standing,
            )
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            user = _user(username, first=first, last=last)
            DelegationMembership.objects.create(
                delegation=delegation,
                user=user,
                role="head",
                valid_from=now - timedelta(days=2000),
            )
            if not standing:
                Accreditation.objects.create(
                    delegation=delegation,
                    user=user,
                    reference="NV/1",
                    valid_from=now - timedelta(days=30),
                    valid_until=now + timedelta(days=30),
                    accredited_by=users["sec"],
                )
        users[username] = user

    session = Session.objects.create(
        number=number,
        kind="regular",
        quarter=str(quarter),
        title="Quarterly consultation",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=8),
        venue="Vienna",
        status="held",
        chair=seats["USA"],
    )
    agenda = Agenda.objects.create(session=session, status="adopted")
    items = [
        AgendaItem.objects.create(
            agenda=agenda, session=session, order=1, title="Baltic airspace", kind="crisis_review"
        ),
        AgendaItem.objects.create(
            agenda=agenda,
            session=session,
            order=2,
            title="Nuclear signalling",
            kind="norms",
            chatham_house=True,
        ),
        AgendaItem.objects.create(
            agenda=agenda, session=session, order=3, title="Black Sea corridor", kind="off_ramps"
        ),
    ]
    for code in ("USA", "RUS", "NATO", "EU", "FRA", "DEU"):
        Invitation.objects.create(
            session=session, party=parties[code], kind="member", status="accepted"
        )
        group = parties[code].delegation.group
        _grant(Session, SessionGrant, session, group, ATTEND_SESSION)
        if code != "DEU":
            _grant(Session, SessionGrant, session, group, SIT_SESSION)
    Invitation.objects.create(
        session=session, party=parties["CSTO"], kind="observer", status="accepted"
    )
    _grant(Session, SessionGrant, session, parties["CSTO"].delegation.group, ATTEND_SESSION)
    Invitation.objects.create(
        session=session, item=items[2], party=parties["UKR"], kind="ad_hoc", status="accepted"
    )
    _grant(Session, SessionGrant, session, parties["UKR"].delegation.group, VIEW_SESSION)
    _grant(AgendaItem, AgendaItemGrant, items[2], parties["UKR"].delegation.group, ATTEND_ITEM)
    return World(session=session, items=items, parties=parties, users=users)


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def attend(world):
    """Minutes with every invited party attending; returns the minutes."""

    def make(*codes: str) -> Minutes:
        minutes = Minutes.objects.filter(session=world.session).first() or services.minutes_create(
            session=world.session, user=world.user("sec")
        )
        for code in codes or ("USA", "RUS", "NATO", "EU", "FRA", "DEU", "UKR", "CSTO"):
            party = world.parties[code]
            delegates = list(
                get_user_model().objects.filter(delegation_memberships__delegation__party=party)
            )
            services.attendance_record(
                minutes=minutes, party=party, user=world.user("sec"), delegates=delegates
            )
        return minutes

    return make


@pytest.fixture
def minutes(attend) -> Minutes:
    return attend()


@pytest.fixture
def say(world, minutes):
    """Record a statement: say("USA", 1, "summary")."""

    def make(code: str, item_order: int, summary: str, **kwargs: Any):
        party = world.parties[code]
        kwargs.setdefault(
            "speaker",
            get_user_model()
            .objects.filter(delegation_memberships__delegation__party=party)
            .first(),
        )
        return services.statement_record(
            minutes=minutes,
            item=world.items[item_order - 1],
            party=party,
            user=world.user("sec"),
            summary=summary,
            **kwargs,
        )

    return make


@pytest.fixture
def circulated_communique(world):
    """A communiqué circulated to the seat-holders with a deadline in two days."""

    def make(
        *,
        silence: bool = False,
        title: str = "Joint communiqué",
        text: str = "<p>The participants met.</p>",
    ):
        communique = services.communique_draft(
            session=world.session, user=world.user("sec"), title=title, text=text
        )
        return services.communique_circulate(
            communique=communique,
            user=world.user("sec"),
            deadline=timezone.now() + timedelta(days=2),
            silence_procedure=silence,
        )

    return make


@pytest.fixture
def client_for():
    def make(user: Any | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def api_for():
    def make(user: Any | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


def reload(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


__all__ = ["Communique", "World", "build_world", "reload"]
