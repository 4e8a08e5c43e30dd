"""Demo agendas and papers, on top of ``agenda.demo``'s sessions and invitations.

The current quarter's session gets a circulated provisional agenda (Ukraine
invited ad hoc to the item about Ukraine only, a Chatham House item), the
next quarter's a draft; both get papers of every distribution, and each
seat-holder delegation keeps private notes. Idempotent: items and papers are
found by title and created only when missing.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from agenda.models import Agenda, AgendaItem, Document, Invitation, Session
from agenda.services import agendas as agenda_services
from agenda.services import documents as document_services
from agenda.services import items as items_services
from agenda.services.invitations import invitation_create
from agenda.services.planning import DEFAULT_TIMEZONE, regular_session_slot
from consult.access import Distribution
from consult.quarters import Quarter
from members.models import Party

SECRETARIAT_USERNAME = "secretariat"
DELEGATE_USERNAMES = {
    "USA": "delegate-usa",
    "RUS": "delegate-rus",
    "NATO": "delegate-nato",
    "EU": "delegate-eu",
    "UKR": "delegate-ukr",
}
UKRAINE_ITEM = "The situation in and around Ukraine"

Kind = AgendaItem.Kind
Category = Document.Category


def demo_quarter(now: datetime | None = None) -> Quarter:
    """The quarter whose regular session the demo presents as the one to come: this
    quarter, unless its session's slot has passed and a week from now is already in the
    next quarter (the last days of a quarter): then the next one, this one being held."""
    now = now or timezone.now()
    quarter = Quarter.current()
    starts, _ = regular_session_slot(quarter)
    if starts > now:
        return quarter
    week_ahead = (now + timedelta(days=7)).astimezone(zoneinfo.ZoneInfo(DEFAULT_TIMEZONE))
    return quarter if Quarter.of(week_ahead.date()) == quarter else quarter + 1


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

ARRANGEMENTS = """
<h2>Practical arrangements</h2>
<p>The session is held in the Hofburg, Vienna, in the Neuer Saal. Delegations are
invited to register their members with the secretariat no later than seven days
before the opening. Interpretation is provided in English, French and Russian.</p>
<h3>Timetable</h3>
<table>
<thead><tr><th scope="col">Time (Vienna)</th><th scope="col">Business</th></tr></thead>
<tbody>
<tr><td>09:30</td><td>Opening by the chair; adoption of the agenda</td></tr>
<tr><td>10:00</td><td>Items 1 and 2</td></tr>
<tr><td>13:00</td><td>Lunch offered by the chair</td></tr>
<tr><td>14:30</td><td>Items 3 to 5; closing</td></tr>
</tbody>
</table>
<p>The provisional agenda and the papers of each item are available on the
platform. Questions: <a href="mailto:secretariat@consult.invalid">the secretariat</a>.</p>
"""

UKRAINE_BACKGROUND = """
<h2>Background paper</h2>
<p>This paper, prepared by the secretariat under its own responsibility, summarises
the developments since the last regular session as reported in open sources and
in the papers filed by delegations. It does not reflect the position of any party.</p>
<h3>1. Security situation</h3>
<p>Fighting along the line of contact remained intense in the eastern sectors,
with a reported increase in the use of long-range drones against energy
infrastructure. Both sides report strikes on logistics hubs far from the front.</p>
<h3>2. Humanitarian access</h3>
<ul>
<li>Access for humanitarian convoys to front-line settlements remained irregular.</li>
<li>Two exchanges of prisoners of war took place, mediated by third parties.</li>
<li>Winter preparedness of the power grid is the main humanitarian concern.</li>
</ul>
<h3>3. Risks of escalation</h3>
<p>Delegations have pointed to three risks: incidents involving nuclear power
plants, strikes near the borders of neighbouring states, and incidents at sea in
the western Black Sea. Item 4 of the agenda takes up the last of them.</p>
<h3>4. Questions for the discussion</h3>
<ol>
<li>Which channels of communication work in an incident, and which do not?</li>
<li>Can the parties agree on notification of strikes near nuclear facilities?</li>
<li>What role can the body play in support of humanitarian arrangements?</li>
</ol>
"""

THREAT_PICTURE = """
<h2>The quarter's threat picture</h2>
<p>Four seat-holders scored the twelve threats of the shared list; scores were
released by the chair on the closing date. Likelihood and impact run from 1 to 5.</p>
<table>
<thead><tr><th scope="col">Threat</th><th scope="col">Mean likelihood</th>
<th scope="col">Mean impact</th><th scope="col">Divergence</th></tr></thead>
<tbody>
<tr><td>Military incident at sea or in the air</td><td>3.8</td><td>4.0</td><td>low</td></tr>
<tr><td>Attack on critical energy infrastructure</td><td>3.5</td><td>4.3</td><td>medium</td></tr>
<tr><td>Incident at a nuclear power plant</td><td>2.0</td><td>5.0</td><td>high</td></tr>
<tr><td>Large-scale disinformation campaign</td><td>4.3</td><td>2.8</td><td>high</td></tr>
</tbody>
</table>
<p>The widest divergences concern attribution of information operations; the
narrowest, the risk of incidents at sea, on which every seat-holder sees the
trend rising.</p>
"""

PLANNING_NOTE = """
<h2>Internal planning note</h2>
<p>Not for distribution to delegations.</p>
<ul>
<li>The chair wishes to close item 3 with a chair's summary rather than agreed text.</li>
<li>Interpretation booths: confirm the Russian booth for the afternoon.</li>
<li>Ukraine's delegation arrives for item 1 only; seat it at the end of the table.</li>
</ul>
"""

US_POSITION = """
<h2>Incidents at sea and in the air</h2>
<p>The United States proposes that the body examine how the principles of the
1972 Agreement on the Prevention of Incidents On and Over the High Seas could
guide the conduct of military aircraft and uncrewed systems.</p>
<h3>Elements for discussion</h3>
<ol>
<li>Safe distances for intercepts, and no simulated attacks on aircraft or ships.</li>
<li>Use of agreed signals and of a common radio frequency.</li>
<li>Annual review of incidents between the parties' navies and air forces.</li>
</ol>
<p>The United States is ready to share its national procedures in this framework.</p>
"""

RUS_POSITION = """
<h2>Об инициативах по деэскалации в Чёрном море</h2>
<p>Российская сторона предлагает рассмотреть меры по уведомлению о крупных
военно-морских учениях и механизм оперативной связи между штабами флотов.</p>
<ul>
<li>Уведомление не менее чем за 30 дней.</li>
<li>Прямая линия связи между командованиями.</li>
<li>Ежегодный обмен информацией об инцидентах.</li>
</ul>
"""  # noqa: RUF001 (Russian text)

SCENARIO = """
<h2>Scenario: a winter blackout</h2>
<p><strong>Day 1, 06:10.</strong> The control centre of a cross-border power
grid loses visibility of three substations. Within an hour, two million
households are without power in sub-zero temperatures.</p>
<p><strong>Day 1, 11:00.</strong> A group claims the attack online. Two seat-holders'
agencies privately attribute it to a state actor; a third disagrees.</p>
<p><strong>Day 2.</strong> Public pressure mounts for a response. Each delegation
decides what it communicates, to whom, and through which channel.</p>
<p>Facilitators will send injects during the exercise to individual delegations.</p>
"""


def _note(party: str, session: Session) -> str:
    return f"""
<h2>Talking points for {session.number}</h2>
<p>Internal to the delegation of {party}. Not for circulation.</p>
<h3>Item 1</h3>
<ul>
<li>Welcome the invitation of Ukraine for the item; keep the discussion on risks of
escalation and humanitarian access.</li>
<li>Ask the secretariat to follow up on the notification of strikes near nuclear
facilities.</li>
</ul>
<h3>Item 3 (Chatham House)</h3>
<p>Be ready to support a chair's summary. Do not quote other delegations outside
the room.</p>
<h3>Fallback</h3>
<p>If item 4 stalls, propose a working group reporting to the next session.</p>
"""


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
            DemoPaper(
                "Threat picture: scores and divergences",
                THREAT_PICTURE,
                Distribution.SEAT_HOLDERS,
                item="Threat assessment: the quarter's picture",
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
                        _note(code, session),
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
    if stdout is not None:
        stdout.write(
            f"Agenda papers: {added} items added to {current.number} and {following.number}, "
            f"{filed} papers and notes filed.\n"
        )
