# ruff: noqa: RUF001 -- the Russian translation's text, Cyrillic letters and all
"""Demo tabletop exercises, after the crises demo (``manage.py seed_demo``).

- "Baltic intercept, winter": played and ended, with responses, a disclosed secret
  inject, and its after-action report published with an improvement plan.
- "Black Sea corridor: a mined approach": ready to run, its MSEL written, one inject
  for Russia only; the secretariat starts it and releases the injects by hand.

Both are held on an item of this quarter's regular session, whose table the crises demo
invites, so ``delegate-usa`` and ``delegate-rus`` play them. The played one's title,
scenario and objectives, and its published after-action report, have a Russian
translation confirmed by the secretariat, so ``delegate-rus`` reads them in Russian. They
go through the services, as the secretariat and the delegates would today. Idempotent:
exercises are recognised by title.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from agenda.demo.sessions import demo_quarter
from agenda.models import AgendaItem
from agenda.selectors.invitations import invited_party_list
from consult.access import Distribution
from crises.demo.dossiers import TABLE, _delegates, _regular_session, _secretary
from crises.models import AfterActionReport, Exercise
from crises.models.exercises import AAR_PARALLEL, EXERCISE_PARALLEL
from crises.services import exercises as services
from crises.services.exercises import ImprovementInput
from members.models import Party

PLAYED = "Baltic intercept, winter"
READY = "Black Sea corridor: a mined approach"
# The played exercise in Russian: title, scenario, objectives.
PLAYED_RU = (
    "Перехват над Балтикой, зима",
    "<p>Зима над Балтикой: истребитель с выключенным транспондером сближается с "
    "авиалайнером у Финского залива; оба центра управления воздушным движением звонят в "
    "свои министерства.</p>",
    "Воспользоваться горячей линией в течение пятнадцати минут; согласовать совместное заявление.",
)
# The played exercise's after-action report in Russian.
PLAYED_REPORT_RU = (
    "<h2>Перехват над Балтикой, зима</h2>"
    "<h3>Цели</h3><p>Воспользоваться горячей линией в течение пятнадцати минут; согласовать "
    "совместное заявление.</p>"
    "<h3>Ход учения</h3><p>Первая вводная ушла всем участникам. США позвонили по горячей "
    "линии и предложили свои радарные данные; НАТО оставило перехватчики на земле и "
    "запросило план полёта. Секретная вводная для России: экипаж объявил аварийную "
    "ситуацию и сел в Калининграде, никому не сообщив; затем вводная раскрыта всем.</p>"
    "<h3>Выводы</h3><p>Горячей линией воспользовались в течение десяти минут; об аварийной "
    "посадке не сообщили, и остальные остались в неведении.</p>"
)


def _item(session: Any) -> AgendaItem | None:
    return (
        AgendaItem.objects.filter(agenda__session=session, distribution=Distribution.PARTICIPANTS)
        .order_by("order")
        .first()
    )


def _players(session: Any, secretary: Any) -> list[Party]:
    invited = set(invited_party_list(user=secretary, session=session))
    return [party for party in Party.objects.filter(code__in=TABLE) if party in invited]


def _played(
    item: AgendaItem, players: list[Party], secretary: Any, delegates: dict[str, Any]
) -> None:
    exercise = services.exercise_create(
        user=secretary,
        title=PLAYED,
        item=item,
        parties=players,
        scenario="<p>Winter over the Baltic: a transponder-dark fighter closes on an "
        "airliner near the Gulf of Finland; both air traffic centres call their ministries.</p>",
        objectives="Use the hotline within fifteen minutes; agree a joint statement.",
    )
    first = services.inject_add(
        exercise=exercise,
        user=secretary,
        text="Radar shows a fighter 300 m from a civilian airliner; the fighter's "
        "transponder is off.",
        scenario_time="D 06:10",
        expected_response="Each delegation calls the hotline and shares its radar picture.",
    )
    secret = services.inject_add(
        exercise=exercise,
        user=secretary,
        text="Your pilot reports a fuel warning and asks to land at the nearest airfield.",
        scenario_time="D 06:14",
        recipient=next((p for p in players if p.code == "RUS"), None),
        expected_response="Russia informs the others of the emergency landing.",
    )
    services.exercise_start(exercise=exercise, user=secretary)
    services.inject_release(inject=first, user=secretary)
    for code, text in (
        ("USA", "We call the hotline and offer our radar track."),
        ("NATO", "We hold our interceptors on the ground and ask for the flight plan."),
    ):
        if code in delegates and any(p.code == code for p in players):
            services.response_record(inject=first, user=delegates[code], text=text)
    if secret.recipient is not None:
        services.inject_release(inject=secret, user=secretary)
        if "RUS" in delegates:
            services.response_record(
                inject=secret,
                user=delegates["RUS"],
                text="We declare an emergency and land at Kaliningrad; we tell no one yet.",
            )
        services.inject_disclose(inject=secret, user=secretary)
    services.exercise_end(exercise=exercise, user=secretary)
    report = services.aar_draft(exercise=exercise, user=secretary)
    due = timezone.localdate() + timedelta(days=90)
    services.aar_update(
        report=report,
        user=secretary,
        text=report.text
        + "<h3>Findings</h3><p>The hotline was used within ten minutes; the emergency "
        "landing was not shared, which left the others guessing.</p>",
        improvements=[
            ImprovementInput("Test the hotline monthly, at a random hour", due),
            ImprovementInput(
                "Share emergency landings on the hotline at once",
                due,
                next((p for p in players if p.code == "RUS"), None),
            ),
        ],
        publish=True,
    )


def _ready(item: AgendaItem, players: list[Party], secretary: Any) -> None:
    exercise = services.exercise_create(
        user=secretary,
        title=READY,
        item=item,
        parties=players,
        scenario="<p>A grain convoy bound for the Bosphorus reports a mine-like object in "
        "the approach to Odesa; naval vessels of several parties are within twenty miles.</p>",
        objectives="Agree who clears the mine, and how the others are told.",
    )
    for text, time, code, expected in (
        (
            "The convoy stops; the master asks every navy present for help.",
            "H+0",
            None,
            "Each delegation says what it can offer and through which channel.",
        ),
        (
            "Your minesweeper is nearest, but its crew reports an engine fault.",
            "H+0:20",
            "RUS",
            "Russia tells the others, or asks another party to clear the mine.",
        ),
        (
            "A news agency reports a mine strike; the report is unconfirmed.",
            "H+1",
            None,
            "The delegations agree a joint line before answering the press.",
        ),
    ):
        services.inject_add(
            exercise=exercise,
            user=secretary,
            text=text,
            scenario_time=time,
            recipient=next((p for p in players if p.code == code), None) if code else None,
            expected_response=expected,
        )


def _played_translation(secretary: Any) -> None:
    """The played exercise in Russian, confirmed (once: a translation written already is
    left as it is)."""
    exercise = Exercise.objects.filter(title=PLAYED).first()
    if exercise is None or EXERCISE_PARALLEL.state(exercise, "ru"):
        return
    title, scenario, objectives = PLAYED_RU
    exercise = services.exercise_translation_set(
        exercise=exercise,
        user=secretary,
        language="ru",
        title=title,
        scenario=scenario,
        objectives=objectives,
    )
    services.exercise_translation_confirm(exercise=exercise, user=secretary, language="ru")


def _report_translation(secretary: Any) -> None:
    """The played exercise's published report in Russian, confirmed (once, as above)."""
    report = AfterActionReport.objects.filter(exercise__title=PLAYED).first()
    if report is None or AAR_PARALLEL.state(report, "ru"):
        return
    report = services.aar_translation_set(
        report=report, user=secretary, language="ru", text=PLAYED_REPORT_RU
    )
    services.aar_translation_confirm(report=report, user=secretary, language="ru")


def seed(*, stdout: TextIO | None = None) -> None:
    secretary = _secretary()
    session = _regular_session(demo_quarter())
    item = _item(session) if session is not None else None
    players = _players(session, secretary) if item is not None else []
    if secretary is None or item is None or not players:
        if stdout is not None:
            stdout.write("Exercises: skipped (run the crises demo first).\n")
        return
    made = []
    with transaction.atomic():
        if not Exercise.objects.filter(title=PLAYED).exists():
            _played(item, players, secretary, _delegates())
            made.append(PLAYED)
        if not Exercise.objects.filter(title=READY).exists():
            _ready(item, players, secretary)
            made.append(READY)
        _played_translation(secretary)
        _report_translation(secretary)
    if stdout is not None:
        stdout.write(f"Exercises: {', '.join(made) if made else 'already there'}.\n")
