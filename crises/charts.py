"""The threat picture drawn as SVG: the risk matrix, the divergence chart and the trend chart,
with the rows of the text table that stands beside each chart for screen readers.

Drawn with matplotlib's SVG backend rather than pygal: matplotlib is the maintained
standard (pygal sees rare releases), it draws any marker shape, so parties and threats
are told apart by shape and label and never by colour alone, it keeps text as SVG
``<text>`` (``svg.fonttype = none``), so a PDF text extractor and a screen reader find
the labels, and with a fixed ``svg.hashsalt`` and no date in the metadata its output is
byte-for-byte the same for the same picture. pygal's output carries a random id and
JavaScript, and marks every series with the same dot.

Only the object-oriented ``Figure`` API is used, never pyplot's global figures. Matplotlib
shares its font caches and ``rcParams`` between threads, so each drawing runs under one
lock with its settings in an ``rc_context``; a chart of ten threats takes a few tens of
milliseconds.

Each function returns a standalone ``<svg>`` element (no XML prolog, no script) with a
``<title>`` it is labelled by (``role="img"``, ``aria-labelledby``). Its ids are prefixed
with the chart's kind and a digest of its content, so several charts inline in one page or
pack never share an id. A chart of nothing (no threats) is drawn as an empty frame saying
so; saying that no round is released is the caller's business.

The table rows: ``matrix_rows`` (one per threat, numbered as on the matrix),
``divergence_rows`` (threats ranked by spread, each with every party's position) and
``trend_rows`` (one per threat and quarter), plain frozen dataclasses for the pages, the
API and the briefing pack.

A threat is named, on a chart and in its table, in the reader's language (the active
one) where its title has a current translation, else by its authoritative title
(``threat_version``); each row carries that version, so the table can say which it is.
"""

from __future__ import annotations

import hashlib
import io
import re
import textwrap
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import matplotlib
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon, Rectangle
from matplotlib.textpath import text_to_path
from matplotlib.typing import RcKeyType

from consult import parallel
from crises.models import Threat
from crises.models.assessments import THREAT_PARALLEL
from crises.selectors.assessments import threat_version
from crises.selectors.pictures import Picture, Position, ThreatPicture, ThreatTrend
from crises.statistics import Spread

SCALE = (1, 2, 3, 4, 5)
# Shapes before colour: a reader of a grey print tells the series apart by these alone.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">", "p", "h")
# The shapes' names, worded in the reader's language when read (``str(...)``).
MARKER_NAMES: dict[str, Promise] = {
    "o": gettext_lazy("circle"),
    "s": gettext_lazy("square"),
    "^": gettext_lazy("triangle up"),
    "D": gettext_lazy("diamond"),
    "v": gettext_lazy("triangle down"),
    "P": gettext_lazy("plus"),
    "X": gettext_lazy("cross"),
    "*": gettext_lazy("star"),
    "<": gettext_lazy("triangle left"),
    ">": gettext_lazy("triangle right"),
    "p": gettext_lazy("pentagon"),
    "h": gettext_lazy("hexagon"),
}
# Okabe and Ito's palette, distinguishable with the common colour-vision deficiencies.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
TITLE_CHARS = 48
# The divergence chart's row labels: a title on at most two lines of this many characters
# fits the margin left of the likelihood panel (a longer line ran off the picture's edge).
ROW_LABEL_CHARS = 30

_RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "consult-threat-picture",
    "svg.image_inline": True,
    "text.parse_math": False,  # a "$" in a threat's title is a dollar sign
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "path.simplify": False,
}
_LOCK = threading.Lock()
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_ID = re.compile(r'\bid="([^"]+)"')
# An id where it is declared or referred to (url(#…), xlink:href="#…").
_REFERENCE = re.compile(r'(\bid="|url\(#|href="#)([A-Za-z][\w.-]*)')


# The two measures' words on the charts, worded when drawn.
_MEASURE: dict[str, Callable[[], str]] = {
    "likelihood": lambda: _("Likelihood"),
    "impact": lambda: _("Impact"),
}
_MEASURE_EACH_PARTY: dict[str, Callable[[], str]] = {
    "likelihood": lambda: _("Likelihood (each party)"),
    "impact": lambda: _("Impact (each party)"),
}
_MEASURE_MEDIAN: dict[str, Callable[[], str]] = {
    "likelihood": lambda: _("Likelihood (median)"),
    "impact": lambda: _("Impact (median)"),
}


def marker_for(index: int) -> str:
    return MARKERS[index % len(MARKERS)]


def colour_for(index: int) -> str:
    return COLOURS[index % len(COLOURS)]


def score_text(value: float) -> str:
    """A median or quartile as read: 3, 2.5, 1.75."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _title(threat: Threat) -> str:
    """The threat's title as the reader gets it."""
    return parallel.served_title(threat, THREAT_PARALLEL)


def _short(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


def _row_label(title: str) -> str:
    """A threat's title on two lines at most, shortened with "…" where it is longer."""
    return textwrap.fill(title, width=ROW_LABEL_CHARS, max_lines=2, placeholder=" …")


# -- rendering -----------------------------------------------------------------------------


@contextmanager
def _drawing() -> Iterator[None]:
    with _LOCK, matplotlib.rc_context(_RC):
        yield


def _svg(figure: Figure, *, kind: str, title: str) -> str:
    buffer = io.StringIO()
    figure.savefig(
        buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None}
    )
    return _standalone(buffer.getvalue(), kind=kind, title=title)


def _standalone(document: str, *, kind: str, title: str) -> str:
    """Drop the prolog, prefix the ids, and label the ``<svg>`` by a ``<title>``."""
    svg = document[document.index("<svg") :].strip()
    svg = _METADATA.sub("", svg, count=1)
    prefix = f"{kind}-{hashlib.sha256(svg.encode()).hexdigest()[:8]}"
    names = set(_ID.findall(svg))
    svg = _REFERENCE.sub(lambda m: f"{m[1]}{prefix}-{m[2]}" if m[2] in names else m[0], svg)
    title_id = f"{prefix}-title"
    opening_end = svg.index(">") + 1
    opening = svg[: opening_end - 1]
    return (
        f'{opening} role="img" aria-labelledby="{title_id}">'
        f"<title id={quoteattr(title_id)}>{escape(title)}</title>"
        f"{svg[opening_end:]}"
    )


def _scale_axis(axes: Axes, *, which: str, label: str) -> None:
    limits = (0.5, 5.5)
    if which == "x":
        axes.set_xlim(*limits)
        axes.set_xticks(SCALE)
        axes.set_xlabel(label)
    else:
        axes.set_ylim(*limits)
        axes.set_yticks(SCALE)
        axes.set_ylabel(label)


def _nothing(axes: Axes, text: str) -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", transform=axes.transAxes)


# -- the risk matrix -----------------------------------------------------------------------


def _label_offsets(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Where each point's number goes, in points from its mark: threats sharing a median
    get their numbers around it instead of on top of one another."""
    ring: tuple[tuple[float, float], ...] = (
        (8, 6),
        (8, -10),
        (-14, 6),
        (-14, -10),
        (0, 10),
        (0, -16),
        (12, -2),
        (-18, -2),
    )
    seen: dict[tuple[float, float], int] = defaultdict(int)
    offsets: list[tuple[float, float]] = []
    for point in points:
        offsets.append(ring[seen[point] % len(ring)])
        seen[point] += 1
    return offsets


# -- drawn once per picture ------------------------------------------------------------------
#
# A released round never changes, and drawing costs tens of milliseconds per chart (about a
# second at fifty threats): each process keeps the charts it drew, keyed by a digest of
# exactly what is drawn, so a reader who sees other labels (an anonymised party, their own
# name) gets a chart of their own and every other reader of the same picture the kept one.
# The language the chart is worded in is part of what is drawn, and so is each threat's title
# as that reader gets it (a translation, or the authoritative title): a chart drawn for a
# Russian reader is never served to an English one, nor one drawn before a translation
# changed.

_KEPT: OrderedDict[str, str] = OrderedDict()
_KEPT_MAX = 256
_KEPT_LOCK = threading.Lock()


def _picture_key(picture: Picture) -> tuple[Any, ...]:
    return (
        picture.assessment.session.number,
        picture.round.number,
        tuple(
            (
                threat.threat.pk,
                _title(threat.threat),
                threat.stats,
                threat.previous,
                threat.converged,
                tuple(threat.positions),
            )
            for threat in picture.threats
        ),
    )


def _trends_key(trends: list[ThreatTrend]) -> tuple[Any, ...]:
    return tuple((trend.threat.pk, _title(trend.threat), tuple(trend.points)) for trend in trends)


def _kept(kind: str, key: tuple[Any, ...], draw: Callable[[], str]) -> str:
    worded = (translation.get_language() or settings.LANGUAGE_CODE, key)
    digest = f"{kind}:{hashlib.sha256(repr(worded).encode()).hexdigest()}"
    with _KEPT_LOCK:
        svg = _KEPT.get(digest)
        if svg is not None:
            _KEPT.move_to_end(digest)
            return svg
    svg = draw()
    with _KEPT_LOCK:
        _KEPT[digest] = svg
        while len(_KEPT) > _KEPT_MAX:
            _KEPT.popitem(last=False)
    return svg


def forget_drawings() -> None:
    """Drop the kept charts (the benchmark measures drawing from cold)."""
    with _KEPT_LOCK:
        _KEPT.clear()


def risk_matrix_svg(picture: Picture) -> str:
    """The risk matrix of ``picture`` (``_risk_matrix``), drawn once per process."""
    return _kept("matrix", _picture_key(picture), lambda: _risk_matrix(picture))


def divergence_svg(picture: Picture) -> str:
    """The divergence chart of ``picture`` (``_divergence``), drawn once per process."""
    return _kept("divergence", _picture_key(picture), lambda: _divergence(picture))


def trend_svg(trends: list[ThreatTrend]) -> str:
    """The trend chart of ``trends`` (``_trend``), drawn once per process."""
    return _kept("trend", _trends_key(trends), lambda: _trend(trends))


def _risk_matrix(picture: Picture) -> str:
    """Likelihood across, impact up: each threat's number at its median, its spread (the
    interquartile ranges) drawn as a dashed box with a cross through the median."""
    threats = picture.threats
    numbers = {"session": picture.assessment.session.number, "round": picture.round.number}
    title = (
        _(
            "Risk matrix, %(session)s round %(round)s: each threat at its median likelihood "
            "and impact, with its spread"
        )
        % numbers
    )
    with _drawing():
        height = 5.2 + 0.2 * len(threats)
        figure = Figure(figsize=(6.4, height))
        key_share = 0.2 * len(threats) / height + 0.04
        axes = figure.add_axes((0.1, 0.08 + key_share, 0.85, 0.82 - key_share))
        _scale_axis(axes, which="x", label=_("Likelihood (median; 1 remote to 5 almost certain)"))
        _scale_axis(axes, which="y", label=_("Impact (median; 1 minor to 5 severe)"))
        axes.set_title(_("Risk matrix: %(session)s, round %(round)s") % numbers)
        axes.set_aspect("equal", adjustable="box")
        axes.grid(True, color="#dddddd", linewidth=0.6)
        axes.set_axisbelow(True)
        if not threats:
            _nothing(axes, _("No threat was scored."))
        points = [(t.stats.likelihood.median, t.stats.impact.median) for t in threats]
        for index, (threat, offset) in enumerate(
            zip(threats, _label_offsets(points), strict=True), start=1
        ):
            _matrix_threat(axes, index=index, threat=threat, offset=offset)
        # Each threat's cross through its median, as wide as its quartiles: one collection
        # of two strokes a threat (far cheaper to draw than a line each).
        crosses = [
            segment
            for t in threats
            for segment in (
                [(t.stats.likelihood.q1, t.stats.impact.median),
                 (t.stats.likelihood.q3, t.stats.impact.median)],
                [(t.stats.likelihood.median, t.stats.impact.q1),
                 (t.stats.likelihood.median, t.stats.impact.q3)],
            )
        ]  # fmt: skip
        axes.add_collection(
            LineCollection(
                crosses,
                colors=[colour_for(i) for i in range(len(threats)) for _ in (0, 1)],
                linewidths=0.8,
                gid="crosses",
            ),
            autolim=False,
        )
        for index, threat in enumerate(threats, start=1):
            figure.text(
                0.1,
                (0.2 * (len(threats) - index) + 0.15) / height,
                f"{index}  ({MARKER_NAMES[marker_for(index - 1)]})  "
                + _("%(threat)s: likelihood %(likelihood)s, impact %(impact)s, spread %(spread)s")
                % {
                    "threat": _short(_title(threat.threat)),
                    "likelihood": score_text(threat.stats.likelihood.median),
                    "impact": score_text(threat.stats.impact.median),
                    "spread": score_text(threat.stats.spread),
                },
                fontsize=8,
                gid=f"key-{index}",
            )
        return _svg(figure, kind="matrix", title=title)


def _matrix_threat(
    axes: Axes, *, index: int, threat: ThreatPicture, offset: tuple[float, float]
) -> None:
    likelihood, impact = threat.stats.likelihood, threat.stats.impact
    colour = colour_for(index - 1)
    axes.add_patch(
        Rectangle(
            (likelihood.q1, impact.q1),
            likelihood.iqr,
            impact.iqr,
            fill=True,
            facecolor=colour,
            alpha=0.08,
            edgecolor=colour,
            linestyle="--",
            linewidth=0.8,
            gid=f"spread-{index}",
        )
    )
    axes.plot(
        [likelihood.median],
        [impact.median],
        linestyle="none",
        marker=marker_for(index - 1),
        markersize=8,
        markerfacecolor=colour,
        markeredgecolor="black",
        markeredgewidth=0.6,
        gid=f"median-{index}",
    )
    axes.annotate(
        str(index),
        (likelihood.median, impact.median),
        xytext=offset,
        textcoords="offset points",
        fontsize=8,
        fontweight="bold",
        gid=f"label-{index}",
    )


# -- the divergence chart ------------------------------------------------------------------


def _parties(threats: Sequence[ThreatPicture]) -> list[str]:
    """Each party (or "A participant") once, by name: a party keeps its shape whatever the
    ranking."""
    return sorted({position.party for threat in threats for position in threat.positions})


def _row_offsets(positions: Sequence[Position], value_of: str) -> list[float]:
    """Vertical offsets within a threat's row, so parties giving the same score sit side by
    side rather than on one another."""
    groups: dict[int, list[int]] = defaultdict(list)
    for index, position in enumerate(positions):
        groups[getattr(position, value_of)].append(index)
    offsets = [0.0] * len(positions)
    for members in groups.values():
        step = 0.5 / max(len(members), 1)
        for rank, index in enumerate(members):
            offsets[index] = (rank - (len(members) - 1) / 2) * step
    return offsets


def _divergence(picture: Picture) -> str:
    """Threats ranked by spread, widest first; on the likelihood and impact scales each
    party's score is marked by its own shape, over the interquartile range (bar) and the
    median (stroke)."""
    ranked = picture.ranked_by_spread()
    parties = _parties(ranked)
    shape = {party: marker_for(index) for index, party in enumerate(parties)}
    numbers = {"session": picture.assessment.session.number, "round": picture.round.number}
    title = (
        _(
            "Divergence, %(session)s round %(round)s: threats ranked by spread, each party's "
            "likelihood and impact marked"
        )
        % numbers
    )
    with _drawing():
        rows = max(len(ranked), 1)
        height = 1.6 + 0.55 * rows + 0.2 * ((len(parties) + 2) // 3)
        figure = Figure(figsize=(8.0, height))
        bottom = (0.55 + 0.2 * ((len(parties) + 2) // 3)) / height
        top = 1 - 0.75 / height
        panels = (
            figure.add_axes((0.36, bottom, 0.3, top - bottom)),
            figure.add_axes((0.68, bottom, 0.3, top - bottom)),
        )
        figure.suptitle(
            _("Divergence: %(session)s, round %(round)s") % numbers,
            fontsize=10,
            y=1 - 0.15 / height,
        )
        y = {id(threat): len(ranked) - i for i, threat in enumerate(ranked)}
        for panel, measure in zip(panels, ("likelihood", "impact"), strict=True):
            _scale_axis(panel, which="x", label=_MEASURE_EACH_PARTY[measure]())
            panel.set_ylim(0.4, rows + 0.6)
            panel.grid(True, axis="x", color="#dddddd", linewidth=0.6)
            panel.set_axisbelow(True)
            panel.set_yticks([y[id(t)] for t in ranked])
            panel.set_title(_MEASURE[measure](), fontsize=9)
            if panel is panels[0]:
                panel.set_yticklabels(
                    [
                        f"{_row_label(_title(t.threat))}\n"
                        + _("spread %(spread)s") % {"spread": score_text(t.stats.spread)}
                        for t in ranked
                    ]
                )
            else:
                panel.tick_params(axis="y", labelleft=False)
            if not ranked:
                _nothing(panel, _("No threat was scored."))
            spreads: list[tuple[Spread, int]] = [
                (getattr(threat.stats, measure), y[id(threat)]) for threat in ranked
            ]
            panel.add_collection(
                LineCollection(
                    [[(sp.q1, row), (sp.q3, row)] for sp, row in spreads],
                    colors="#bbbbbb",
                    linewidths=6,
                    capstyle="butt",
                    gid=f"quartiles-{measure}",
                ),
                autolim=False,
            )
            panel.add_collection(
                LineCollection(
                    [[(sp.median, row - 0.3), (sp.median, row + 0.3)] for sp, row in spreads],
                    colors="black",
                    linewidths=1.2,
                    gid=f"medians-{measure}",
                ),
                autolim=False,
            )
            marks: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
            for threat in ranked:
                ordered = sorted(threat.positions, key=lambda p: p.party)
                for position, offset in zip(ordered, _row_offsets(ordered, measure), strict=True):
                    marks[position.party][0].append(getattr(position, measure))
                    marks[position.party][1].append(y[id(threat)] + offset)
            for index, party in enumerate(parties):
                xs, ys = marks[party]
                panel.plot(
                    xs,
                    ys,
                    linestyle="none",
                    marker=shape[party],
                    markersize=7,
                    markerfacecolor=colour_for(index),
                    markeredgecolor="black",
                    markeredgewidth=0.6,
                    gid=f"party-{index + 1}-{measure}",
                )
        handles = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker=shape[party],
                markersize=7,
                markerfacecolor=colour_for(index),
                markeredgecolor="black",
                markeredgewidth=0.6,
                label=f"{party} ({MARKER_NAMES[shape[party]]})",
            )
            for index, party in enumerate(parties)
        ]
        if handles:
            figure.legend(
                handles=handles,
                loc="lower center",
                ncols=3,
                frameon=False,
                fontsize=8,
                bbox_to_anchor=(0.5, 0.0),
            )
        return _svg(figure, kind="divergence", title=title)


# -- the trend chart -----------------------------------------------------------------------

END_LABEL_SIZE = 8  # points, bold
END_LABEL_GAP = 4.0  # points between two numbers set side by side
_END_LABEL_FONT = FontProperties(family="DejaVu Sans", weight="bold", size=END_LABEL_SIZE)


def _end_label_offsets(
    ends: Sequence[tuple[float, float, str]], *, points_per_unit: float
) -> list[tuple[float, float]]:
    """Where each line's closing number goes, in points from its last mark.

    ``ends`` holds, per line, its last quarter's column, its last median and its number. As
    the matrix spreads the numbers of threats sharing a median around the mark, so here the
    numbers of lines ending on the same value (or near enough for their text to touch) are
    set side by side, right of the mark and at the value's height: "1" and "10" read
    "1  10" instead of one over the other. Widths are the font's own, so no two boxes
    overlap however many lines end together."""
    height = float(END_LABEL_SIZE)
    placed: dict[float, list[tuple[float, float, float]]] = defaultdict(list)
    offsets: list[tuple[float, float]] = [(0.0, 0.0)] * len(ends)
    order = sorted(range(len(ends)), key=lambda i: (ends[i][0], ends[i][1], i))
    for i in order:
        column, value, text = ends[i]
        width, _height, _descent = text_to_path.get_text_width_height_descent(
            text, _END_LABEL_FONT, ismath=False
        )
        y = value * points_per_unit
        x = 6.0
        # Boxes already placed in this column whose height this one shares, left to right.
        beside = sorted((x0, x1) for x0, x1, y0 in placed[column] if abs(y0 - y) < height)
        for x0, x1 in beside:
            if x < x1 + END_LABEL_GAP and x0 < x + width + END_LABEL_GAP:
                x = x1 + END_LABEL_GAP
        placed[column].append((x, x + width, y))
        offsets[i] = (x, 2.0)
    return offsets


def _trend(trends: list[ThreatTrend]) -> str:
    """Per threat, the median likelihood and impact quarter by quarter (a line with the
    threat's shape at each quarter) over its interquartile band."""
    quarters = sorted({point.quarter for trend in trends for point in trend.points})
    column = {quarter: index for index, quarter in enumerate(quarters)}
    title = _("Threats over quarters: median likelihood and impact, with the spread as a band")
    with _drawing():
        key_lines = len(trends)
        height = 5.6 + 0.2 * key_lines
        figure = Figure(figsize=(7.2, height))
        key_share = (0.2 * key_lines + 0.3) / height
        top = 1 - 0.45 / height
        gap = 0.06
        panel_height = (top - key_share - 0.08 - gap) / 2
        panels = (
            figure.add_axes((0.1, key_share + 0.08 + panel_height + gap, 0.85, panel_height)),
            figure.add_axes((0.1, key_share + 0.08, 0.85, panel_height)),
        )
        figure.suptitle(_("Threats over quarters"), fontsize=10, y=1 - 0.12 / height)
        for panel, measure in zip(panels, ("likelihood", "impact"), strict=True):
            _scale_axis(panel, which="y", label=_MEASURE_MEDIAN[measure]())
            panel.set_xlim(-0.5, max(len(quarters), 1) - 0.5)
            panel.set_xticks(range(len(quarters)))
            panel.set_xticklabels([str(q) for q in quarters])
            panel.grid(True, color="#eeeeee", linewidth=0.6)
            panel.set_axisbelow(True)
            if not trends:
                _nothing(panel, _("No released quarter."))
            points_per_unit = panel_height * height * 72 / (SCALE[-1] - SCALE[0] + 1)
            label_offsets = _end_label_offsets(
                [
                    (
                        column[trend.points[-1].quarter],
                        getattr(trend.points[-1].stats, measure).median,
                        str(index),
                    )
                    for index, trend in enumerate(trends, start=1)
                ],
                points_per_unit=points_per_unit,
            )
            for index, trend in enumerate(trends, start=1):
                xs = [column[point.quarter] for point in trend.points]
                spreads: list[Spread] = [getattr(point.stats, measure) for point in trend.points]
                colour = colour_for(index - 1)
                band = [(x, sp.q3) for x, sp in zip(xs, spreads, strict=True)] + [
                    (x, sp.q1) for x, sp in reversed(list(zip(xs, spreads, strict=True)))
                ]
                panel.add_patch(
                    Polygon(
                        band,
                        closed=True,
                        facecolor=colour,
                        alpha=0.1,
                        linewidth=0,
                        gid=f"band-{index}-{measure}",
                    )
                )
                panel.plot(
                    xs,
                    [s.median for s in spreads],
                    color=colour,
                    linewidth=1.2,
                    marker=marker_for(index - 1),
                    markersize=6,
                    markeredgecolor="black",
                    markeredgewidth=0.5,
                    gid=f"trend-{index}-{measure}",
                )
                panel.annotate(
                    str(index),
                    (xs[-1], spreads[-1].median),
                    xytext=label_offsets[index - 1],
                    textcoords="offset points",
                    fontsize=END_LABEL_SIZE,
                    fontweight="bold",
                    gid=f"label-{index}-{measure}",
                )
        for index, trend in enumerate(trends, start=1):
            figure.text(
                0.1,
                (0.2 * (key_lines - index) + 0.15) / height,
                f"{index}  ({MARKER_NAMES[marker_for(index - 1)]})  {_short(_title(trend.threat))}",
                fontsize=8,
                gid=f"key-{index}",
            )
        return _svg(figure, kind="trend", title=title)


# -- the tables beside the charts ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThreatRow:
    """A table row naming a threat: ``version`` is the threat's title as the reader gets it
    (``threat_version``), its language and, where it stands in for the reader's language
    or is a translation, its mark."""

    version: parallel.Version

    @property
    def title(self) -> str:
        return str(self.version["title"])


@dataclass(frozen=True, slots=True)
class MatrixRow(ThreatRow):
    """One threat on the risk matrix, numbered as on the chart."""

    number: int
    marker: str
    likelihood: Spread
    impact: Spread
    spread: float
    converged: bool
    verdict: str  # since the previous round ("" for a first round)


def matrix_rows(picture: Picture) -> list[MatrixRow]:
    return [
        MatrixRow(
            version=threat_version(threat.threat),
            number=index,
            marker=str(MARKER_NAMES[marker_for(index - 1)]),
            likelihood=threat.stats.likelihood,
            impact=threat.stats.impact,
            spread=threat.stats.spread,
            converged=threat.converged,
            verdict=threat.verdict.label if threat.verdict is not None else "",
        )
        for index, threat in enumerate(picture.threats, start=1)
    ]


@dataclass(frozen=True, slots=True)
class DivergenceRow(ThreatRow):
    """One threat in spread order, with where each party stands (as the reader may see it)."""

    rank: int
    spread: float
    likelihood: Spread
    impact: Spread
    positions: tuple[Position, ...]


def divergence_rows(picture: Picture) -> list[DivergenceRow]:
    return [
        DivergenceRow(
            version=threat_version(threat.threat),
            rank=rank,
            spread=threat.stats.spread,
            likelihood=threat.stats.likelihood,
            impact=threat.stats.impact,
            positions=tuple(sorted(threat.positions, key=lambda p: p.party)),
        )
        for rank, threat in enumerate(picture.ranked_by_spread(), start=1)
    ]


@dataclass(frozen=True, slots=True)
class TrendRow(ThreatRow):
    """One threat in one quarter, numbered as on the trend chart."""

    number: int
    quarter: str
    session_number: str
    likelihood: Spread
    impact: Spread
    verdict: str  # since the quarter before ("" for its first quarter)


def trend_rows(trends: list[ThreatTrend]) -> list[TrendRow]:
    rows = []
    for number, trend in enumerate(trends, start=1):
        verdicts = ["", *(v.label for v in trend.verdicts())]
        version = threat_version(trend.threat)
        for point, moved in zip(trend.points, verdicts, strict=True):
            rows.append(
                TrendRow(
                    version=version,
                    number=number,
                    quarter=str(point.quarter),
                    session_number=point.session_number,
                    likelihood=point.stats.likelihood,
                    impact=point.stats.impact,
                    verdict=moved,
                )
            )
    return rows
