"""Demo data of the crisis toolkit, on top of the members, agenda and minutes demos.

- Two crisis dossiers with dated status histories, linked to the demo record:
  the Baltic Sea airspace incidents (raised at last quarter's session) and the
  Black Sea corridor (raised two quarters back).
- A shared threat list of ten threats, the first (unsafe intercepts over the Baltic) in
  Russian too, the translation confirmed by the secretariat.
- The threat assessments of the two previous quarters' regular sessions,
  released: one round two quarters back; two rounds last quarter, the second
  asking again on the threats whose spread was at or above the threshold, where
  views converged on some, stayed on one and diverged on one (the United States
  and Russia moved apart on strikes on merchant shipping).
- The threat-picture paper of this quarter's session (``paper``), written from last
  quarter's released picture.
- This quarter's assessment, open: its first round's deadline lies ahead,
  before the session opens; NATO has scored every threat and the United States
  some, so ``delegate-usa`` can finish scoring, ``delegate-rus`` finds the US
  scores sealed and the secretariat can release the round.

The open assessment goes through the services, as a secretariat and delegates
would do it today. The past assessments are history, written as rows with the
dates they would have had (opened, scored before each deadline, released after
it), as the minutes demo writes past positions: the services check the clock
("the deadline has to be in the future") and the seats of the scoring quarter,
and the demo seats only begin this quarter, so running the services for the past
would need a clock moved inside the process and seats invented for those
quarters; writing the rows says plainly what they are. The parties at the table
then are the quarter's seat-holders, or else the four seats' own parties, like
the minutes demo's table.

Idempotent: crises and threats are recognised by title, assessments by their
session; what exists is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from agenda.demo.sessions import demo_quarter
from agenda.models import AgendaItem, Document, Invitation, Session
from agenda.services.invitations import invitation_create
from consult import parallel
from consult.access import SECRETARIAT_GROUP, Distribution
from consult.errors import ApplicationError
from consult.quarters import Quarter
from crises.demo.paper import seed_paper
from crises.demo.registers import seed_registers
from crises.models import Assessment, AssessmentRound, Crisis, Score, Threat
from crises.models.assessments import THREAT_PARALLEL
from crises.services import assessments as assessment_services
from crises.services import crises as crisis_services
from crises.services import threats as threat_services
from crises.services.assessments import ScoreInput
from members.models import Party
from members.selectors.seats import seat_holder_parties
from minutes.models import ActionPoint, Communique, Statement

TABLE = ("USA", "RUS", "NATO", "EU")
DELEGATES = {
    "USA": "delegate-usa",
    "RUS": "delegate-rus",
    "NATO": "delegate-nato",
    "EU": "delegate-eu",
}
CONFIDENCE = {"USA": "high", "RUS": "medium", "NATO": "high", "EU": "medium"}
TRENDS = {"r": Score.Trend.RISING, "s": Score.Trend.STEADY, "f": Score.Trend.FALLING}
THRESHOLD = Decimal("1.0")

BALTIC = "Baltic Sea airspace incidents"
BLACK_SEA = "The Black Sea corridor"


# The parallel texts of one threat (consult/parallel.py): key -> (title, description).
THREAT_TRANSLATIONS_RU = {
    "intercepts": (
        "Опасные перехваты военных самолётов над Балтийским морем",
        "Сближения патрульных самолётов и перехватчиков над международными водами на "
        "расстояниях меньше принятых безопасных дистанций.",
    ),
}


@dataclass(frozen=True)
class DemoThreat:
    key: str
    title: str
    description: str
    region: str
    crisis: str | None = None


THREATS = [
    DemoThreat(
        "intercepts",
        "Unsafe intercepts of military aircraft over the Baltic Sea",
        "Close approaches between patrol aircraft and interceptors over international "
        "waters, at distances below the customary safety margins.",
        "Baltic Sea",
        BALTIC,
    ),
    DemoThreat(
        "jamming",
        "GNSS jamming over the Baltic Sea region",
        "Interference with satellite navigation affecting civil flights and shipping "
        "between the Gulf of Finland and the Danish straits.",
        "Baltic Sea",
        BALTIC,
    ),
    DemoThreat(
        "transponders",
        "Military flights without transponders near civilian air routes",
        "Military aircraft flying with transponders off and no flight plan filed, "
        "close to busy civilian routes.",
        "Baltic Sea",
        BALTIC,
    ),
    DemoThreat(
        "cables",
        "Sabotage of undersea cables and pipelines in the Baltic Sea",
        "Damage to data cables and gas pipelines on the seabed, with attribution disputed.",
        "Baltic Sea",
    ),
    DemoThreat(
        "collision",
        "A collision between naval vessels in the Black Sea",
        "An unplanned encounter at sea ending in a collision, with conflicting accounts "
        "of who crossed which line.",
        "Black Sea",
        BLACK_SEA,
    ),
    DemoThreat(
        "shipping",
        "Strikes on merchant shipping in the Black Sea corridor",
        "Attacks on, or seizures of, merchant ships using the corridor's agreed lanes.",
        "Black Sea",
        BLACK_SEA,
    ),
    DemoThreat(
        "mines",
        "Drifting sea mines in the western Black Sea",
        "Mines torn from their moorings drifting into shipping lanes and coastal waters.",
        "Black Sea",
        BLACK_SEA,
    ),
    DemoThreat(
        "signalling",
        "Misread signalling around nuclear-capable exercises",
        "Exercises of nuclear-capable forces read by the other side as preparation for use.",
        "Euro-Atlantic area",
    ),
    DemoThreat(
        "grid",
        "A cyber-attack on a cross-border power grid",
        "A disabling attack on the control systems of an interconnected grid in winter, "
        "followed by a dispute over attribution.",
        "Europe",
    ),
    DemoThreat(
        "notifications",
        "Erosion of the notification of large military exercises",
        "Exercises held below the notification thresholds, or split to stay under them, "
        "so that none is notified in advance.",
        "Euro-Atlantic area",
    ),
]

# (likelihood, impact, trend) per threat and party, round by round: two quarters back
# (one round), last quarter (round 1, then round 2 on the threats asked again) and this
# quarter's open round (NATO and part of the United States' scores).
Scores = dict[str, dict[str, tuple[int, int, str]]]

TWO_QUARTERS_BACK: Scores = {
    "intercepts": {"USA": (4, 3, "r"), "RUS": (2, 2, "s"), "NATO": (4, 3, "r"), "EU": (3, 3, "r")},
    "jamming": {"USA": (3, 3, "r"), "RUS": (2, 2, "s"), "NATO": (3, 3, "r"), "EU": (3, 2, "r")},
    "transponders": {
        "USA": (4, 4, "s"),
        "RUS": (2, 3, "s"),
        "NATO": (4, 4, "s"),
        "EU": (3, 4, "s"),
    },
    "cables": {"USA": (2, 4, "s"), "RUS": (2, 3, "s"), "NATO": (3, 4, "r"), "EU": (3, 4, "r")},
    "collision": {"USA": (2, 4, "s"), "RUS": (3, 4, "r"), "NATO": (2, 4, "s"), "EU": (2, 3, "s")},
    "shipping": {"USA": (4, 4, "r"), "RUS": (3, 3, "s"), "NATO": (3, 4, "r"), "EU": (4, 5, "r")},
    "mines": {"USA": (3, 3, "s"), "RUS": (3, 3, "s"), "NATO": (3, 3, "s"), "EU": (3, 3, "s")},
    "signalling": {
        "USA": (2, 5, "s"),
        "RUS": (3, 5, "r"),
        "NATO": (2, 5, "s"),
        "EU": (2, 5, "s"),
    },
    "grid": {"USA": (3, 4, "r"), "RUS": (2, 4, "s"), "NATO": (3, 4, "r"), "EU": (3, 5, "r")},
    "notifications": {
        "USA": (3, 2, "s"),
        "RUS": (3, 2, "s"),
        "NATO": (3, 3, "r"),
        "EU": (2, 2, "s"),
    },
}
LAST_QUARTER_FIRST: Scores = {
    "intercepts": {"USA": (5, 4, "r"), "RUS": (2, 2, "f"), "NATO": (4, 4, "r"), "EU": (3, 3, "r")},
    "jamming": {"USA": (4, 3, "r"), "RUS": (2, 2, "s"), "NATO": (4, 4, "r"), "EU": (3, 3, "r")},
    "transponders": {
        "USA": (4, 4, "s"),
        "RUS": (3, 3, "s"),
        "NATO": (4, 4, "s"),
        "EU": (4, 4, "s"),
    },
    "cables": {"USA": (3, 4, "r"), "RUS": (1, 2, "s"), "NATO": (4, 5, "r"), "EU": (4, 4, "r")},
    "collision": {"USA": (3, 4, "s"), "RUS": (3, 5, "r"), "NATO": (2, 4, "s"), "EU": (3, 4, "s")},
    "shipping": {"USA": (4, 4, "r"), "RUS": (2, 3, "f"), "NATO": (4, 4, "r"), "EU": (3, 4, "s")},
    "mines": {"USA": (3, 3, "s"), "RUS": (3, 3, "s"), "NATO": (3, 3, "s"), "EU": (2, 3, "s")},
    "signalling": {
        "USA": (2, 5, "s"),
        "RUS": (3, 5, "r"),
        "NATO": (2, 5, "s"),
        "EU": (2, 5, "s"),
    },
    "grid": {"USA": (3, 4, "r"), "RUS": (2, 4, "s"), "NATO": (3, 5, "r"), "EU": (3, 4, "r")},
    "notifications": {
        "USA": (4, 3, "r"),
        "RUS": (2, 3, "s"),
        "NATO": (4, 3, "r"),
        "EU": (3, 2, "s"),
    },
}
# The second round: only the threats round 1 left at or above the threshold are asked.
LAST_QUARTER_SECOND: Scores = {
    "intercepts": {"USA": (4, 4, "r"), "RUS": (3, 3, "s"), "NATO": (4, 4, "r"), "EU": (4, 4, "r")},
    "jamming": {"USA": (4, 3, "r"), "RUS": (3, 3, "s"), "NATO": (4, 3, "r"), "EU": (4, 3, "r")},
    "cables": {"USA": (3, 4, "r"), "RUS": (2, 3, "s"), "NATO": (3, 4, "r"), "EU": (3, 4, "r")},
    "shipping": {"USA": (5, 5, "r"), "RUS": (1, 2, "f"), "NATO": (4, 4, "r"), "EU": (3, 4, "s")},
    "notifications": {
        "USA": (4, 3, "r"),
        "RUS": (2, 3, "s"),
        "NATO": (3, 3, "r"),
        "EU": (4, 2, "s"),
    },
}
THIS_QUARTER: Scores = {
    "intercepts": {"USA": (4, 3, "f"), "NATO": (4, 3, "f")},
    "jamming": {"USA": (5, 3, "r"), "NATO": (5, 3, "r")},
    "transponders": {"NATO": (3, 4, "f")},
    "cables": {"NATO": (4, 5, "r")},
    "collision": {"USA": (3, 5, "r"), "NATO": (3, 4, "r")},
    "shipping": {"USA": (5, 5, "r"), "NATO": (4, 4, "r")},
    "mines": {"NATO": (3, 3, "s")},
    "signalling": {"NATO": (2, 5, "s")},
    "grid": {"NATO": (4, 5, "r")},
    "notifications": {"NATO": (3, 3, "s")},
}
RATIONALES: dict[str, dict[str, str]] = {
    "intercepts": {
        "USA": "Intercepts within ten metres of our patrol aircraft; no hotline call followed.",
        "RUS": "Patrols answer exercises near Kaliningrad; our pilots follow the rules.",
        "NATO": "Air policing logged more close approaches than in any quarter before.",
        "EU": "Member states' air traffic control report a steady rise in incidents.",
    },
    "jamming": {
        "USA": "Jamming now reaches civil flights daily; the source is well located.",
        "RUS": "Interference has many sources in the region, including exercises.",
        "NATO": "Interference is persistent and affects search and rescue.",
        "EU": "Airlines reroute around the Gulf of Finland; costs and risks grow.",
    },
    "transponders": {
        "USA": "Flights without transponders keep coming close to civilian routes.",
        "RUS": "Our flights are notified to the competent military control centres.",
        "NATO": "A near-collision with an airliner shows the danger is real.",
        "EU": "Civil aviation authorities ask for transponders on in busy airspace.",
    },
    "cables": {
        "USA": "Two cable breaks in one season are not chance; the impact is regional.",
        "RUS": "Anchors of merchant ships break cables; there is no sign of intent.",
        "NATO": "Seabed infrastructure is exposed and hard to monitor.",
        "EU": "The energy and data links of several member states depend on them.",
    },
    "collision": {
        "USA": "Shadowing at close range makes a collision likely sooner or later.",
        "RUS": "Foreign warships operating close to our coast raise the risk of accidents.",
        "NATO": "Rules of the road are followed by most; incidents stay rare.",
        "EU": "Naval traffic has grown; a collision would be hard to contain.",
    },
    "shipping": {
        "USA": "Strikes near the corridor continue and insurance rates show it.",
        "RUS": "Ships that carry military cargo are not civilian shipping.",
        "NATO": "Each strike near a lane endangers crews of many flags.",
        "EU": "Food exports through the corridor matter to the whole region.",
    },
    "mines": {
        "USA": "Mines keep drifting after storms; clearance is slow.",
        "RUS": "Mines laid in coastal waters drift; all coastal states share the risk.",
        "NATO": "Riparian mine countermeasures work, but lanes are long.",
        "EU": "Fishing and tourism on the western coast have been hit.",
    },
    "signalling": {
        "USA": "Channels exist; the risk of a misreading is low but grave.",
        "RUS": "Exercises near our borders without notice can be misread.",
        "NATO": "Exercises are announced; ambiguity comes from rhetoric.",
        "EU": "Any misreading would have consequences far beyond the region.",
    },
    "grid": {
        "USA": "Grid operators report probing of control systems every week.",
        "RUS": "Accusations without evidence make the risk of escalation worse.",
        "NATO": "A winter blackout would hit hospitals and heating across borders.",
        "EU": "The grids of the member states are interconnected; one failure spreads.",
    },
    "notifications": {
        "USA": "Large exercises are split to stay below the thresholds.",
        "RUS": "Notification rules are outdated; both sides exercise without notice.",
        "NATO": "Fewer notifications each year make surprise easier.",
        "EU": "Transparency measures are eroding with little public debate.",
    },
}
REVISED = "After the first round's summary: "


@dataclass(frozen=True)
class DemoCrisis:
    title: str
    region: str
    summary: str
    # The items, papers, communiqués linked: by session offset (0 this quarter, -1 last
    # quarter...) and title; statements and action points: those of the linked items.
    items: tuple[tuple[int, str], ...]
    documents: tuple[tuple[int, str], ...]
    communiques: tuple[tuple[int, str], ...]


CRISES = {
    BALTIC: DemoCrisis(
        BALTIC,
        "Baltic Sea",
        "<p>Close intercepts of military aircraft over the Baltic Sea, military flights "
        "with transponders off near civilian routes, and jamming of satellite navigation "
        "that reaches civil aviation.</p><p>The participants agreed last quarter that "
        "military flights near borders keep transponders on, and asked experts to report "
        "on a direct military hotline.</p>",
        items=(
            (-1, "Incidents in the Baltic Sea airspace"),
            (0, "Incidents at sea and in the air: norms of behaviour"),
        ),
        documents=((0, "Incidents at sea and in the air: position of the United States"),),
        communiques=((-1, "Communiqué on restraint in the Baltic Sea region"),),
    ),
    BLACK_SEA: DemoCrisis(
        BLACK_SEA,
        "Black Sea",
        "<p>Strikes on merchant shipping near the corridor's agreed lanes, drifting mines "
        "and close encounters between naval vessels.</p><p>The participants called for a "
        "monitored humanitarian corridor; a collision between a patrol vessel and a "
        "merchant ship has now led to a request for an extraordinary session.</p>",
        items=(
            (-1, "Off-ramps for the Black Sea corridor"),
            (0, "Off-ramps for the Black Sea"),
        ),
        documents=((0, "Черноморские меры доверия: позиция Российской Федерации"),),
        communiques=((-2, "Statement on the Black Sea corridor"),),
    ),
}


def _secretary() -> Any:
    return (
        get_user_model()
        .objects.filter(groups__name=SECRETARIAT_GROUP, is_active=True)
        .order_by("pk")
        .first()
    )


def _regular_session(quarter: Quarter) -> Session | None:
    return (
        Session.objects.filter(kind=Session.Kind.REGULAR, quarter=str(quarter))
        .exclude(status=Session.Status.CANCELLED)
        .first()
    )


def _table(quarter: Quarter) -> list[Party]:
    """The quarter's seat-holders among the demo's four, or the four seats' own parties."""
    seated = seat_holder_parties(quarter=quarter).filter(code__in=TABLE)
    parties = list(seated) or list(Party.objects.filter(code__in=TABLE))
    return sorted(parties, key=lambda party: TABLE.index(party.code))


def _delegates() -> dict[str, Any]:
    users = get_user_model().objects.filter(username__in=DELEGATES.values())
    by_name = {user.username: user for user in users}
    return {code: by_name[name] for code, name in DELEGATES.items() if name in by_name}


# Crisis dossiers ---------------------------------------------------------------------


def _day(session: Session | None, *, days: int = 0, today: date) -> date:
    """The session's first day shifted by ``days``, never after ``today``."""
    if session is None:
        return today
    return min(timezone.localdate(session.starts_at) + timedelta(days=days), today)


def _history(
    title: str, sessions: dict[int, Session | None], today: date
) -> tuple[int, list[tuple[str, date, str]]]:
    """The session offset a crisis was raised at, and its status changes from the first."""
    last, older = sessions.get(-1), sessions.get(-2)
    if title == BALTIC:
        published = (
            Communique.objects.filter(title=CRISES[BALTIC].communiques[0][1])
            .exclude(published_at__isnull=True)
            .values_list("published_at", flat=True)
            .first()
        )
        eased = min(timezone.localdate(published), today) if published else today
        return -1, [
            (
                Crisis.Status.WATCH,
                _day(older, days=10, today=today),
                "Air policing reported two unsafe intercepts over international waters.",
            ),
            (
                Crisis.Status.ACTIVE,
                _day(last, days=-14, today=today),
                "Three incidents in a month, one a near-collision with a civilian airliner.",
            ),
            (
                Crisis.Status.DE_ESCALATING,
                max(eased, _day(last, days=-14, today=today)),
                "The communiqué's commitment to keep transponders on; fewer incidents since.",
            ),
        ]
    return -2, [
        (
            Crisis.Status.WATCH,
            _day(older, days=-20, today=today),
            "Merchant ships reported leaving the agreed lanes after strikes nearby.",
        ),
        (
            Crisis.Status.ACTIVE,
            _day(older, today=today),
            "Raised at the session: strikes on merchant shipping continue.",
        ),
        (
            Crisis.Status.DE_ESCALATING,
            _day(last, today=today),
            "Russia accepted to examine monitoring of the corridor by a neutral party.",
        ),
        (
            Crisis.Status.ACTIVE,
            today,
            "A collision between a patrol vessel and a merchant ship; Russia asked for an "
            "extraordinary session.",
        ),
    ]


def _targets(demo: DemoCrisis, sessions: dict[int, Session | None]) -> list[Model]:
    targets: list[Model] = []
    items = []
    for offset, title in demo.items:
        item = AgendaItem.objects.filter(session=sessions.get(offset), title=title).first()
        if item is not None:
            items.append(item)
    targets.extend(items)
    for offset, title in demo.documents:
        targets.extend(Document.objects.filter(session=sessions.get(offset), title=title))
    targets.extend(Statement.objects.filter(item__in=items).order_by("pk"))
    targets.extend(ActionPoint.objects.filter(item__in=items).order_by("pk"))
    for offset, title in demo.communiques:
        targets.extend(Communique.objects.filter(session=sessions.get(offset), title=title))
    return targets


def _crisis(
    demo: DemoCrisis, sessions: dict[int, Session | None], *, secretary: Any, today: date
) -> Crisis | None:
    crisis = Crisis.objects.filter(title=demo.title).first()
    if crisis is None:
        raised, history = _history(demo.title, sessions, today)
        session = sessions.get(raised) or sessions.get(0)
        if session is None:
            return None
        (status, on, reason), *changes = history
        crisis = crisis_services.crisis_create(
            user=secretary,
            session=session,
            title=demo.title,
            region=demo.region,
            on=on,
            summary=demo.summary,
            status=status,
            distribution=Distribution.PARTICIPANTS,
            reason=reason,
        )
        for status, on, reason in changes:
            crisis_services.crisis_transition(
                crisis=crisis, user=secretary, to_status=status, on=on, reason=reason
            )
    for target in _targets(demo, sessions):
        relation = getattr(crisis, _field_of(target))
        if not relation.filter(pk=target.pk).exists():
            crisis_services.crisis_link(crisis=crisis, user=secretary, target=target)
    return crisis


def _field_of(target: Model) -> str:
    return next(
        field for field, model in crisis_services.LINKABLE.items() if isinstance(target, model)
    )


# Threats and assessments ----------------------------------------------------------------


def _threats(crises: dict[str, Crisis | None], *, secretary: Any) -> dict[str, Threat]:
    existing = {threat.title: threat for threat in Threat.objects.all()}
    threats = {}
    for demo in THREATS:
        threat = existing.get(demo.title)
        if threat is None:
            threat = threat_services.threat_create(
                user=secretary,
                title=demo.title,
                description=demo.description,
                region=demo.region,
                crisis=crises.get(demo.crisis) if demo.crisis else None,
            )
        threats[demo.key] = threat
    return threats


def _threat_translations(threats: dict[str, Threat], *, secretary: Any) -> None:
    """The threats of ``THREAT_TRANSLATIONS_RU`` in Russian, the translation confirmed (once:
    a threat with a translation already is left as it is)."""
    for key, (title, description) in THREAT_TRANSLATIONS_RU.items():
        threat = threats.get(key)
        if threat is None or len(parallel.available(threat, THREAT_PARALLEL)) > 1:
            continue
        threat = threat_services.threat_translation_set(
            threat=threat, user=secretary, language="ru", title=title, description=description
        )
        threat_services.threat_translation_confirm(threat=threat, user=secretary, language="ru")


def _invite_table(session: Session, parties: list[Party], *, secretary: Any) -> None:
    """The parties at the table read the session's assessment: invite those not invited."""
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


def _stamp(model: type[Model], pk: int, at: datetime, *, updated: bool = True) -> None:
    """Date a history row as it happened (``auto_now`` fields would say today)."""
    values: dict[str, datetime] = {"created_at": at}
    if updated:
        values["updated_at"] = at
    model._default_manager.filter(pk=pk).update(**values)


def _past_round(
    assessment: Assessment,
    *,
    number: int,
    opened: datetime,
    deadline: datetime,
    released: datetime,
    scores: Scores,
    threats: dict[str, Threat],
    parties: list[Party],
    delegates: dict[str, Any],
    secretary: Any,
) -> AssessmentRound:
    """A released round as it happened: opened, each party scoring before the deadline
    (a day apart), released the day after."""
    current = AssessmentRound.objects.create(
        assessment=assessment,
        number=number,
        deadline=deadline,
        released_at=released,
        released_by=secretary,
        reminded_3_days_at=deadline - timedelta(days=3),
        reminded_1_day_at=deadline - timedelta(days=1),
    )
    _stamp(AssessmentRound, current.pk, opened, updated=False)
    current.threats.set([threats[key] for key in scores])
    for order, party in enumerate(parties):
        author = delegates.get(party.code)
        if author is None:
            continue
        scored_at = min(opened + timedelta(days=2 + order, hours=3), deadline - timedelta(hours=2))
        for key, by_party in scores.items():
            if party.code not in by_party:
                continue
            likelihood, impact, trend = by_party[party.code]
            rationale = RATIONALES[key][party.code]
            score = Score.objects.create(
                round=current,
                threat=threats[key],
                party=party,
                likelihood=likelihood,
                impact=impact,
                trend=TRENDS[trend],
                confidence=CONFIDENCE[party.code],
                rationale=f"{REVISED}{rationale}" if number > 1 else rationale,
                scored_by=author,
            )
            _stamp(Score, score.pk, scored_at)
    return current


def _past_assessment(
    session: Session,
    rounds: list[Scores],
    *,
    attribution: str,
    threats: dict[str, Threat],
    delegates: dict[str, Any],
    secretary: Any,
) -> Assessment | None:
    """A past quarter's assessment with its released rounds, dated before its session."""
    if Assessment.objects.filter(session=session).exists() or session.starts_at > timezone.now():
        return None
    quarter = Quarter.parse(str(session.quarter))
    parties = _table(quarter)
    _invite_table(session, parties, secretary=secretary)
    starts = session.starts_at
    opened = starts - timedelta(days=35)
    assessment = Assessment.objects.create(
        session=session,
        attribution=attribution,
        convergence_threshold=THRESHOLD,
        opened_by=secretary,
    )
    _stamp(Assessment, assessment.pk, opened)
    assessment.threats.set([threats[key] for key in rounds[0]])
    # The rounds share four weeks to score; each is released the day after its deadline,
    # and the next opens that day.
    window = timedelta(days=28 // len(rounds))
    for number, scores in enumerate(rounds, start=1):
        deadline = opened + window
        released = deadline + timedelta(days=1)
        _past_round(
            assessment,
            number=number,
            opened=opened,
            deadline=deadline,
            released=released,
            scores=scores,
            threats=threats,
            parties=parties,
            delegates=delegates,
            secretary=secretary,
        )
        opened = released + timedelta(hours=2)
    return assessment


def _deadline(session: Session, now: datetime) -> datetime | None:
    """Ten days from now, or a day before the session opens if that is sooner; None when the
    session opens too soon to take scores."""
    latest = session.starts_at - timedelta(days=1)
    if latest <= now + timedelta(hours=1):
        latest = now + (session.starts_at - now) / 2
    deadline = min(now + timedelta(days=10), latest).replace(minute=0, second=0, microsecond=0)
    return deadline if deadline > now else None


def _open_assessment(
    session: Session, *, threats: dict[str, Threat], delegates: dict[str, Any], secretary: Any
) -> Assessment | None:
    """This quarter's assessment through the services: opened, scored in part."""
    if Assessment.objects.filter(session=session).exists():
        return None
    if session.status not in (Session.Status.DRAFT, Session.Status.SCHEDULED):
        return None
    now = timezone.now()
    deadline = _deadline(session, now)
    if deadline is None:
        return None
    listed = [threat for threat in threats.values() if threat.retired_at is None]
    assessment = assessment_services.assessment_open(
        user=secretary,
        session=session,
        threats=listed,
        deadline=deadline,
        attribution=Assessment.Attribution.ATTRIBUTED,
        convergence_threshold=THRESHOLD,
    )
    for code in ("NATO", "USA"):
        author = delegates.get(code)
        if author is None:
            continue
        if not assessment_services.scoring_parties(user=author, assessment=assessment):
            continue
        answers = [
            ScoreInput(
                threat=threats[key],
                likelihood=by_party[code][0],
                impact=by_party[code][1],
                trend=TRENDS[by_party[code][2]],
                confidence=CONFIDENCE[code],
                rationale=RATIONALES[key][code],
            )
            for key, by_party in THIS_QUARTER.items()
            if code in by_party and threats[key] in listed
        ]
        if answers:
            assessment_services.scores_submit(user=author, assessment=assessment, answers=answers)
    return assessment


@transaction.atomic
def _acknowledged_alert(crisis: Crisis | None, *, delegates: dict[str, Any]) -> str:
    """One alert raised by the United States on the Baltic crisis, acknowledged by all."""
    from crises.models import Alert, AlertDelivery
    from crises.services.alerts import alert_acknowledge, alert_raise

    head = delegates.get("USA")
    if crisis is None or head is None or Alert.objects.filter(crisis=crisis).exists():
        return ""
    try:
        alert = alert_raise(
            user=head,
            crisis=crisis,
            urgency=Alert.Urgency.URGENT,
            text="A Russian fighter passed within 20 metres of a US patrol aircraft over the "
            "Baltic Sea this morning; we request consultations.",
        )
    except ApplicationError:
        return ""  # the demo's US delegate heads no seat-holder this quarter
    for delivery in AlertDelivery.objects.filter(alert=alert).select_related("user"):
        alert_acknowledge(user=delivery.user, alert=alert)
    return "an acknowledged alert"


def seed(*, stdout: TextIO | None = None) -> None:
    secretary = _secretary()
    quarter = demo_quarter()
    sessions = {offset: _regular_session(quarter + offset) for offset in (0, -1, -2)}
    if secretary is None or sessions[0] is None:
        if stdout is not None:
            stdout.write("Crises: skipped (run the members and agenda demos first).\n")
        return
    today = timezone.localdate()
    crises = {
        title: _crisis(demo, sessions, secretary=secretary, today=today)
        for title, demo in CRISES.items()
    }
    threats = _threats(crises, secretary=secretary)
    _threat_translations(threats, secretary=secretary)
    delegates = _delegates()
    made = []
    for offset, rounds, attribution in (
        (-2, [TWO_QUARTERS_BACK], Assessment.Attribution.ANONYMISED),
        (-1, [LAST_QUARTER_FIRST, LAST_QUARTER_SECOND], Assessment.Attribution.ATTRIBUTED),
    ):
        session = sessions[offset]
        if session is not None and _past_assessment(
            session,
            rounds,
            attribution=attribution,
            threats=threats,
            delegates=delegates,
            secretary=secretary,
        ):
            made.append(session.number)
    current = sessions[0]
    paper = seed_paper(session=current, released=sessions[-1], secretary=secretary)
    if _open_assessment(current, threats=threats, delegates=delegates, secretary=secretary):
        made.append(f"{current.number} (open)")
    alert = _acknowledged_alert(crises.get(BALTIC), delegates=delegates)
    if alert:
        made.append(alert)
    registers = seed_registers(
        black_sea=crises.get(BLACK_SEA),
        session=sessions[-1] or current,
        secretary=secretary,
        delegates=delegates,
    )
    if stdout is not None:
        stdout.write(
            f"Crises: {sum(c is not None for c in crises.values())} dossiers, "
            f"{len(threats)} threats; assessments "
            f"{', '.join(made) if made else 'already there'}; {registers} added"
            f"{'; the threat-picture paper filed' if paper else ''}.\n"
        )
