"""Demo data of off-ramps and norms of behaviour, called from ``crises.demo.seed``.

- Three off-ramps for the Black Sea corridor, recorded by the secretariat: a neutral
  monitoring mission (endorsed by some), a deconfliction hotline between the navies
  (discussed) and a pause in strikes near the lanes (proposed). The four delegations
  at the table state their stances through the services; Russia keeps its latest
  stance on the monitoring mission to itself and the secretariat.
- Four norms registered at last quarter's session (safe distances between aircraft,
  notice before exercises, hotline use, encounters at sea under CUES), each with the
  four parties' adherence and an incident reported by one party, answered by another.
  The first is in the three working languages: English authoritative, the Russian
  translation confirmed by the secretariat, the French one still unofficial.

Everything goes through the services as the secretariat and the delegates would do it
today. Idempotent: options and norms are recognised by title; what exists is left alone.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from agenda.models import Session
from consult import parallel
from crises.models import Crisis, Norm, OffRamp
from crises.models.registers import NORM_PARALLEL
from crises.services import registers as services
from members.models import Party

# title, proposer code (None: the secretariat), preconditions, statuses after "proposed",
# stances: (party code, position, note, private)
OFF_RAMPS: list[tuple[str, str | None, str, list[str], list[tuple[str, str, str, bool]]]] = [
    (
        "Neutral monitoring of the corridor",
        "EU",
        "Both sides accept the monitors' access to the ports of departure.",
        ["discussed", "endorsed_by_some"],
        [
            ("EU", "supports", "We offer observers and a vessel.", False),
            ("USA", "supports", "", False),
            ("NATO", "open", "Depends on the monitors' mandate.", False),
            ("RUS", "opposes", "Monitors under a neutral flag only.", False),
            ("RUS", "open", "Could accept with inspections of cargo.", True),
        ],
    ),
    (
        "A deconfliction hotline between the navies",
        None,
        "",
        ["discussed"],
        [
            ("USA", "supports", "", False),
            ("RUS", "supports", "", False),
            ("NATO", "supports", "", False),
            ("EU", "open", "", False),
        ],
    ),
    (
        "A pause in strikes within 20 nautical miles of the lanes",
        "USA",
        "A verifiable ceasefire at sea for 30 days.",
        [],
        [
            ("USA", "supports", "", False),
            ("RUS", "opposes", "Not while the lanes carry military cargo.", False),
        ],
    ),
]

# The parallel texts of the first norm (consult/parallel.py): language -> (title, text).
NORM_TRANSLATIONS = {
    "ru": (
        "Безопасные дистанции между военными самолётами",
        "<p>Военные самолёты держатся на безопасном расстоянии от других самолётов и от "
        "кораблей и не имитируют атак.</p>",
    ),
    "fr": (
        "Distances de sécurité entre aéronefs militaires",
        "<p>Les aéronefs militaires se tiennent à distance de sécurité des autres aéronefs "
        "et des navires, et ne simulent aucune attaque.</p>",
    ),
}

# title, source, text, adherence per party, incident (reporter, involved, place, days ago,
# description), response (party, text)
NORMS: list[dict[str, Any]] = [
    {
        "title": "Safe distances between military aircraft",
        "source": "1972 US-Soviet Incidents at Sea agreement, Article IV",
        "text": "<p>Military aircraft keep a safe distance from other aircraft and from "
        "ships, and make no simulated attacks.</p>",
        "adherence": {"USA": "adheres", "RUS": "with_reservations",
                      "NATO": "adheres", "EU": "adheres"},
        "incident": ("NATO", ["RUS"], "International airspace over the Baltic Sea", 40,
                     "A fighter passed within 20 feet of a patrol aircraft's nose."),
        "response": ("RUS", "Our aircraft kept to international rules; the patrol aircraft "
                            "had its transponder off."),
    },
    {
        "title": "Notice before large exercises",
        "source": "Vienna Document 2011, Chapter V",
        "text": "<p>Exercises above the agreed thresholds are notified 42 days ahead.</p>",
        "adherence": {"USA": "adheres", "RUS": "does_not",
                      "NATO": "adheres", "EU": "adheres"},
        "incident": ("USA", ["RUS"], "Western Military District", 25,
                     "A snap exercise of some 30,000 troops without prior notice."),
        "response": ("RUS", "A readiness check, not an exercise under the thresholds."),
    },
    {
        "title": "Use of the crisis hotline",
        "source": "1963 Memorandum of Understanding on a direct communications link",
        "text": "<p>An incident that risks escalation is raised on the hotline within one "
        "hour.</p>",
        "adherence": {"USA": "adheres", "RUS": "adheres",
                      "NATO": "with_reservations", "EU": "adheres"},
        "incident": ("RUS", ["USA"], "The Black Sea, south of Crimea", 12,
                     "A drone incident reported through the press before the hotline."),
        "response": ("USA", "The hotline was called within 90 minutes; we will do better."),
    },
    {
        "title": "Unplanned encounters at sea",
        "source": "Code for Unplanned Encounters at Sea (CUES), 2014",
        "text": "<p>Ships in an unplanned encounter use the CUES signals and keep clear of "
        "each other's manoeuvres.</p>",
        "adherence": {"USA": "adheres", "RUS": "with_reservations",
                      "NATO": "adheres", "EU": "adheres"},
        "incident": ("EU", ["RUS", "USA"], "The Black Sea corridor, off Odesa", 5,
                     "A patrol vessel crossed a merchant ship's bow without signals."),
        "response": ("RUS", "The merchant ship ignored our signals on channel 16."),
    },
]  # fmt: skip


def _off_ramps(crisis: Crisis, *, secretary: Any, delegates: dict[str, Any], today: date) -> int:
    parties = {party.code: party for party in Party.objects.filter(code__in=delegates)}
    made = 0
    for title, proposer, preconditions, statuses, stances in OFF_RAMPS:
        if OffRamp.objects.filter(crisis=crisis, title=title).exists():
            continue
        off_ramp = services.off_ramp_create(
            user=secretary,
            crisis=crisis,
            title=title,
            proposer=parties.get(proposer) if proposer else None,
            preconditions=preconditions,
            text=f"<p>{title}, as proposed at the session on the Black Sea corridor.</p>",
            on=today - timedelta(days=20),
        )
        for offset, status in enumerate(statuses, start=1):
            services.off_ramp_transition(
                user=secretary,
                off_ramp=off_ramp,
                to_status=status,
                on=today - timedelta(days=20 - 7 * offset),
            )
        off_ramp.refresh_from_db()
        for code, position, note, private in stances:
            if code in delegates:
                services.stance_state(
                    user=delegates[code],
                    off_ramp=off_ramp,
                    position=position,
                    note=note,
                    private=private,
                    party=parties[code],
                )
        made += 1
    return made


def _norms(session: Session, *, secretary: Any, delegates: dict[str, Any], today: date) -> int:
    parties = {party.code: party for party in Party.objects.all()}
    made = 0
    for demo in NORMS:
        if Norm.objects.filter(title=demo["title"]).exists():
            continue
        norm = services.norm_create(
            user=secretary,
            session=session,
            title=demo["title"],
            text=demo["text"],
            source=demo["source"],
        )
        for code, level in demo["adherence"].items():
            if code in delegates:
                services.adherence_state(
                    user=delegates[code], norm=norm, level=level, party=parties[code]
                )
        reporter, involved, place, days_ago, description = demo["incident"]
        if reporter in delegates:
            incident = services.incident_report(
                user=delegates[reporter],
                norm=norm,
                occurred_on=today - timedelta(days=days_ago),
                place=place,
                parties_involved=[parties[code] for code in involved],
                description=description,
                party=parties[reporter],
            )
            responder, text = demo["response"]
            if responder in delegates:
                services.incident_respond(
                    user=delegates[responder],
                    incident=incident,
                    text=text,
                    party=parties[responder],
                )
        made += 1
    return made


def _norm_translations(*, secretary: Any) -> None:
    """The first norm in the three working languages, the Russian translation confirmed
    (once: a norm with a translation already is left as it is)."""
    norm = Norm.objects.filter(title=NORMS[0]["title"]).first()
    if norm is None or len(parallel.available(norm, NORM_PARALLEL)) > 1:
        return
    for language, (title, text) in NORM_TRANSLATIONS.items():
        norm = services.norm_translation_set(
            norm=norm, user=secretary, language=language, title=title, text=text
        )
    services.norm_translation_confirm(norm=norm, user=secretary, language="ru")


def seed_registers(
    *,
    black_sea: Crisis | None,
    session: Session | None,
    secretary: Any,
    delegates: dict[str, Any],
) -> str:
    """Seed the off-ramps and norms; a line saying what was made."""
    today = timezone.localdate()
    ramps = (
        _off_ramps(black_sea, secretary=secretary, delegates=delegates, today=today)
        if black_sea is not None
        else 0
    )
    norms = (
        _norms(session, secretary=secretary, delegates=delegates, today=today)
        if session is not None
        else 0
    )
    _norm_translations(secretary=secretary)
    return f"{ramps} off-ramps and {norms} norms of behaviour"
