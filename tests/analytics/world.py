"""A small record for the analysts' API tests, on part of the table of tests/worlds.py.

Session S1 (participants): the United States and Russia sit; Germany attends
without a seat; Ukraine is ad hoc for item 3 only. Item 2 is under the
Chatham House rule. Session S2 is secretariat-only. Every statement, paper and
note mentions "airspace", so a search or an export for it meets them all.
Grants are the direct-FK group grants the invitation services make, without
invitations (the invitation filters' tests add their own).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from agenda.models import (
    AgendaItem,
    AgendaItemGrant,
    Document,
    DocumentVersion,
    Session,
    SessionGrant,
)
from consult.access import ATTEND_ITEM, ATTEND_SESSION, SIT_SESSION, VIEW_SESSION, Distribution
from consult.quarters import Quarter
from members.models import Party
from minutes.models import (
    ActionPoint,
    Communique,
    CommuniqueVersion,
    Minutes,
    Position,
    Statement,
)
from tests.factories import (
    AgendaFactory,
    AgendaItemFactory,
    SessionFactory,
    analyst_user,
    secretariat_user,
)
from tests.worlds import FULL_NAMES, table_delegate, table_parties


@dataclass
class World:
    s1: Session
    s2: Session
    items: list[AgendaItem]
    parties: dict[str, Party]
    users: dict[str, Any]
    statements: dict[str, Statement] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    minutes: dict[str, Minutes] = field(default_factory=dict)

    @property
    def chatham(self) -> AgendaItem:
        return self.items[1]


def grant(target: Any, party: Party, codename: str) -> None:
    model, grant_model = (
        (Session, SessionGrant) if isinstance(target, Session) else (AgendaItem, AgendaItemGrant)
    )
    permission = Permission.objects.get(
        content_type=ContentType.objects.get_for_model(model), codename=codename
    )
    grant_model.objects.create(
        content_object=target, group=party.delegation.group, permission=permission
    )


def say(
    world: World,
    minutes: Minutes,
    item: AgendaItem,
    code: str,
    summary: str,
    *,
    distribution: str = Distribution.PARTICIPANTS,
    **fields: Any,
) -> Statement:
    order = Statement.objects.filter(item=item).count() + 1
    return Statement.objects.create(
        minutes=minutes,
        item=item,
        party=world.parties[code],
        speaker_name=f"Speaker of {code}",
        order=order,
        summary=summary,
        full_text=fields.pop("full_text", f"<p>{summary}</p>"),
        distribution=distribution,
        recorded_by=world.users["sec"],
        **fields,
    )


def paper(
    world: World,
    session: Session,
    symbol: str,
    title: str,
    body: str,
    *,
    distribution: str,
    owner: str | None = None,
    category: str = Document.Category.BACKGROUND,
    language: str = Document.Language.EN,
) -> Document:
    document = Document.objects.create(
        symbol=symbol,
        title=title,
        category=category,
        session=session,
        owner=world.parties[owner] if owner else None,
        language=language,
        distribution=distribution,
        created_by=world.users["sec"],
    )
    DocumentVersion.objects.create(
        document=document,
        number=1,
        format=DocumentVersion.Format.RICH_TEXT,
        body_html=body,
        created_by=world.users["sec"],
    )
    return document


def build_world() -> World:
    now = timezone.now()
    parties = table_parties(("USA", "RUS", "DEU", "UKR"), names=FULL_NAMES)
    users: dict[str, Any] = {
        "sec": secretariat_user("sec"),
        "analyst": analyst_user("analyst"),
        "us": table_delegate(parties["USA"], "us"),
        "ru": table_delegate(parties["RUS"], "ru"),
        "de": table_delegate(parties["DEU"], "de"),
        "ua": table_delegate(parties["UKR"], "ua"),
    }
    starts = now - timedelta(days=3)
    s1: Any = SessionFactory(
        number="CCB/T/Q1",
        kind=Session.Kind.REGULAR,
        quarter=str(Quarter.of(starts)),
        starts_at=starts,
        status=Session.Status.HELD,
        distribution=Distribution.PARTICIPANTS,
    )
    s2: Any = SessionFactory(
        number="CCB/T/X1",
        starts_at=starts - timedelta(days=120),
        quarter=str(Quarter.of(starts - timedelta(days=120))),
        status=Session.Status.HELD,
        distribution=Distribution.SECRETARIAT,
    )
    agenda = AgendaFactory(session=s1)
    items: list[Any] = [
        AgendaItemFactory(agenda=agenda, order=1, title="Baltic airspace"),
        AgendaItemFactory(agenda=agenda, order=2, title="Nuclear signalling", chatham_house=True),
        AgendaItemFactory(agenda=agenda, order=3, title="Black Sea corridor"),
    ]
    s2_item: Any = AgendaItemFactory(
        agenda=AgendaFactory(session=s2),
        order=1,
        title="Closed airspace review",
        distribution=Distribution.SECRETARIAT,
    )
    for code in ("USA", "RUS", "DEU"):
        grant(s1, parties[code], ATTEND_SESSION)
    for code in ("USA", "RUS"):
        grant(s1, parties[code], SIT_SESSION)
    grant(s1, parties["UKR"], VIEW_SESSION)
    grant(items[2], parties["UKR"], ATTEND_ITEM)

    world = World(s1=s1, s2=s2, items=items, parties=parties, users=users)
    m1 = Minutes.objects.create(
        session=s1, status=Minutes.Status.APPROVED, created_by=users["sec"], approved_at=now
    )
    m2 = Minutes.objects.create(
        session=s2,
        status=Minutes.Status.APPROVED,
        distribution=Distribution.SECRETARIAT,
        created_by=users["sec"],
        approved_at=now,
    )
    world.minutes = {"s1": m1, "s2": m2}
    world.statements = {
        "us_open": say(world, m1, items[0], "USA", "Airspace incidents over the Baltic."),
        "ru_chatham": say(world, m1, items[1], "RUS", "Airspace closures near Kaliningrad."),
        "us_item3": say(world, m1, items[2], "USA", "Grain corridor airspace guarantees."),
        "ru_public": say(
            world,
            m1,
            items[0],
            "RUS",
            "Public remark on airspace.",
            distribution=Distribution.PUBLIC,
        ),
        "us_secret": say(
            world,
            m2,
            s2_item,
            "USA",
            "Secret airspace assessment.",
            distribution=Distribution.SECRETARIAT,
        ),
    }
    world.documents = {
        "us_note": paper(
            world,
            s1,
            "CCB.DEL/1/T",
            "US private note",
            "<p>Our airspace red lines (private).</p>",
            distribution=Distribution.DELEGATION,
            owner="USA",
            category=Document.Category.NOTE,
        ),
        "ru_note": paper(
            world,
            s1,
            "CCB.DEL/2/T",
            "Russian private note",
            "<p>Наше воздушное пространство: airspace talking points (private).</p>",
            distribution=Distribution.DELEGATION,
            owner="RUS",
            category=Document.Category.NOTE,
            language=Document.Language.RU,
        ),
        "background": paper(
            world,
            s1,
            "CCB.GAL/1/T",
            "Background on airspace",
            "<p>Civil <b>airspace</b> over the Baltic.</p>",
            distribution=Distribution.PARTICIPANTS,
        ),
        "public": paper(
            world,
            s1,
            "CCB.INF/1/T",
            "Public airspace factsheet",
            "<p>Public facts about airspace.</p>",
            distribution=Distribution.PUBLIC,
        ),
    }
    ActionPoint.objects.create(
        minutes=m1,
        item=items[0],
        owner=parties["USA"],
        description="Share airspace incident data",
        due_date=date.today() + timedelta(days=30),
        created_by=users["sec"],
    )
    communique = Communique.objects.create(
        session=s1, title="Airspace communiqué", created_by=users["sec"]
    )
    version = CommuniqueVersion.objects.create(
        communique=communique,
        number=1,
        text="<p>Participants discussed airspace safety.</p>",
        created_by=users["sec"],
    )
    for code, stance in (("USA", Position.Stance.ASSOCIATES), ("RUS", Position.Stance.DISSOCIATES)):
        Position.objects.create(
            version=version, party=parties[code], stance=stance, stated_by=users["sec"]
        )
    Communique.objects.filter(pk=communique.pk).update(
        status=Communique.Status.PUBLISHED,
        distribution=Distribution.PUBLIC,
        kind=Communique.Kind.CHAIR_STATEMENT,
        published_version=version,
        published_at=now,
        published_title="Chair's statement on airspace",
    )
    return world
