"""The record at scale: approved minutes with statements, action points, published
communiqués with positions, and papers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from agenda.models import Document, DocumentVersion, Session
from analytics.scale.rows import BATCH, Scale, insert_rows, sentence, weighted_choice
from consult.access import Distribution
from minutes.models import (
    ActionPoint,
    Communique,
    CommuniqueVersion,
    Minutes,
    Position,
    Statement,
)


def record_seed(scale: Scale, *, statements: int, items_per_session: int) -> None:
    rng, report, secretary = scale.rng, scale.report, scale.secretary
    sessions, items_by_session = scale.sessions, scale.items_by_session
    holders, members = scale.holders, scale.members
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
                summary = sentence(rng, mention=mention)
                yield Statement(
                    minutes=record,
                    item=item,
                    party=rng.choice(members),
                    speaker_name="Head of delegation",
                    order=order,
                    summary=summary,
                    full_text=f"<p>{summary} {sentence(rng, mention=False)}</p>",
                    distribution=weighted_choice(rng, statement_distribution),
                    recorded_by=secretary,
                )

    report.statements = insert_rows(Statement, statement_rows())
    ActionPoint.objects.bulk_create(
        ActionPoint(
            minutes=record,
            item=items_by_session[record.session_id][n],
            owner=rng.choice(members),
            description=sentence(rng, mention=n == 0),
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
            text=f"<p>{sentence(rng, mention=True)}</p>",
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


def papers_seed(scale: Scale, *, documents: int) -> None:
    rng, report, secretary = scale.rng, scale.report, scale.secretary
    sessions, items_by_session, members = scale.sessions, scale.items_by_session, scale.members
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
            distribution = weighted_choice(rng, paper_distribution)
            owner = rng.choice(members) if distribution == Distribution.DELEGATION else None
            yield Document(
                symbol=f"CCB.SCALE/{number + 1}",
                title=sentence(rng, mention=number % 10 == 0)[:150],
                category=Document.Category.NOTE if owner else Document.Category.BACKGROUND,
                session=session,
                item=rng.choice(items_by_session[session.pk]) if number % 2 else None,
                owner=owner,
                language=rng.choice(languages),
                distribution=distribution,
                created_by=secretary,
            )

    report.documents = insert_rows(Document, document_rows())
    insert_rows(
        DocumentVersion,
        (
            DocumentVersion(
                document_id=pk,
                number=1,
                format=DocumentVersion.Format.RICH_TEXT,
                body_html=f"<p>{sentence(rng, mention=pk % 10 == 0)}</p>",
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
    insert_rows(
        Statement.documents.through,
        (
            Statement.documents.through(statement_id=pk, document_id=rng.choice(papers[session_id]))
            for number, (pk, session_id) in enumerate(speaking)
            if number % 5 == 0 and papers.get(session_id)
        ),
    )
