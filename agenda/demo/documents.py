"""Demo agendas and papers, on top of ``agenda.demo.sessions``' sessions and invitations.

The current quarter's session gets a circulated provisional agenda (Ukraine
invited ad hoc to the item about Ukraine only, a Chatham House item; the item
about Ukraine in the three working languages), the next quarter's a draft;
both get papers of every distribution, and each seat-holder delegation keeps
private notes. The Russian position paper is in Russian only; the US position
paper's title has a Russian translation, unofficial (the secretariat has not
confirmed it). Idempotent: items and papers are found by title and created only
when missing, and a translation is written only where there is none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from agenda.demo.sessions import SECRETARIAT_USERNAME, demo_quarter
from agenda.demo.texts import (
    ARRANGEMENTS,
    PLANNING_NOTE,
    RUS_POSITION,
    SCENARIO,
    UKRAINE_BACKGROUND,
    US_POSITION,
    note_text,
)
from agenda.models import Agenda, AgendaItem, Document, Invitation, Session
from agenda.models.documents import DOCUMENT_PARALLEL
from agenda.services import agendas as agenda_services
from agenda.services import documents as document_services
from agenda.services import items as items_services
from agenda.services import translations as translation_services
from agenda.services.invitations import invitation_create
from consult.access import Distribution
from consult.quarters import Quarter
from members.models import Party

DELEGATE_USERNAMES = {
    "USA": "delegate-usa",
    "RUS": "delegate-rus",
    "NATO": "delegate-nato",
    "EU": "delegate-eu",
    "UKR": "delegate-ukr",
}
UKRAINE_ITEM = "The situation in and around Ukraine"
# The item about Ukraine in the other working languages (English is authoritative): the
# French translation confirmed by the secretariat, the Russian one still unofficial.
UKRAINE_ITEM_TRANSLATIONS = {
    "ru": (
        "Положение в Украине и вокруг неё",
        "Обзор обстановки в области безопасности, гуманитарного доступа и риска эскалации "
        "вдоль линии соприкосновения. Украина приглашена для рассмотрения этого пункта.",
    ),
    "fr": (
        "La situation en Ukraine et autour de l'Ukraine",
        "Examen de la situation sécuritaire, de l'accès humanitaire et du risque d'escalade "
        "le long de la ligne de contact. L'Ukraine est invitée pour ce point.",
    ),
}
CONFIRMED_ITEM_TRANSLATIONS = ("fr",)

Kind = AgendaItem.Kind
Category = Document.Category


@dataclass(frozen=True)
class DemoItem:
    title: str
    kind: str
    description: str
    distribution: str = Distribution.PARTICIPANTS
    proposer: str | None = None
    chatham_house: bool = False


@dataclass(frozen=True)
class DemoPaper:
    title: str
    body: str
    distribution: str
    owner: str | None = None
    item: str | None = None
    category: str = Category.BACKGROUND
    language: str = Document.Language.EN
    # Translations of the title, (language, title): unofficial, as the secretariat wrote them.
    title_translations: tuple[tuple[str, str], ...] = ()


CURRENT_ITEMS = [
    DemoItem(
        UKRAINE_ITEM,
        Kind.CRISIS_REVIEW,
        "Review of the security situation, humanitarian access and the risk of "
        "escalation along the line of contact. Ukraine is invited for this item.",
        proposer="EU",
    ),
    DemoItem(
        "Threat assessment: the quarter's picture",
        Kind.THREAT_ASSESSMENT,
        "Each seat-holder's scores of the shared threat list, released by the chair; "
        "divergences discussed threat by threat.",
        distribution=Distribution.SEAT_HOLDERS,
    ),
    DemoItem(
        "Incidents at sea and in the air: norms of behaviour",
        Kind.NORMS,
        "Unsafe intercepts over the Baltic and the Black Sea; whether the 1972 "
        "incidents-at-sea model can be extended to military aviation and drones.",
        proposer="USA",
        chatham_house=True,
    ),
    DemoItem(
        "Off-ramps for the Black Sea",
        Kind.OFF_RAMPS,
        "Options to de-escalate naval activity: notification of exercises, a "
        "deconfliction line, grain-corridor guarantees.",
        proposer="RUS",
    ),
    DemoItem("Any other business", Kind.ANY_OTHER_BUSINESS, ""),
]
NEXT_ITEMS = [
    DemoItem(
        "Scenario exercise: a grid blackout in winter",
        Kind.SCENARIO_EXERCISE,
        "A tabletop exercise on a cyber-attack against a cross-border power grid "
        "and the attribution dispute that follows.",
        distribution=Distribution.SEAT_HOLDERS,
        chatham_house=True,
    ),
    DemoItem(
        "Arms control: the future of notifications of large exercises",
        Kind.NORMS,
        "Follow-up of the previous session's discussion of exercise notifications.",
        proposer="NATO",
    ),
]


def _papers(current: Session, following: Session) -> list[tuple[Session, DemoPaper]]:
    papers = [
        (current, DemoPaper("Practical arrangements", ARRANGEMENTS, Distribution.PUBLIC)),
        (
            current,
            DemoPaper(
                "Background paper: the situation in and around Ukraine",
                UKRAINE_BACKGROUND,
                Distribution.PARTICIPANTS,
                item=UKRAINE_ITEM,
            ),
        ),
        (
            current,
            DemoPaper("Internal planning note", PLANNING_NOTE, Distribution.SECRETARIAT),
        ),
        (
            current,
            DemoPaper(
                "Incidents at sea and in the air: position of the United States",
                US_POSITION,
                Distribution.PARTICIPANTS,
                owner="USA",
                item="Incidents at sea and in the air: norms of behaviour",
                category=Category.NATIONAL_POSITION,
                title_translations=(
                    (
                        Document.Language.RU,
                        "Инциденты на море и в воздухе: позиция Соединённых Штатов Америки",
                    ),
                ),
            ),
        ),
        (
            current,
            DemoPaper(
                "Черноморские меры доверия: позиция Российской Федерации",
                RUS_POSITION,
                Distribution.PARTICIPANTS,
                owner="RUS",
                item="Off-ramps for the Black Sea",
                category=Category.NATIONAL_POSITION,
                language=Document.Language.RU,
            ),
        ),
        (
            following,
            DemoPaper(
                "Scenario text: a winter blackout",
                SCENARIO,
                Distribution.SEAT_HOLDERS,
                item="Scenario exercise: a grid blackout in winter",
                category=Category.SCENARIO,
            ),
        ),
    ]
    for code in ("USA", "RUS", "NATO", "EU"):
        for session in (current, following):
            papers.append(
                (
                    session,
                    DemoPaper(
                        f"{code} talking points for {session.number}",
                        note_text(code, session),
                        Distribution.DELEGATION,
                        owner=code,
                        category=Category.NOTE,
                    ),
                )
            )
    return papers


def _regular_session(quarter: Quarter) -> Session | None:
    return (
        Session.objects.filter(kind=Session.Kind.REGULAR, quarter=str(quarter))
        .exclude(status=Session.Status.CANCELLED)
        .first()
    )


def _items(
    session: Session, items: list[DemoItem], parties: dict[str, Party], secretary: Any
) -> int:
    existing = set(AgendaItem.objects.filter(session=session).values_list("title", flat=True))
    missing = [item for item in items if item.title not in existing]
    agenda = Agenda.objects.filter(session=session).first()
    if missing and agenda is not None and agenda.status != Agenda.Status.DRAFT:
        # Someone circulated or adopted this agenda: it is theirs now.
        return 0
    for item in missing:
        items_services.agenda_item_add(
            session=session,
            user=secretary,
            title=item.title,
            kind=item.kind,
            description=item.description,
            distribution=item.distribution,
            proposer=parties.get(item.proposer) if item.proposer else None,
            chatham_house=item.chatham_house,
        )
    return len(missing)


def _translate_ukraine_item(session: Session, secretary: Any) -> None:
    """Once: a translation already there (perhaps rewritten by hand) is left as it is."""
    item = AgendaItem.objects.filter(session=session, title=UKRAINE_ITEM).first()
    if item is None:
        return
    for language, (title, description) in UKRAINE_ITEM_TRANSLATIONS.items():
        if getattr(item, f"translation_state_{language}"):
            continue
        item = translation_services.agenda_item_translation_set(
            item=item, user=secretary, language=language, title=title, description=description
        )
        if language in CONFIRMED_ITEM_TRANSLATIONS:
            item = translation_services.agenda_item_translation_confirm(
                item=item, user=secretary, language=language
            )


def _invite_ukraine(session: Session, parties: dict[str, Party], secretary: Any) -> None:
    item = AgendaItem.objects.filter(session=session, title=UKRAINE_ITEM).first()
    ukraine = parties.get("UKR")
    if item is None or ukraine is None:
        return
    invited = (
        Invitation.objects.filter(session=session, party=ukraine)
        .exclude(status=Invitation.Status.REVOKED)
        .exists()
    )
    if not invited:
        invitation_create(
            session=session,
            party=ukraine,
            kind=Invitation.Kind.AD_HOC,
            item=item,
            user=secretary,
            reason="Ukraine is invited for the item on the situation in and around Ukraine.",
            notify=False,
        )


def _file(
    session: Session,
    demo: DemoPaper,
    *,
    parties: dict[str, Party],
    users: dict[str, Any],
    secretary: Any,
) -> bool:
    if Document.objects.filter(session=session, title=demo.title).exists():
        return False
    author = users.get(demo.owner) if demo.owner else secretary
    if author is None:
        return False
    item = (
        AgendaItem.objects.filter(session=session, title=demo.item).first() if demo.item else None
    )
    document_services.document_create(
        user=author,
        session=session,
        item=item,
        title=demo.title,
        distribution=demo.distribution,
        language=demo.language,
        category=demo.category,
        owner=parties[demo.owner] if demo.owner else None,
        body_html=demo.body.strip(),
    )
    return True


def _translate(session: Session, demo: DemoPaper, *, secretary: Any) -> int:
    """The demo's translations of a paper's title that are not written yet."""
    document = Document.objects.filter(session=session, title=demo.title).first()
    if document is None:
        return 0
    written = 0
    for language, title in demo.title_translations:
        if DOCUMENT_PARALLEL.state(document, language):
            continue
        document = document_services.document_title_translation_set(
            document=document, user=secretary, language=language, title=title
        )
        written += 1
    return written


@transaction.atomic
def seed(*, stdout: TextIO | None = None) -> None:
    User = get_user_model()
    secretary = User.objects.filter(username=SECRETARIAT_USERNAME).first()
    quarter = demo_quarter()
    current, following = _regular_session(quarter), _regular_session(quarter + 1)
    if secretary is None or current is None or following is None:
        if stdout is not None:
            stdout.write("Agenda papers: skipped (run the members and agenda demo first).\n")
        return
    parties = {party.code: party for party in Party.objects.all()}
    users = {
        code: user
        for code, username in DELEGATE_USERNAMES.items()
        if (user := User.objects.filter(username=username).first()) is not None
    }

    added = _items(current, CURRENT_ITEMS, parties, secretary)
    added += _items(following, NEXT_ITEMS, parties, secretary)
    _invite_ukraine(current, parties, secretary)
    _translate_ukraine_item(current, secretary)
    agenda = Agenda.objects.filter(session=current).first()
    # The window closes before the session opens; a session too close to its
    # opening for any window keeps its agenda a draft.
    if (
        agenda is not None
        and agenda.status == Agenda.Status.DRAFT
        and agenda.circulated_at is None
        and agenda_services.objection_window_latest_close(current) > timezone.now()
    ):
        agenda_services.agenda_circulate(session=current, user=secretary)

    filed = sum(
        _file(session, demo, parties=parties, users=users, secretary=secretary)
        for session, demo in _papers(current, following)
    )
    translated = sum(
        _translate(session, demo, secretary=secretary)
        for session, demo in _papers(current, following)
        if demo.title_translations
    )
    if stdout is not None:
        stdout.write(
            f"Agenda papers: {added} items added to {current.number} and {following.number}, "
            f"{filed} papers and notes filed, {translated} titles translated.\n"
        )
