"""What goes into a briefing pack, and for whom.

An *audience* is the exact set of agenda items, paper versions, open action
points and recorded statements a delegate may read under the access rule
(the agenda and minutes selectors decide; nothing here checks access by
hand). Delegates with the same audience get the same render. The *content
version* changes whenever anything shown in any audience's pack changes, so
packs are rebuilt then and only then.

``pack_content`` loads an audience's material into plain objects that a
forked render child can use without touching the database.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Q
from django.utils import timezone

from agenda.models import (
    Agenda,
    AgendaItem,
    AgendaItemGrant,
    Document,
    DocumentVersion,
    Session,
    SessionGrant,
)
from agenda.selectors.agendas import agenda_item_list
from agenda.selectors.documents import document_list
from consult import access
from consult.access import Distribution
from consult.quarters import Quarter
from consult.sanitize import sanitize_html
from consult.times import format_in_zone
from members.models import ChairTerm, Delegation, DelegationMembership, Party, RotationTerm
from members.selectors.delegations import delegation_users
from members.selectors.rotation import chair_troika
from members.selectors.seats import seat_rows
from minutes.models import ActionPoint, Statement
from minutes.selectors.communiques import communique_footnotes, previous_communique
from minutes.selectors.record import open_action_points, statement_list

# Bumped when the template or the stamp changes what a pack looks like.
LAYOUT_VERSION = "1"
SESSION_GRANTS = (access.ATTEND_SESSION, access.SIT_SESSION, access.VIEW_SESSION)
RANK = {
    Distribution.PUBLIC: 0,
    Distribution.PARTICIPANTS: 1,
    Distribution.SEAT_HOLDERS: 2,
    Distribution.SECRETARIAT: 3,
    Distribution.DELEGATION: 4,
}
CLASSIFICATION = {
    Distribution.PUBLIC: "Public",
    Distribution.PARTICIPANTS: "Restricted · session participants only",
    Distribution.SEAT_HOLDERS: "Restricted · seat-holders only",
    Distribution.SECRETARIAT: "Confidential · secretariat only",
    Distribution.DELEGATION: "Confidential · includes delegation-only notes",
}


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


# Audiences


@dataclass(frozen=True, slots=True)
class Audience:
    items: tuple[int, ...]
    documents: tuple[tuple[int, int], ...]
    """(document id, version number) of each readable paper's current version."""
    action_points: tuple[int, ...]
    statements: tuple[int, ...]
    full_record: bool = False
    """The reader is secretariat staff: Chatham House speakers are not hidden from them."""

    @property
    def key(self) -> str:
        return _digest(self.as_json())

    def as_json(self) -> dict[str, Any]:
        return {
            "items": list(self.items),
            "documents": [list(pair) for pair in self.documents],
            "action_points": list(self.action_points),
            "statements": list(self.statements),
            "full_record": self.full_record,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Audience:
        return cls(
            items=tuple(value.get("items", ())),
            documents=tuple((int(d), int(n)) for d, n in value.get("documents", ())),
            action_points=tuple(value.get("action_points", ())),
            statements=tuple(value.get("statements", ())),
            full_record=bool(value.get("full_record", False)),
        )

    def within(self, current: Audience) -> bool:
        """Everything in this audience is still readable by a reader whose audience is ``current``.

        A newer version of a paper the reader still reads keeps the older one
        readable (its history is open to them), so papers compare by document.
        """
        readable_documents = {document for document, _ in current.documents}
        return (
            set(self.items) <= set(current.items)
            and {document for document, _ in self.documents} <= readable_documents
            and set(self.action_points) <= set(current.action_points)
            and set(self.statements) <= set(current.statements)
            and (current.full_record or not self.full_record)
        )

    @property
    def is_empty(self) -> bool:
        return not self.items


def audience_for(user: Any, session: Session) -> Audience:
    """What ``user`` may read of ``session``'s pack right now (a handful of queries)."""
    item_ids = sorted(
        agenda_item_list(user, session=session).prefetch_related(None).values_list("pk", flat=True)
    )
    readable_items = set(item_ids)
    documents = sorted(
        (pk, version)
        for pk, version, item_id in document_list(user, session=session)
        .prefetch_related(None)
        .values_list("pk", "current_version", "item_id")
        # A paper of an item the reader does not see would name that item.
        if item_id is None or item_id in readable_items
    )
    points = sorted(
        open_action_points(user, session=session).values_list("pk", flat=True).distinct()
    )
    carried = list(
        AgendaItem.objects.filter(pk__in=item_ids, carried_from__isnull=False).values_list(
            "carried_from_id", flat=True
        )
    )
    statements = (
        sorted(
            statement_list(user)
            .filter(item_id__in=carried)
            .prefetch_related(None)
            .values_list("pk", flat=True)
        )
        if carried
        else []
    )
    return Audience(
        items=tuple(item_ids),
        documents=tuple(documents),
        action_points=tuple(points),
        statements=tuple(statements),
        full_record=access.is_secretariat(user),
    )


# Recipients


@dataclass(frozen=True, slots=True)
class Recipient:
    user: Any
    party: Party


def _granted_party_ids(session: Session, at: datetime) -> list[int]:
    live = access.live_grant_q(at=at)
    session_groups = SessionGrant.objects.filter(
        live, content_object=session, permission__codename__in=SESSION_GRANTS
    ).values("group_id")
    item_groups = AgendaItemGrant.objects.filter(
        live, content_object__session=session, permission__codename=access.ATTEND_ITEM
    ).values("group_id")
    return list(
        Delegation.objects.filter(Q(group_id__in=session_groups) | Q(group_id__in=item_groups))
        .order_by("party__code")
        .values_list("party_id", flat=True)
    )


def recipient_list(session: Session, *, at: datetime | None = None) -> list[Recipient]:
    """The delegates of every delegation granted access to the session or one of its items."""
    at = at or timezone.now()
    party_ids = _granted_party_ids(session, at)
    if not party_ids:
        return []
    users = {user.pk: user for user in delegation_users(party_ids=party_ids, at=at)}
    memberships = (
        DelegationMembership.objects.filter(
            access.live_membership_q(at=at),
            user_id__in=users,
            delegation__party_id__in=party_ids,
        )
        .select_related("delegation__party")
        .order_by("user_id", "delegation__party__code")
    )
    parties: dict[int, Party] = {}
    for membership in memberships:
        parties.setdefault(membership.user_id, membership.delegation.party)
    return [
        Recipient(user=users[user_id], party=party)
        for user_id, party in sorted(parties.items())
        if user_id in users
    ]


def recipient_party(user: Any, session: Session) -> Party | None:
    """The delegation through which ``user`` receives ``session``'s pack, if any (two queries)."""
    if not user.is_authenticated:
        return None
    party_ids = _granted_party_ids(session, timezone.now())
    membership = (
        access.current_memberships(user)
        .filter(delegation__party_id__in=party_ids)
        .select_related("delegation__party")
        .order_by("delegation__party__code")
        .first()
    )
    return membership.delegation.party if membership is not None else None


# Content version


def content_version(session: Session) -> str:
    """A hash of everything any audience's pack shows; cheap aggregate queries only."""
    quarter = Quarter.parse(session.quarter)
    agenda = Agenda.objects.filter(session=session).values("pk", "status", "revision").first()
    items = list(
        AgendaItem.objects.filter(session=session)
        .order_by("pk")
        .values_list(
            "pk", "order", "title", "kind", "description", "distribution", "chatham_house",
            "proposer_id", "carried_from_id", "is_open", "starts_at", "duration_minutes",
        )
    )  # fmt: skip
    documents = list(
        Document.objects.filter(session=session)
        .order_by("pk")
        .values_list("pk", "current_version", "updated_at", "distribution", "item_id", "owner_id")
    )
    points = ActionPoint.objects.filter(
        status=ActionPoint.Status.OPEN, minutes__session__starts_at__lt=session.starts_at
    ).aggregate(count=Count("pk"), latest=Max("updated_at"), last=Max("pk"))
    carried = [row[8] for row in items if row[8]]
    statements = Statement.objects.filter(item_id__in=carried).aggregate(
        count=Count("pk"), latest=Max("updated_at")
    )
    communique = previous_communique(session)
    table = {
        "terms": list(
            RotationTerm.objects.filter(quarter=str(quarter))
            .order_by("seat_id", "position")
            .values_list("seat_id", "position", "holder_id")
        ),
        "chairs": list(
            ChairTerm.objects.filter(quarter__in=[str(quarter + step) for step in (-1, 0, 1)])
            .order_by("quarter")
            .values_list("quarter", "seat_id")
        ),
    }
    return _digest(
        {
            "layout": LAYOUT_VERSION,
            "session": [
                session.number, session.title, session.kind, session.starts_at, session.ends_at,
                session.venue, session.venue_timezone, session.distribution,
            ],
            "agenda": agenda,
            "items": items,
            "documents": documents,
            "points": points,
            "statements": statements,
            "communique": [communique.pk, communique.updated_at] if communique else None,
            "table": table,
        }
    )  # fmt: skip


def delivery_fingerprint(session: Session) -> str:
    """Content and who receives it: a change of either calls for a (cheap) rebuild."""
    at = timezone.now()
    recipients = [(r.user.pk, r.party.pk) for r in recipient_list(session, at=at)]
    live = access.live_grant_q(at=at)
    grants = list(
        SessionGrant.objects.filter(live, content_object=session)
        .order_by("pk")
        .values_list("pk", "group_id", "permission_id")
    ) + list(
        AgendaItemGrant.objects.filter(live, content_object__session=session)
        .order_by("pk")
        .values_list("pk", "group_id", "content_object_id")
    )
    return _digest([content_version(session), recipients, grants])


# Content


@dataclass
class PaperView:
    public_id: str
    symbol: str
    title: str
    category: str
    owner: str
    language: str
    distribution: str
    classification: str
    version: int
    format: str
    format_label: str
    body_html: str = ""
    storage_name: str = ""
    size_bytes: int = 0
    annex_label: str = ""
    annex_pages: int = 0
    annex_problem: str = ""

    @property
    def is_rich_text(self) -> bool:
        return self.format == DocumentVersion.Format.RICH_TEXT

    @property
    def is_annex(self) -> bool:
        return bool(self.annex_label)

    @property
    def anchor(self) -> str:
        return f"paper-{self.public_id}"

    @property
    def reserved_pages(self) -> range:
        return range(self.annex_pages)


@dataclass
class StatementView:
    party: str
    speaker: str
    kind: str
    summary: str


@dataclass
class ItemView:
    order: int
    title: str
    kind: str
    description: str
    proposer: str
    distribution: str
    classification: str
    chatham_house: bool
    carried_from: str
    time: str = ""
    """Its slot in the session's timetable at the venue (start and end, venue time)."""
    papers: list[PaperView] = field(default_factory=list)
    previous_statements: list[StatementView] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"item-{self.order}"


@dataclass
class ChairView:
    role: str
    quarter: str
    seat: str


@dataclass
class SeatView:
    seat: str
    arrangement: str
    holders: str


@dataclass
class ActionPointView:
    description: str
    owner: str
    due_date: Any
    session: str
    item: str


@dataclass
class CommuniqueView:
    title: str
    kind: str
    session: str
    published_at: datetime | None
    text_html: str
    attribution: str
    procedure: str
    footnotes: list[Any]


@dataclass
class PackContent:
    session_number: str
    session_title: str
    session_kind: str
    venue: str
    venue_timezone: str
    starts_local: datetime
    ends_local: datetime
    starts_utc: datetime
    ends_utc: datetime
    classification: str
    agenda_adopted: bool
    agenda_adopted_at: datetime | None
    agenda_state: str
    content_version: str
    chairs: list[ChairView]
    seats: list[SeatView]
    items: list[ItemView]
    general_papers: list[PaperView]
    communique: CommuniqueView | None
    action_points: list[ActionPointView]

    @property
    def annexes(self) -> list[PaperView]:
        papers = [p for item in self.items for p in item.papers] + self.general_papers
        return [paper for paper in papers if paper.is_annex]


def _owner_label(party: Party | None) -> str:
    return party.name_en if party is not None else "Secretariat"


def _paper(version: DocumentVersion) -> PaperView:
    document = version.document
    rich = version.format == DocumentVersion.Format.RICH_TEXT
    return PaperView(
        public_id=str(document.public_id),
        symbol=document.symbol,
        title=document.title,
        category=document.get_category_display(),
        owner=_owner_label(document.owner),
        language=document.get_language_display(),
        distribution=document.distribution,
        classification=CLASSIFICATION[Distribution(document.distribution)],
        version=version.number,
        format=version.format,
        format_label=version.get_format_display(),
        # Stored text is sanitised when saved; sanitising again here means a
        # row written around the services still cannot reach the renderer.
        body_html=sanitize_html(version.body_html).html if rich else "",
        storage_name=(version.file.name or "") if version.file and not rich else "",
        size_bytes=version.size_bytes,
    )


def _versions(pairs: Iterable[tuple[int, int]]) -> list[DocumentVersion]:
    pairs = list(pairs)
    if not pairs:
        return []
    wanted = Q()
    for document_id, number in pairs:
        wanted |= Q(document_id=document_id, number=number)
    return list(
        DocumentVersion.objects.filter(wanted)
        .select_related("document__owner")
        .order_by("document__symbol")
    )


def _table(session: Session) -> tuple[list[ChairView], list[SeatView]]:
    quarter = Quarter.parse(session.quarter)
    chairs = [
        ChairView(
            role=role,
            quarter=str(quarter + step),
            seat=term.seat.name if term is not None else "Not yet planned",
        )
        for role, step, term in zip(
            ("Previous chair", "Chair", "Next chair"),
            (-1, 0, 1),
            chair_troika(quarter=quarter),
            strict=True,
        )
    ]
    seats = [
        SeatView(
            seat=row.seat.name,
            arrangement=row.arrangement.get_mode_display() if row.arrangement else "",
            holders=", ".join(
                party.name_en for party in row.holders if party.name_en != row.seat.name
            ),
        )
        for row in seat_rows(quarter=quarter)
        if not row.seat.is_observer
    ]
    return chairs, seats


def _agenda_state(agenda: Agenda | None) -> str:
    if agenda is None:
        return "Not drafted yet"
    if agenda.status == Agenda.Status.ADOPTED:
        adopted = agenda.adopted_at
        return f"Adopted on {format_in_zone(adopted, 'UTC', 'd F Y')}" if adopted else "Adopted"
    if agenda.status == Agenda.Status.CIRCULATED:
        return "Provisional, circulated to the seat-holders for objections"
    return "Provisional, not yet circulated"


def _classification(distributions: Iterable[str]) -> str:
    highest = max((Distribution(d) for d in distributions), key=lambda d: RANK[d])
    return CLASSIFICATION[highest]


def _slot(item: AgendaItem, zone: ZoneInfo) -> str:
    if item.starts_at is None:
        return ""
    starts = f"{timezone.localtime(item.starts_at, zone):%H:%M}"
    if item.ends_at is None:
        return starts
    return f"{starts}\N{EN DASH}{timezone.localtime(item.ends_at, zone):%H:%M}"


def pack_content(
    session: Session, audience: Audience, *, viewer: Any, version: str = ""
) -> PackContent:
    """The material of ``audience``'s pack, loaded once (queries do not grow with items).

    ``viewer`` is a reader with this audience: statements are shown as the
    minutes selectors display them to that reader. ``version`` is the
    content version the pack is built for (empty in the browser reader).
    """
    zone = ZoneInfo(session.venue_timezone)
    agenda = Agenda.objects.filter(session=session).first()
    items = list(
        AgendaItem.objects.filter(pk__in=audience.items)
        .select_related("proposer", "carried_from__session")
        .order_by("order")
    )
    papers_by_item: dict[int | None, list[PaperView]] = defaultdict(list)
    for paper_version in _versions(audience.documents):
        papers_by_item[paper_version.document.item_id].append(_paper(paper_version))

    statements_by_item: dict[int, list[StatementView]] = defaultdict(list)
    if audience.statements:
        for statement in (
            statement_list(viewer)
            .filter(pk__in=audience.statements)
            .prefetch_related(None)
            .order_by("item_id", "order")
        ):
            statements_by_item[statement.item_id].append(
                StatementView(
                    party=statement.display_party,  # type: ignore[attr-defined]
                    speaker=statement.display_speaker,  # type: ignore[attr-defined]
                    kind=statement.get_kind_display(),
                    summary=statement.summary,
                )
            )

    item_views = [
        ItemView(
            order=item.order,
            title=item.title,
            kind=item.get_kind_display(),
            description=item.description,
            proposer=item.proposer.name_en if item.proposer else "",
            distribution=item.distribution,
            classification=CLASSIFICATION[Distribution(item.distribution)],
            chatham_house=item.chatham_house,
            time=_slot(item, zone),
            carried_from=(
                f"{item.carried_from.session.number}, item {item.carried_from.order}"
                if item.carried_from
                else ""
            ),
            papers=papers_by_item.get(item.pk, []),
            previous_statements=statements_by_item.get(item.carried_from_id or 0, []),
        )
        for item in items
    ]
    general = papers_by_item.get(None, [])

    annex_number = 0
    for paper in [p for view in item_views for p in view.papers] + general:
        if paper.format == DocumentVersion.Format.PDF and paper.storage_name:
            paper.annex_label = annex_label(annex_number)
            annex_number += 1

    points = [
        ActionPointView(
            description=point.description,
            owner=_owner_label(point.owner),
            due_date=point.due_date,
            session=point.minutes.session.number,
            item=point.item.title if point.item and point.item.pk in audience.items else "",
        )
        for point in ActionPoint.objects.filter(pk__in=audience.action_points)
        .select_related("owner", "item", "minutes__session")
        .order_by("due_date", "pk")
    ]
    communique = previous_communique(session)
    communique_view = (
        CommuniqueView(
            title=str(communique),
            kind=communique.get_kind_display(),
            session=communique.session.number,
            published_at=communique.published_at,
            text_html=sanitize_html(communique.published_version.text).html
            if communique.published_version
            else "",
            attribution=communique.published_attribution,
            procedure=communique.procedure.label if communique.procedure else "",
            footnotes=communique_footnotes(communique),
        )
        if communique is not None
        else None
    )
    chairs, seats = _table(session)
    distributions = [session.distribution]
    distributions += [view.distribution for view in item_views]
    distributions += [p.distribution for view in item_views for p in view.papers]
    distributions += [p.distribution for p in general]
    return PackContent(
        session_number=session.number,
        session_title=session.title,
        session_kind=session.get_kind_display(),
        venue=session.venue,
        venue_timezone=session.venue_timezone,
        starts_local=timezone.localtime(session.starts_at, zone),
        ends_local=timezone.localtime(session.ends_at, zone),
        starts_utc=timezone.localtime(session.starts_at, ZoneInfo("UTC")),
        ends_utc=timezone.localtime(session.ends_at, ZoneInfo("UTC")),
        classification=_classification(distributions),
        agenda_adopted=agenda is not None and agenda.status == Agenda.Status.ADOPTED,
        agenda_adopted_at=agenda.adopted_at if agenda is not None else None,
        agenda_state=_agenda_state(agenda),
        content_version=version[:12],
        chairs=chairs,
        seats=seats,
        items=item_views,
        general_papers=general,
        communique=communique_view,
        action_points=points,
    )


def annex_label(number: int) -> str:
    """A, B, ... Z, AA, AB, ..."""
    label = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        label = chr(65 + rest) + label
    return label
