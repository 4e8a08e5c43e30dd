"""Demo data of the record: last quarter's minutes and the texts published so far.

- Last quarter's regular session (created here unless the agenda demo made
  it), with minutes approved after one accepted amendment: statements from
  every party at the table, one item under the Chatham House rule, an
  interpretative statement, an open and a closed action point.
- Its communiqué, published with a footnote carrying the United States'
  reservation.
- An older text (the session two quarters back), published as a chair's
  statement because Russia dissociated from it.
- If this quarter's regular session exists, a draft communiqué circulated to
  its seat-holders, for a delegate to state a position on.

What happened in the past is recorded as history: positions on past
deadlines are written as they were stated, and the publication applies the
same rule as ``communique_publish`` (a dissociation makes a chair's statement).
Idempotent: each part is created once, recognised by its session and title.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from agenda.demo.sessions import demo_quarter
from agenda.models import AgendaItem, Invitation, Session
from agenda.services.invitations import invitation_create
from agenda.services.items import agenda_item_add
from agenda.services.sessions import session_create, session_transition
from consult.access import SECRETARIAT_GROUP
from consult.quarters import Quarter
from members.models import DelegationMembership, Party
from members.selectors.seats import seat_holder_parties
from minutes.keys import demo_keys_ensure
from minutes.models import ActionPoint, Communique, CommuniqueVersion, Minutes, Position
from minutes.services import action_points as action_points_services
from minutes.services import communiques as communiques_services
from minutes.services import record as record_services
from minutes.services import review as review_services
from minutes.services.communiques import _enqueue_signing, _publish

TABLE = ("USA", "RUS", "NATO", "EU")
VENUE = "Vienna, Hofburg"
ITEMS = [
    ("Incidents in the Baltic Sea airspace", "crisis_review", False),
    ("Signalling around nuclear exercises", "norms", True),
    ("Off-ramps for the Black Sea corridor", "off_ramps", False),
]
# (party, item order, speaker, summary)
STATEMENTS = [
    ("USA", 1, "Ambassador J. Carter", "Called for notification of air patrols near borders."),
    (
        "RUS",
        1,
        "Ambassador I. Volkova",
        "Said the patrols answered exercises close to Kaliningrad.",
    ),
    ("NATO", 1, "Deputy Secretary General L. Eriksen", "Proposed a direct military hotline."),
    ("EU", 1, "Ambassador S. Laurent", "Supported the hotline and offered to host experts."),
    (
        "RUS",
        2,
        "Ambassador I. Volkova",
        "Warned that ambiguous signalling raised the risk of error.",
    ),
    (
        "USA",
        2,
        "Ambassador J. Carter",
        "Proposed advance notice of exercises with nuclear-capable forces.",
    ),
    ("EU", 2, "Ambassador S. Laurent", "Asked for a common glossary of signalling terms."),
    (
        "NATO",
        3,
        "Deputy Secretary General L. Eriksen",
        "Listed three options for a monitored corridor.",
    ),
    ("RUS", 3, "Ambassador I. Volkova", "Accepted to examine monitoring by a neutral party."),
    ("USA", 3, "Ambassador J. Carter", "Supported monitoring, without sanctions relief."),
]
LAST_TITLE = "Communiqué on restraint in the Baltic Sea region"
LAST_TEXT = (
    "<p>The participants discussed incidents in the Baltic Sea airspace and agreed that "
    "military flights near borders should keep transponders on.</p>"
    "<p>They welcomed the proposal of a direct military hotline and asked experts to "
    "report at the next session.</p>"
)
US_RESERVATION = (
    "The United States understands paragraph 1 as applying to all military aircraft of "
    "the participants, including those operating from Kaliningrad."
)
# The communiqué's parallel texts: English is authoritative; the French translation is
# confirmed by the secretariat, the Russian one is still unofficial.
# ruff: noqa: RUF001 (Russian and French text)
LAST_TRANSLATIONS = {
    "ru": (
        "Коммюнике о сдержанности в регионе Балтийского моря",
        "<p>Участники обсудили инциденты в воздушном пространстве над Балтийским морем и "
        "согласились с тем, что военные самолёты, выполняющие полёты вблизи границ, должны "
        "держать транспондеры включёнными.</p>"
        "<p>Они приветствовали предложение о создании прямой военной линии связи и поручили "
        "экспертам доложить о результатах на следующей сессии.</p>",
    ),
    "fr": (
        "Communiqué sur la retenue dans la région de la mer Baltique",
        "<p>Les participants ont examiné les incidents survenus dans l’espace aérien de la "
        "mer Baltique et sont convenus que les vols militaires à proximité des frontières "
        "devraient maintenir leurs transpondeurs allumés.</p>"
        "<p>Ils se sont félicités de la proposition d’une ligne directe militaire et ont "
        "demandé aux experts de faire rapport à la prochaine session.</p>",
    ),
}
CONFIRMED_TRANSLATIONS = ("fr",)
OLDER_TITLE = "Statement on the Black Sea corridor"
OLDER_TEXT = (
    "<p>The participants call for a monitored humanitarian corridor in the Black Sea and "
    "for the return of civilian shipping to agreed lanes.</p>"
)
# The chair's statement in Russian, unofficial (a translation translates the title as
# published, the chair's statement's included).
OLDER_TRANSLATIONS = {
    "ru": (
        "Заявление председателя: заявление о черноморском коридоре",
        "<p>Участники призывают создать контролируемый гуманитарный коридор в Чёрном море и "
        "вернуть гражданское судоходство на согласованные маршруты.</p>",
    ),
}
DRAFT_TITLE = "Communiqué on crisis communication"
DRAFT_TEXT = (
    "<p>The participants agree to test the military hotline every month and to report "
    "incidents within 24 hours.</p>"
)


def _secretary() -> Any:
    return (
        get_user_model()
        .objects.filter(groups__name=SECRETARIAT_GROUP, is_active=True)
        .order_by("pk")
        .first()
    )


def _session(quarter: Quarter, *, secretary: Any, with_items: bool) -> Session:
    existing = (
        Session.objects.filter(kind=Session.Kind.REGULAR, quarter=str(quarter))
        .exclude(status=Session.Status.CANCELLED)
        .first()
    )
    if existing is not None:
        return existing
    day = quarter.first_day + timedelta(days=45)
    starts_at = datetime.combine(day, time(8, 0), tzinfo=UTC)
    session = session_create(
        kind=Session.Kind.REGULAR,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=8),
        venue=VENUE,
        user=secretary,
        title="Quarterly consultation",
        status=Session.Status.IN_SESSION if with_items else Session.Status.HELD,
    )
    if with_items:
        for title, kind, chatham_house in ITEMS:
            agenda_item_add(
                session=session,
                user=secretary,
                title=title,
                kind=kind,
                chatham_house=chatham_house,
            )
    return session


def _table(quarter: Quarter) -> list[Party]:
    """The parties at the table: the quarter's seat-holders, or the four seats' own parties."""
    parties = list(seat_holder_parties(quarter=quarter).order_by("name_en"))
    return parties or list(Party.objects.filter(code__in=TABLE).order_by("name_en"))


def _invite(session: Session, parties: list[Party], *, secretary: Any) -> None:
    invited = set(
        Invitation.objects.filter(session=session, item__isnull=True)
        .exclude(status=Invitation.Status.REVOKED)
        .values_list("party_id", flat=True)
    )
    for party in parties:
        if party.pk not in invited and hasattr(party, "delegation"):
            invitation_create(
                session=session,
                party=party,
                kind=Invitation.Kind.MEMBER,
                user=secretary,
                reason_code=Invitation.ReasonCode.SEAT_HOLDER,
                notify=False,
            )


def _delegates(party: Party, session: Session) -> list[Any]:
    """Demo delegates who belonged to the party's delegation during the session."""
    users = DelegationMembership.objects.filter(
        delegation__party=party, valid_from__lte=session.ends_at
    ).exclude(valid_until__lte=session.starts_at)
    return list(get_user_model().objects.filter(pk__in=users.values("user")))


def _minutes(session: Session, parties: list[Party], *, secretary: Any) -> Minutes:
    minutes = Minutes.objects.filter(session=session).first()
    if minutes is not None:
        return minutes
    minutes = record_services.minutes_create(session=session, user=secretary)
    by_code = {party.code: party for party in parties}
    for party in parties:
        record_services.attendance_record(
            minutes=minutes,
            party=party,
            user=secretary,
            delegates=_delegates(party, session),
            arrived_at=session.starts_at,
            left_at=session.ends_at,
        )
    items = {item.order: item for item in AgendaItem.objects.filter(session=session)}
    spoken: set[str] = set()
    for code, order, speaker, summary in STATEMENTS:
        if code in by_code and order in items:
            record_services.statement_record(
                minutes=minutes,
                item=items[order],
                party=by_code[code],
                user=secretary,
                summary=summary,
                speaker_name=speaker,
            )
            spoken.add(code)
    # Rotating holders sit at the table too: each says a word on the first item.
    for party in parties:
        if party.code not in spoken and 1 in items:
            record_services.statement_record(
                minutes=minutes,
                item=items[1],
                party=party,
                user=secretary,
                summary=f"{party.name_en} supported notification of air patrols.",
            )
    first_item = items.get(1)
    action_points_services.action_point_create(
        minutes=minutes,
        user=secretary,
        description="Circulate a draft protocol for the military hotline.",
        due_date=timezone.now().date() + timedelta(days=40),
        owner=by_code.get("NATO"),
        item=first_item,
    )
    closed = action_points_services.action_point_create(
        minutes=minutes,
        user=secretary,
        description="Share the schedule of exercises near the Baltic Sea.",
        due_date=session.ends_at.date() + timedelta(days=30),
        owner=by_code.get("RUS"),
        item=first_item,
    )
    action_points_services.action_point_update_status(
        action_point=closed, user=secretary, status=ActionPoint.Status.DONE
    )
    russia = by_code.get("RUS")
    russian = _current_delegate(russia)
    if russia is not None and russian is not None and first_item is not None:
        record_services.interpretative_statement_attach(
            minutes=minutes,
            item=first_item,
            party=russia,
            user=russian,
            summary="Russia understands the hotline as covering all participants' aircraft.",
        )
    review_services.minutes_circulate(minutes=minutes, user=secretary)
    if russia is not None and russian is not None:
        statement = minutes.statements.filter(party=russia, item__order=1, kind="statement").first()
        amendment = review_services.amendment_propose(
            minutes=minutes,
            party=russia,
            user=russian,
            statement=statement,
            text="Said the patrols answered large exercises close to Kaliningrad.",
            rationale="The word “large” was used.",
        )
        review_services.amendment_decide(
            amendment=amendment, user=secretary, accept=True, reason="Matches the recording."
        )
    review_services.minutes_approve(minutes=minutes, user=secretary)
    return minutes


def _current_delegate(party: Party | None) -> Any:
    if party is None:
        return None
    now = timezone.now()
    membership = (
        DelegationMembership.objects.filter(delegation__party=party, valid_from__lte=now)
        .exclude(valid_until__lte=now)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _historic_text(
    session: Session,
    parties: list[Party],
    *,
    secretary: Any,
    title: str,
    text: str,
    positions: dict[str, tuple[str, str]],
) -> Communique:
    """A text circulated after the session, with the positions stated then, published."""
    existing = Communique.objects.filter(session=session, title=title).first()
    if existing is not None:
        return existing
    communique = communiques_services.communique_draft(
        session=session, user=secretary, title=title, text=text
    )
    version = communique.versions.get()
    circulated_at = session.ends_at + timedelta(days=1)
    communique.status = Communique.Status.CIRCULATED
    communique.circulated_version = version
    communique.circulated_at = circulated_at
    communique.deadline = circulated_at + timedelta(days=7)
    communique.save()
    for party in parties:
        stance, reservation = positions.get(party.code, (Position.Stance.ASSOCIATES, ""))
        stated_by = _current_delegate(party) or secretary
        Position.objects.create(
            version=version,
            party=party,
            stance=stance,
            reservation=reservation,
            stated_by=stated_by,
        )
    return _publish(communique, user=secretary, now=communique.deadline + timedelta(hours=1))


def _translations(
    communique: Communique, translations: dict[str, tuple[str, str]], *, secretary: Any
) -> None:
    """A demo text's translations (once: a seeded translation is left as it is)."""
    for language, (title, text) in translations.items():
        if getattr(communique, f"translation_state_{language}"):
            continue
        communique = communiques_services.communique_translation_set(
            communique=communique, user=secretary, language=language, title=title, text=text
        )
        if language in CONFIRMED_TRANSLATIONS:
            communique = communiques_services.communique_translation_confirm(
                communique=communique, user=secretary, language=language
            )


def _draft_for_this_quarter(*, secretary: Any) -> None:
    session = (
        Session.objects.filter(kind=Session.Kind.REGULAR, quarter=str(demo_quarter()))
        .exclude(status=Session.Status.CANCELLED)
        .first()
    )
    if session is None or Communique.objects.filter(session=session, title=DRAFT_TITLE).exists():
        return
    communique = communiques_services.communique_draft(
        session=session, user=secretary, title=DRAFT_TITLE, text=DRAFT_TEXT
    )
    communiques_services.communique_circulate(
        communique=communique,
        user=secretary,
        deadline=timezone.now() + timedelta(days=14),
    )


@transaction.atomic
def seed(*, stdout: TextIO | None = None) -> None:
    secretary = _secretary()
    if secretary is None:
        if stdout is not None:
            stdout.write("Minutes: no secretariat account yet; skipped.\n")
        return
    if demo_keys_ensure() and stdout is not None:
        stdout.write("Minutes: demo signing keys written (embedded default only).\n")
    last = demo_quarter() - 1
    session = _session(last, secretary=secretary, with_items=True)
    parties = _table(last)
    _invite(session, parties, secretary=secretary)
    if session.status == Session.Status.IN_SESSION:
        session = session_transition(session=session, to_status=Session.Status.HELD, user=secretary)
    minutes = _minutes(session, parties, secretary=secretary)
    last_text = _historic_text(
        session,
        parties,
        secretary=secretary,
        title=LAST_TITLE,
        text=LAST_TEXT,
        positions={"USA": (Position.Stance.RESERVATION, US_RESERVATION)},
    )
    _translations(last_text, LAST_TRANSLATIONS, secretary=secretary)
    older = _session(last - 1, secretary=secretary, with_items=False)
    older_text = _historic_text(
        older,
        _table(last - 1),
        secretary=secretary,
        title=OLDER_TITLE,
        text=OLDER_TEXT,
        positions={"RUS": (Position.Stance.DISSOCIATES, "")},
    )
    _translations(older_text, OLDER_TRANSLATIONS, secretary=secretary)
    _draft_for_this_quarter(secretary=secretary)
    # Texts published by an earlier seed, before signing existed, are signed too.
    for version in CommuniqueVersion.objects.filter(
        communique__status=Communique.Status.PUBLISHED, signature__isnull=True
    ).filter(communique__published_version=F("pk")):
        _enqueue_signing(version)
    if stdout is not None:
        stdout.write(
            f"Minutes: {session.number} ({minutes.get_status_display().lower()}, "
            f"{minutes.statements.count()} statements), its communiqué and an older "
            "chair's statement published.\n"
        )
