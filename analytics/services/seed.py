"""Scale data for benchmarks: years of sessions, ~100k statements, papers and grants.

Rows are written in large ``bulk_create`` batches with every value computed
up front (no per-row save, no service call), so a full-size run takes about a
minute on PostgreSQL. The grants are the direct-FK group grants the
invitation services make, with matching invitations; the statements sit in
approved minutes; one statement in ten and one paper in ten mention
"airspace", the term the search benchmark looks for.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from itertools import islice

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from agenda.models import (
    Agenda,
    AgendaItem,
    AgendaItemGrant,
    Document,
    DocumentVersion,
    Invitation,
    Session,
    SessionGrant,
)
from consult.access import (
    ANALYST_GROUP,
    ATTEND_ITEM,
    ATTEND_SESSION,
    SECRETARIAT_GROUP,
    SIT_SESSION,
    VIEW_SESSION,
    Distribution,
)
from consult.errors import ApplicationError
from consult.quarters import Quarter
from members.models import (
    ChairTerm,
    Delegation,
    DelegationMembership,
    Party,
    Seat,
    SeatArrangement,
)
from minutes.models import (
    ActionPoint,
    Communique,
    CommuniqueVersion,
    Minutes,
    Position,
    Statement,
)

BATCH = 5000
SEARCH_TERM = "airspace"
SEAT_HOLDERS = [
    ("USA", "United States of America", Party.Kind.STATE),
    ("RUS", "Russian Federation", Party.Kind.STATE),
    ("NATO", "North Atlantic Treaty Organization", Party.Kind.ORGANISATION),
    ("EU", "European Union", Party.Kind.ORGANISATION),
]
WORDS = [
    "escalation",
    "deconfliction",
    "hotline",
    "exercise",
    "notification",
    "corridor",
    "maritime",
    "incident",
    "verification",
    "transparency",
    "inspection",
    "reserve",
    "mobilisation",
    "cyber",
    "outage",
    "grain",
    "shipping",
    "border",
    "patrol",
    "drone",
    "missile",
    "warning",
    "channel",
    "observer",
    "ceasefire",
    "monitoring",
    "humanitarian",
    "sanctions",
    "energy",
    "pipeline",
    "nuclear",
    "doctrine",
    "signalling",
    "restraint",
    "confidence",
    "measures",
]


@dataclass
class ScaleReport:
    sessions: int = 0
    items: int = 0
    statements: int = 0
    documents: int = 0
    grants: int = 0
    users: dict[str, str] = field(default_factory=dict)
    """Role to username: secretariat, analyst, delegate (United States), outsider."""


def _batches[M: models.Model](rows: Iterable[M]) -> Iterator[list[M]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _insert[M: models.Model](model: type[M], rows: Iterable[M]) -> int:
    count = 0
    for batch in _batches(rows):
        model._default_manager.bulk_create(batch)
        count += len(batch)
    return count


def _sentence(rng: random.Random, *, mention: bool) -> str:
    words = rng.sample(WORDS, 9)
    if mention:
        words.insert(rng.randrange(len(words)), SEARCH_TERM)
    return " ".join(words).capitalize() + "."


def _distribution(rng: random.Random, weights: dict[Distribution, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _permission(model: type[models.Model], codename: str) -> Permission:
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(model), codename=codename
    )


@transaction.atomic
def scale_data_seed(
    *,
    years: int = 10,
    parties: int = 200,
    items_per_session: int = 16,
    statements: int = 100_000,
    documents: int = 100_000,
    grants: int = 100_000,
    seed: int = 2026,
) -> ScaleReport:
    """Fill an empty database with ``years`` of sessions and the given numbers of rows."""
    if Session.objects.exists():
        raise ApplicationError("seed_scale fills an empty database; this one has sessions.")
    if parties < len(SEAT_HOLDERS) or years < 1 or items_per_session < 1:
        raise ApplicationError("Ask for at least one year, one item and four parties.")
    rng = random.Random(seed)  # noqa: S311 (repeatable benchmark data, not secrets)
    report = ScaleReport()
    now = datetime.now(UTC)
    User = get_user_model()

    # Parties, seats, delegations and their people.
    party_rows = [Party(code=code, name_en=name, kind=kind) for code, name, kind in SEAT_HOLDERS]
    party_rows += [
        Party(code=f"S{index:03d}", name_en=f"State {index:03d}", kind=Party.Kind.STATE)
        for index in range(parties - len(SEAT_HOLDERS))
    ]
    Party.objects.bulk_create(party_rows)
    all_parties = list(Party.objects.order_by("pk"))
    holders = all_parties[: len(SEAT_HOLDERS)]
    seats = Seat.objects.bulk_create(
        Seat(code=party.code, name=party.name_en, party=party, order=order)
        for order, party in enumerate(holders, start=1)
    )
    SeatArrangement.objects.bulk_create(
        SeatArrangement(seat=seat, mode=SeatArrangement.Mode.OWN, effective_from="2000Q1")
        for seat in seats
    )
    groups = Group.objects.bulk_create(
        Group(name=f"delegation-{party.code}") for party in all_parties
    )
    delegations = Delegation.objects.bulk_create(
        Delegation(party=party, group=group)
        for party, group in zip(all_parties, groups, strict=True)
    )
    people = User.objects.bulk_create(
        User(username=f"bench-{party.code.lower()}", password="!") for party in all_parties
    )
    DelegationMembership.objects.bulk_create(
        DelegationMembership(
            delegation=delegation,
            user=person,
            role=DelegationMembership.Role.HEAD,
            valid_from=now - timedelta(days=365 * (years + 1)),
        )
        for delegation, person in zip(delegations, people, strict=True)
    )
    secretary, analyst, outsider = User.objects.bulk_create(
        [
            User(username="bench-secretary", password="!", is_staff=True),
            User(username="bench-analyst", password="!"),
            User(username="bench-outsider", password="!"),
        ]
    )
    secretary.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])
    analyst.groups.add(Group.objects.get_or_create(name=ANALYST_GROUP)[0])
    report.users = {
        "secretariat": secretary.username,
        "analyst": analyst.username,
        "delegate": people[0].username,
        "outsider": outsider.username,
    }

    # Sessions: one regular per quarter, an extraordinary one now and then.
    last = Quarter.current()
    quarters = [last - step for step in range(years * 4 - 1, -1, -1)]
    ChairTerm.objects.bulk_create(
        ChairTerm(quarter=str(quarter), seat=seats[index % len(seats)])
        for index, quarter in enumerate([quarters[0] - 1, *quarters, last + 1])
    )
    session_rows: list[Session] = []
    for index, quarter in enumerate(quarters):
        middle = datetime.combine(quarter.first_day + timedelta(days=45), time(9), tzinfo=UTC)
        past = middle < now
        session_rows.append(
            Session(
                number=f"CCB/{quarter.year}/Q{quarter.q}",
                kind=Session.Kind.REGULAR,
                quarter=str(quarter),
                title=f"Regular session {quarter}",
                starts_at=middle,
                ends_at=middle + timedelta(hours=8),
                venue="Hofburg, Vienna",
                chair=seats[index % len(seats)],
                status=Session.Status.CLOSED if past else Session.Status.SCHEDULED,
                distribution=_distribution(
                    rng, {Distribution.PARTICIPANTS: 8, Distribution.PUBLIC: 2}
                ),
            )
        )
        if rng.random() < 0.5:
            start = middle + timedelta(days=20, hours=rng.randrange(48))
            session_rows.append(
                Session(
                    number=f"CCB/{quarter.year}/X{quarter.q}",
                    kind=Session.Kind.EXTRAORDINARY,
                    quarter=str(Quarter.of(start)),
                    title="Extraordinary session",
                    starts_at=start,
                    ends_at=start + timedelta(hours=4),
                    venue="Hofburg, Vienna",
                    status=Session.Status.CLOSED if start < now else Session.Status.SCHEDULED,
                    distribution=_distribution(
                        rng, {Distribution.PARTICIPANTS: 8, Distribution.SEAT_HOLDERS: 2}
                    ),
                )
            )
    sessions = Session.objects.bulk_create(session_rows)
    report.sessions = len(sessions)
    agendas = Agenda.objects.bulk_create(
        Agenda(session=session, status=Agenda.Status.ADOPTED) for session in sessions
    )
    kinds = AgendaItem.Kind.values
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            agenda=agenda,
            session=session,
            order=order,
            title=_sentence(rng, mention=rng.random() < 0.1)[:120],
            kind=kinds[order % len(kinds)],
            distribution=session.distribution,
            chatham_house=rng.random() < 0.15,
            is_open=session.status != Session.Status.CLOSED,
        )
        for session, agenda in zip(sessions, agendas, strict=True)
        for order in range(1, items_per_session + 1)
    )
    report.items = len(items)
    items_by_session: dict[int, list[AgendaItem]] = {}
    for item in items:
        items_by_session.setdefault(item.session_id, []).append(item)

    # Invitations and grants: every delegation attends every session, the
    # seat-holders sit; the rest of the requested grants are ad hoc item
    # grants (with their invitations) to parties not invited to the session.
    # The defaults (200 parties, 16 items a session) leave room for ~100k.
    attend = _permission(Session, ATTEND_SESSION)
    sit = _permission(Session, SIT_SESSION)
    view = _permission(Session, VIEW_SESSION)
    attend_item = _permission(AgendaItem, ATTEND_ITEM)
    members = all_parties[: max(len(holders), len(all_parties) // 2)]
    guests = all_parties[len(members) :]
    Invitation.objects.bulk_create(
        Invitation(session=session, party=party, kind=Invitation.Kind.MEMBER, status="accepted")
        for session in sessions
        for party in members
    )
    group_of = {delegation.party_id: delegation.group_id for delegation in delegations}
    session_grants = [
        SessionGrant(content_object=session, group_id=group_of[party.pk], permission=attend)
        for session in sessions
        for party in members
    ] + [
        SessionGrant(content_object=session, group_id=group_of[party.pk], permission=sit)
        for session in sessions
        for party in holders
    ]
    report.grants = _insert(SessionGrant, session_grants)
    ad_hoc_pairs = [(item, party) for item in items for party in guests]
    rng.shuffle(ad_hoc_pairs)
    wanted = max(0, grants - report.grants)
    ad_hoc = ad_hoc_pairs[:wanted]
    _insert(
        Invitation,
        (
            Invitation(
                session_id=item.session_id,
                item=item,
                party=party,
                kind=Invitation.Kind.AD_HOC,
                status="accepted",
                reason="Affected party",
            )
            for item, party in ad_hoc
        ),
    )
    report.grants += _insert(
        AgendaItemGrant,
        (
            AgendaItemGrant(
                content_object=item, group_id=group_of[party.pk], permission=attend_item
            )
            for item, party in ad_hoc
        ),
    )
    viewing = {(item.session_id, party.pk) for item, party in ad_hoc}
    report.grants += _insert(
        SessionGrant,
        (
            SessionGrant(content_object_id=session_id, group_id=group_of[party_id], permission=view)
            for session_id, party_id in sorted(viewing)
        ),
    )

    # The record: approved minutes of held sessions, statements, action points,
    # communiqués with the seat-holders' positions.
    held = [session for session in sessions if session.status == Session.Status.CLOSED]
    minutes = Minutes.objects.bulk_create(
        Minutes(
            session=session,
            status=Minutes.Status.APPROVED,
            distribution=session.distribution,
            approved_at=session.ends_at + timedelta(days=14),
            approved_by=secretary,
            created_by=secretary,
        )
        for session in held
    )
    held_items = [(m, item) for m in minutes for item in items_by_session[m.session_id]]
    per_item = -(-statements // max(1, len(held_items)))
    statement_distribution = {
        Distribution.PARTICIPANTS: 80,
        Distribution.PUBLIC: 10,
        Distribution.SEAT_HOLDERS: 7,
        Distribution.SECRETARIAT: 3,
    }

    def statement_rows() -> Iterator[Statement]:
        made = 0
        for record, item in held_items:
            for order in range(1, per_item + 1):
                if made == statements:
                    return
                made += 1
                mention = made % 10 == 0
                summary = _sentence(rng, mention=mention)
                yield Statement(
                    minutes=record,
                    item=item,
                    party=rng.choice(members),
                    speaker_name="Head of delegation",
                    order=order,
                    summary=summary,
                    full_text=f"<p>{summary} {_sentence(rng, mention=False)}</p>",
                    distribution=_distribution(rng, statement_distribution),
                    recorded_by=secretary,
                )

    report.statements = _insert(Statement, statement_rows())
    ActionPoint.objects.bulk_create(
        ActionPoint(
            minutes=record,
            item=items_by_session[record.session_id][n],
            owner=rng.choice(members),
            description=_sentence(rng, mention=n == 0),
            due_date=(record.session.starts_at + timedelta(days=60)).date(),
            status=ActionPoint.Status.DONE if n % 2 else ActionPoint.Status.OPEN,
            done_at=record.session.starts_at + timedelta(days=50) if n % 2 else None,
            created_by=secretary,
        )
        for record in minutes
        for n in range(min(4, items_per_session))
    )
    communiques = Communique.objects.bulk_create(
        Communique(
            session=session,
            title=f"Communiqué of {session.number}",
            kind=Communique.Kind.CHAIR_STATEMENT
            if rng.random() < 0.3
            else Communique.Kind.COMMUNIQUE,
            created_by=secretary,
        )
        for session in held
    )
    versions = CommuniqueVersion.objects.bulk_create(
        CommuniqueVersion(
            communique=communique,
            number=1,
            text=f"<p>{_sentence(rng, mention=True)}</p>",
            created_by=secretary,
        )
        for communique in communiques
    )
    Position.objects.bulk_create(
        Position(
            version=version,
            party=party,
            stance=Position.Stance.DISSOCIATES
            if communique.kind == Communique.Kind.CHAIR_STATEMENT and party.code == "RUS"
            else Position.Stance.ASSOCIATES,
            stated_by=secretary,
        )
        for communique, version in zip(communiques, versions, strict=True)
        for party in holders
    )
    for communique, version in zip(communiques, versions, strict=True):
        communique.status = Communique.Status.PUBLISHED
        communique.distribution = Distribution.PUBLIC
        communique.published_version = version
        communique.published_at = communique.session.ends_at + timedelta(days=1)
        communique.published_title = communique.title
    Communique.objects.bulk_update(
        communiques,
        ["status", "distribution", "published_version", "published_at", "published_title"],
        batch_size=BATCH,
    )

    # Papers: one version each, rich text; a delegation's notes are its own.
    paper_distribution = {
        Distribution.PARTICIPANTS: 50,
        Distribution.PUBLIC: 15,
        Distribution.SEAT_HOLDERS: 15,
        Distribution.DELEGATION: 15,
        Distribution.SECRETARIAT: 5,
    }
    languages = [Document.Language.EN] * 6 + [Document.Language.RU] * 3 + [Document.Language.FR]

    def document_rows() -> Iterator[Document]:
        for number in range(documents):
            session = sessions[number % len(sessions)]
            distribution = _distribution(rng, paper_distribution)
            owner = rng.choice(members) if distribution == Distribution.DELEGATION else None
            yield Document(
                symbol=f"CCB.SCALE/{number + 1}",
                title=_sentence(rng, mention=number % 10 == 0)[:150],
                category=Document.Category.NOTE if owner else Document.Category.BACKGROUND,
                session=session,
                item=rng.choice(items_by_session[session.pk]) if number % 2 else None,
                owner=owner,
                language=rng.choice(languages),
                distribution=distribution,
                created_by=secretary,
            )

    report.documents = _insert(Document, document_rows())
    _insert(
        DocumentVersion,
        (
            DocumentVersion(
                document_id=pk,
                number=1,
                format=DocumentVersion.Format.RICH_TEXT,
                body_html=f"<p>{_sentence(rng, mention=pk % 10 == 0)}</p>",
                created_by=secretary,
            )
            for pk in list(Document.objects.order_by("pk").values_list("pk", flat=True))
        ),
    )

    # One statement in five refers to a paper of its session.
    papers: dict[int, list[int]] = {}
    for pk, session_id in Document.objects.order_by("pk").values_list("pk", "session_id"):
        papers.setdefault(session_id, []).append(pk)
    speaking = Statement.objects.order_by("pk").values_list("pk", "minutes__session_id")
    _insert(
        Statement.documents.through,
        (
            Statement.documents.through(statement_id=pk, document_id=rng.choice(papers[session_id]))
            for number, (pk, session_id) in enumerate(speaking)
            if number % 5 == 0 and papers.get(session_id)
        ),
    )
    return report
