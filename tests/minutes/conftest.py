"""The record's world: the table of tests/worlds.py at a held session.

Seat-holders this quarter: the United States, Russia, NATO, the EU (rotating,
held by France). Ukraine is invited ad hoc to item 3 only; the CSTO observes
(an observer seat); Germany is invited as a member without a seat. Item 2 is
under the Chatham House rule. The invitation services invite the table and
grant its access; the invitations are then recorded as accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
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
    Invitation,
    Session,
)
from consult.access import (
    SECRETARIAT_GROUP,
)
from consult.quarters import Quarter
from members.models import (
    Party,
    SeatArrangement,
)
from minutes.models import Communique, Minutes, Statement
from minutes.services import communiques as communiques_services
from minutes.services import record as record_services
from tests.factories import UserFactory
from tests.worlds import (
    FULL_NAMES,
    SEAT_HOLDERS,
    eu_held_by_france,
    table_delegate,
    table_invite,
    table_parties,
    table_seats,
)


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


def _grant(
    model: type, grant_model: type[models.Model], target: Any, group: Group, codename: str
) -> None:
    permission = Permission.objects.get(
        content_type=ContentType.objects.get_for_model(model), codename=codename
    )
    grant_model._default_manager.create(content_object=target, group=group, permission=permission)


PEOPLE = {
    "USA": ("us", "Ursula", "Statesman"),
    "RUS": ("ru", "Roman", "Volkov"),
    "NATO": ("nato", "Nils", "Allied"),
    "EU": ("eu", "Eva", "Union"),
    "FRA": ("fr", "Francois", "Dupont"),
    "DEU": ("de", "Dieter", "Schmidt"),
    "UKR": ("ua", "Ulyana", "Shevchenko"),
    "CSTO": ("csto", "Chingiz", "Observer"),
}


def build_world(
    *, number: str = "CCB/T/1", starts_at: datetime | None = None, quarter: Quarter | None = None
) -> World:
    """The table of tests/worlds.py (the EU's seat rotating, held by France; Germany a
    member without a seat) and a held session; called again, another session at it."""
    now = timezone.now()
    starts_at = starts_at or now - timedelta(days=2)
    quarter = quarter or Quarter.of(starts_at)
    parties = table_parties(PEOPLE, names=FULL_NAMES)
    modes = {"NATO": SeatArrangement.Mode.INSTITUTION, "EU": SeatArrangement.Mode.ROTATING}
    seats = table_seats(parties, modes=modes)
    eu_held_by_france(parties, seats["EU"], quarter)
    users: dict[str, Any] = {
        "sec": UserFactory(
            username="sec",
            first_name="Sam",
            last_name="Secretary",
            is_staff=True,
            groups=[SECRETARIAT_GROUP],
        ),
        "outsider": UserFactory(username="outsider", first_name="Olga", last_name="Outsider"),
    }
    for code, (username, first, last) in PEOPLE.items():
        users[username] = get_user_model().objects.filter(
            username=username
        ).first() or table_delegate(
            parties[code], username, first=first, last=last, since=now - timedelta(days=2000)
        )

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
    invited = table_invite(
        session, parties, members=(*SEAT_HOLDERS, "FRA", "DEU"), ad_hoc_item=items[2]
    )
    Invitation.objects.filter(pk__in=[i.pk for i in invited]).update(
        status=Invitation.Status.ACCEPTED
    )
    return World(session=session, items=items, parties=parties, users=users)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def attend(world: World) -> Callable[..., Minutes]:
    """Minutes with every invited party attending; returns the minutes."""

    def make(*codes: str) -> Minutes:
        minutes = Minutes.objects.filter(
            session=world.session
        ).first() or record_services.minutes_create(session=world.session, user=world.user("sec"))
        for code in codes or ("USA", "RUS", "NATO", "EU", "FRA", "DEU", "UKR", "CSTO"):
            party = world.parties[code]
            delegates = list(
                get_user_model().objects.filter(delegation_memberships__delegation__party=party)
            )
            record_services.attendance_record(
                minutes=minutes, party=party, user=world.user("sec"), delegates=delegates
            )
        return minutes

    return make


@pytest.fixture
def minutes(attend: Callable[..., Minutes]) -> Minutes:
    return attend()


@pytest.fixture
def say(world: World, minutes: Minutes) -> Callable[..., Statement]:
    """Record a statement: say("USA", 1, "summary")."""

    def make(code: str, item_order: int, summary: str, **kwargs: Any) -> Statement:
        party = world.parties[code]
        kwargs.setdefault(
            "speaker",
            get_user_model()
            .objects.filter(delegation_memberships__delegation__party=party)
            .first(),
        )
        return record_services.statement_record(
            minutes=minutes,
            item=world.items[item_order - 1],
            party=party,
            user=world.user("sec"),
            summary=summary,
            **kwargs,
        )

    return make


@pytest.fixture
def circulated_communique(world: World) -> Callable[..., Communique]:
    """A communiqué circulated to the seat-holders with a deadline in two days."""

    def make(
        *,
        silence: bool = False,
        title: str = "Joint communiqué",
        text: str = "<p>The participants met.</p>",
    ) -> Communique:
        communique = communiques_services.communique_draft(
            session=world.session, user=world.user("sec"), title=title, text=text
        )
        return communiques_services.communique_circulate(
            communique=communique,
            user=world.user("sec"),
            deadline=timezone.now() + timedelta(days=2),
            silence_procedure=silence,
        )

    return make


@pytest.fixture
def client_for() -> Callable[[Any | None], Client]:
    def make(user: Any | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def api_for() -> Callable[[Any | None], APIClient]:
    def make(user: Any | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


def reload(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


__all__ = ["Communique", "World", "build_world", "reload"]
