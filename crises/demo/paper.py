"""The demo's threat-picture paper for this quarter's session, written from the picture the
crises demo released last quarter: its threats, medians and spreads are read back from the
seeded rounds (``threat_trends``), never typed in, so the paper and the charts agree.

Filed by the secretariat through ``document_create``, once: a paper of that title at the
session is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.html import format_html, format_html_join

from agenda.models import AgendaItem, Document, Session
from agenda.services import documents as document_services
from consult.access import Distribution
from crises.charts import score_text
from crises.models import Assessment, Score
from crises.selectors.pictures import ThreatTrend, released_rounds, threat_trends
from crises.statistics import Verdict

TITLE = "Threat picture: scores and divergences"
ITEM = "Threat assessment: the quarter's picture"
_WORDS = (
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
)  # fmt: skip


def _words(number: int) -> str:
    return _WORDS[number] if number < len(_WORDS) else str(number)


def _on(titles: Iterable[str]) -> str:
    """“A threat” by its title when it is alone, else how many share the figure."""
    named = list(titles)
    return f"“{named[0]}”" if len(named) == 1 else f"{_words(len(named))} threats"


def _since(trend: ThreatTrend) -> Verdict | None:
    verdicts = trend.verdicts()
    return verdicts[-1] if len(trend.points) > 1 and verdicts else None


def paper_text(*, assessment: Assessment, secretary: Any) -> str | None:
    """The paper's body: ``assessment``'s released picture, threat by threat, with how
    views moved since the quarter before; None when no round of it is released."""
    session = assessment.session
    rounds = released_rounds(assessment)
    if not rounds:
        return None
    trends = [
        trend
        for trend in threat_trends(user=secretary, quarters=8)
        if trend.points and trend.points[-1].session_number == session.number
    ]
    if not trends:
        return None
    parties = sorted(
        set(Score.objects.filter(round__in=rounds).values_list("party__name_en", flat=True))
    )
    asked_again = rounds[-1].threats.count() if len(rounds) > 1 else 0
    # The quarter before: the session of the point before last, where a threat has one.
    before = next((t.points[-2].session_number for t in trends if len(t.points) > 1), "")
    rows = format_html_join(
        "\n",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                trend.threat.title,
                score_text(trend.points[-1].stats.likelihood.median),
                score_text(trend.points[-1].stats.impact.median),
                score_text(trend.points[-1].stats.spread),
                verdict.label if (verdict := _since(trend)) is not None else "First assessed",
            )
            for trend in sorted(trends, key=lambda t: (-t.points[-1].stats.spread, t.threat.title))
        ),
    )
    spreads = sorted({trend.points[-1].stats.spread for trend in trends})
    ends = format_html_join(
        "; ",
        "the {} ({}) on {}",
        (
            (
                which,
                score_text(spread),
                _on(t.threat.title for t in trends if t.points[-1].stats.spread == spread),
            )
            for which, spread in (("widest", spreads[-1]), ("narrowest", spreads[0]))
        ),
    )
    moved = [verdict for trend in trends if (verdict := _since(trend)) is not None]
    rounds_text = (
        format_html(
            " in {} rounds, the last asking again on the {} threats whose spread was at or "
            "above the threshold of {}",
            _words(len(rounds)),
            _words(asked_again),
            assessment.convergence_threshold,
        )
        if len(rounds) > 1
        else ""
    )
    movement = (
        format_html(
            "<p>Since {}, views converged on {} threats, diverged on {} and stayed on {}.</p>",
            before,
            _words(moved.count(Verdict.CONVERGED)),
            _words(moved.count(Verdict.DIVERGED)),
            _words(moved.count(Verdict.STAYED)),
        )
        if moved and before
        else ""
    )
    return format_html(
        "<h2>The quarter's threat picture</h2>\n"
        "<p>At {session}, {count} seat-holders ({parties}) scored the {threats} threats of the "
        "shared list{rounds}; the chair released the picture after each deadline. Likelihood "
        "and impact run from 1 to 5. Each figure is the median of the parties' scores; the "
        "spread is the wider of the two interquartile ranges, so 0 means every party scored "
        "alike.</p>\n"
        "<table>\n"
        '<thead><tr><th scope="col">Threat</th><th scope="col">Median likelihood</th>'
        '<th scope="col">Median impact</th><th scope="col">Spread</th>'
        '<th scope="col">Since {before}</th></tr></thead>\n'
        "<tbody>\n{rows}\n</tbody>\n</table>\n"
        "<p>Spreads: {ends}.</p>\n{movement}",
        session=session.number,
        count=_words(len(parties)),
        parties=", ".join(parties),
        threats=_words(len(trends)),
        rounds=rounds_text,
        before=before or "the quarter before",
        rows=rows,
        ends=ends,
        movement=movement,
    )


def seed_paper(*, session: Session, released: Session | None, secretary: Any) -> bool:
    """File the paper at ``session`` from ``released``'s assessment; True when filed."""
    if released is None or Document.objects.filter(session=session, title=TITLE).exists():
        return False
    assessment = Assessment.objects.filter(session=released).select_related("session").first()
    if assessment is None:
        return False
    body = paper_text(assessment=assessment, secretary=secretary)
    if body is None:
        return False
    document_services.document_create(
        user=secretary,
        session=session,
        item=AgendaItem.objects.filter(session=session, title=ITEM).first(),
        title=TITLE,
        distribution=Distribution.SEAT_HOLDERS,
        body_html=body,
    )
    return True
