"""The threat picture's charts parsed back as SVG: the marks counted, the labels read as text,
parties told apart by shape, and the output standalone, labelled, deterministic and safe to
draw from several threads; and the rows of the tables beside them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from decimal import Decimal

import pytest
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextPath

from agenda.models import Session
from consult.quarters import Quarter
from crises import charts
from crises.models import Assessment, AssessmentRound, Threat
from crises.selectors.assessments import A_PARTICIPANT
from crises.selectors.pictures import (
    Picture,
    Position,
    QuarterPoint,
    ThreatPicture,
    ThreatStats,
    ThreatTrend,
    assessment_picture,
    threat_trends,
)
from crises.services import assessments as assessment_services
from crises.statistics import Spread
from tests.crises.conftest import CrisisWorld, build_crisis_world

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
PARTIES = (("United States", "USA"), ("Russian Federation", "RUS"), ("NATO", "NATO"))


def _position(party: str, code: str, likelihood: int, impact: int) -> Position:
    return Position(party, code, likelihood, impact, "steady", "medium", f"{party} says so")


def _threat(
    title: str,
    scores: list[tuple[int, int]],
    parties: tuple[tuple[str, str], ...] = PARTIES,
) -> ThreatPicture:
    positions = [
        _position(name, code, li, im)
        for (name, code), (li, im) in zip(parties, scores, strict=True)
    ]
    stats = ThreatStats(
        Spread.of([p.likelihood for p in positions]), Spread.of([p.impact for p in positions])
    )
    return ThreatPicture(
        threat=Threat(title=title), stats=stats, previous=None, converged=False, positions=positions
    )


def _picture(threats: list[ThreatPicture]) -> Picture:
    assessment = Assessment(session=Session(number="R-2027-1"), convergence_threshold=Decimal(1))
    return Picture(assessment=assessment, round=AssessmentRound(number=2), threats=threats)


TITLES = ("Mid-air collision", "Cable sabotage", "Jamming of civil aviation", "Grain blockade")


@pytest.fixture
def picture() -> Picture:
    return _picture(
        [
            _threat(TITLES[0], [(4, 5), (2, 5), (4, 4)]),
            _threat(TITLES[1], [(3, 3), (3, 3), (3, 3)]),
            _threat(TITLES[2], [(1, 2), (5, 4), (3, 3)]),
            _threat(TITLES[3], [(2, 4), (2, 1), (5, 4)]),
        ]
    )


def _trends(threats: int, quarters: int) -> list[ThreatTrend]:
    start = Quarter(2026, 3)
    return [
        ThreatTrend(
            Threat(title=f"Threat {t + 1}"),
            [
                QuarterPoint(
                    start + q,
                    f"R-{start + q}",
                    ThreatStats(Spread.of([1 + (t + q) % 5, 3, 4]), Spread.of([2, 2 + q % 3, 5])),
                )
                for q in range(quarters)
            ],
        )
        for t in range(threats)
    ]


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _group(root: ET.Element, suffix: str) -> ET.Element:
    found = [g for g in root.iter(f"{SVG}g") if g.get("id", "").endswith(f"-{suffix}")]
    assert len(found) == 1, suffix
    return found[0]


def _uses(group: ET.Element) -> list[ET.Element]:
    return list(group.iter(f"{SVG}use"))


def _texts(root: ET.Element) -> list[str]:
    return ["".join(text.itertext()) for text in root.iter(f"{SVG}text")]


def _marker_path(root: ET.Element, use: ET.Element) -> str:
    target = use.get(XLINK, "").removeprefix("#")
    paths = [p for p in root.iter(f"{SVG}path") if p.get("id") == target]
    assert len(paths) == 1
    return paths[0].get("d", "")


def _key(root: ET.Element) -> list[tuple[str, str]]:
    """The legend's entries: "NATO (square)" read as (name, shape)."""
    entries = []
    for text in _texts(root):
        name, _, shape = text.rpartition(" (")
        if name and shape.removesuffix(")") in charts.MARKER_NAMES.values():
            entries.append((name, shape.removesuffix(")")))
    return entries


ALL_CHARTS: list[tuple[str, Callable[[Picture], str]]] = [
    ("matrix", charts.risk_matrix_svg),
    ("divergence", charts.divergence_svg),
    ("trend", lambda _picture: charts.trend_svg(_trends(3, 4))),
]


@pytest.mark.parametrize(("kind", "draw"), ALL_CHARTS)
def test_a_chart_is_a_standalone_svg_labelled_by_its_title(
    picture: Picture, kind: str, draw: Callable[[Picture], str]
) -> None:
    svg = draw(picture)
    assert svg.startswith("<svg ")
    assert "<?xml" not in svg
    assert "<!DOCTYPE" not in svg
    assert "<script" not in svg.lower()
    assert "<metadata" not in svg
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    titles = [t for t in root.iter(f"{SVG}title") if t.get("id") == root.get("aria-labelledby")]
    assert len(titles) == 1
    assert titles[0].text
    assert root.get("aria-labelledby", "").startswith(f"{kind}-")
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    assert all(i.startswith(f"{kind}-") for i in ids if i)


@pytest.mark.parametrize(("kind", "draw"), ALL_CHARTS)
def test_a_chart_is_drawn_the_same_every_time(
    picture: Picture, kind: str, draw: Callable[[Picture], str]
) -> None:
    assert draw(picture) == draw(picture)


def test_charts_on_one_page_share_no_id(picture: Picture) -> None:
    other = _picture(picture.threats[:2])
    svgs = [
        charts.risk_matrix_svg(picture),
        charts.risk_matrix_svg(other),
        charts.divergence_svg(picture),
        charts.trend_svg(_trends(2, 3)),
    ]
    seen: set[str] = set()
    for svg in svgs:
        ids = set(re.findall(r'\bid="([^"]+)"', svg))
        assert not ids & seen
        seen |= ids
        # every reference points into its own chart
        assert set(re.findall(r'(?:url\(#|href="#)([^")]+)', svg)) <= ids


def test_the_matrix_places_one_median_mark_per_threat_and_draws_each_spread(
    picture: Picture,
) -> None:
    root = _parse(charts.risk_matrix_svg(picture))
    for number in range(1, len(TITLES) + 1):
        assert len(_uses(_group(root, f"median-{number}"))) == 1
        _group(root, f"spread-{number}")
    assert not [g for g in root.iter(f"{SVG}g") if g.get("id", "").endswith("-median-5")]
    # a cross through each median: two strokes a threat
    assert len(list(_group(root, "crosses").iter(f"{SVG}path"))) == 2 * len(TITLES)
    texts = _texts(root)
    for number, title in enumerate(TITLES, start=1):
        assert str(number) in texts  # the number beside its mark
        assert any(title in text for text in texts)  # and in the key
    # Jamming: likelihood 1, 3, 5 -> median 3, quartiles 2 and 4; impact 2, 3, 4 -> 3
    assert any(
        "Jamming of civil aviation: likelihood 3, impact 3, spread 2" in text for text in texts
    )


def test_the_matrix_tells_threats_apart_by_shape_as_well_as_by_number(picture: Picture) -> None:
    root = _parse(charts.risk_matrix_svg(picture))
    shapes = {_marker_path(root, _uses(_group(root, f"median-{n}"))[0]) for n in range(1, 5)}
    assert len(shapes) == 4


def test_the_divergence_chart_marks_each_partys_score_on_each_threat(picture: Picture) -> None:
    root = _parse(charts.divergence_svg(picture))
    for index in range(1, len(PARTIES) + 1):
        for measure in ("likelihood", "impact"):
            assert len(_uses(_group(root, f"party-{index}-{measure}"))) == len(TITLES)
    assert not [g for g in root.iter(f"{SVG}g") if "-party-4-" in g.get("id", "")]
    for measure in ("likelihood", "impact"):  # each threat's quartiles and median
        assert len(list(_group(root, f"quartiles-{measure}").iter(f"{SVG}path"))) == len(TITLES)
        assert len(list(_group(root, f"medians-{measure}").iter(f"{SVG}path"))) == len(TITLES)
    texts = _texts(root)
    for name, _code in PARTIES:
        assert any(text.startswith(name) for text in texts)
    for title in TITLES:
        assert title in texts


def test_the_divergence_chart_ranks_threats_by_spread(picture: Picture) -> None:
    texts = [t for t in _texts(_parse(charts.divergence_svg(picture))) if t in TITLES]
    # spreads: jamming 2, grain 1.5, mid-air 1 (likelihood 1, impact 0.5), cable 0; the
    # widest on top, as the labels are written
    assert texts == [
        "Jamming of civil aviation",
        "Grain blockade",
        "Mid-air collision",
        "Cable sabotage",
    ]


def test_two_parties_never_share_a_marker_shape(picture: Picture) -> None:
    root = _parse(charts.divergence_svg(picture))
    shapes = [
        _marker_path(root, _uses(_group(root, f"party-{n}-likelihood"))[0]) for n in (1, 2, 3)
    ]
    assert len(set(shapes)) == 3
    # the key names each party and its shape in words too
    assert _key(root) == [
        ("NATO", "circle"),
        ("Russian Federation", "square"),
        ("United States", "triangle up"),
    ]


def test_the_trend_chart_has_one_point_per_quarter_per_threat() -> None:
    trends = _trends(3, 5)
    trends[1] = ThreatTrend(trends[1].threat, trends[1].points[2:])  # assessed from Q1 2027
    root = _parse(charts.trend_svg(trends))
    for number, trend in enumerate(trends, start=1):
        for measure in ("likelihood", "impact"):
            assert len(_uses(_group(root, f"trend-{number}-{measure}"))) == len(trend.points)
            _group(root, f"band-{number}-{measure}")
    texts = _texts(root)
    for quarter in ("2026Q3", "2026Q4", "2027Q1", "2027Q2", "2027Q3"):
        assert quarter in texts
    for trend in trends:
        assert any(trend.threat.title in text for text in texts)


def test_a_title_is_drawn_as_written_never_as_markup_or_mathematics() -> None:
    title = "Costs over $5bn & <rising> $x^2$"
    svg = charts.risk_matrix_svg(_picture([_threat(title, [(1, 1), (2, 2), (3, 3)])]))
    root = _parse(svg)
    assert any(title in text for text in _texts(root))
    assert "<rising>" not in svg


@pytest.mark.parametrize(
    "draw",
    [
        lambda: charts.risk_matrix_svg(_picture([])),
        lambda: charts.divergence_svg(_picture([])),
        lambda: charts.trend_svg([]),
    ],
)
def test_nothing_to_show_is_still_a_chart_that_says_so(draw: Callable[[], str]) -> None:
    root = _parse(draw())
    assert any(text.startswith("No ") for text in _texts(root))


def test_charts_drawn_from_several_threads_come_out_as_drawn_alone(picture: Picture) -> None:
    jobs = [
        lambda: charts.risk_matrix_svg(picture),
        lambda: charts.divergence_svg(picture),
        lambda: charts.trend_svg(_trends(2, 3)),
    ] * 2
    alone = [job() for job in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda job: job(), jobs))
    assert together == alone


# -- the tables beside the charts -----------------------------------------------------------


def test_matrix_rows_follow_the_charts_numbers(picture: Picture) -> None:
    rows = charts.matrix_rows(picture)
    assert [row.title for row in rows] == list(TITLES)
    assert [row.number for row in rows] == [1, 2, 3, 4]
    assert len({row.marker for row in rows}) == 4
    jamming = rows[2]
    assert (jamming.likelihood.median, jamming.likelihood.q1, jamming.likelihood.q3) == (3, 2, 4)
    assert (jamming.impact.median, jamming.impact.q1, jamming.impact.q3) == (3, 2.5, 3.5)
    assert jamming.spread == 2
    assert jamming.verdict == ""


def test_divergence_rows_rank_threats_and_list_every_position(picture: Picture) -> None:
    rows = charts.divergence_rows(picture)
    assert [row.title for row in rows] == [
        "Jamming of civil aviation",
        "Grain blockade",
        "Mid-air collision",
        "Cable sabotage",
    ]
    assert [row.spread for row in rows] == [2, 1.5, 1, 0]
    assert [row.rank for row in rows] == [1, 2, 3, 4]
    assert [p.party for p in rows[0].positions] == ["NATO", "Russian Federation", "United States"]
    assert [(p.likelihood, p.impact) for p in rows[0].positions] == [(3, 3), (5, 4), (1, 2)]


def test_trend_rows_give_each_quarter_and_how_views_moved() -> None:
    trends = _trends(2, 3)
    rows = charts.trend_rows(trends)
    assert len(rows) == 6
    assert [row.quarter for row in rows[:3]] == ["2026Q3", "2026Q4", "2027Q1"]
    assert rows[0].verdict == ""
    first_to_second = trends[0].verdicts()[0]
    assert rows[1].verdict == first_to_second.label
    assert {row.number for row in rows} == {1, 2}


def test_score_text_reads_as_a_person_writes_it() -> None:
    assert [charts.score_text(v) for v in (3.0, 2.5, 1.75, 4.25, 0.0)] == [
        "3",
        "2.5",
        "1.75",
        "4.25",
        "0",
    ]


# -- a released picture from the database --------------------------------------------------


def _score_and_release(cw: CrisisWorld, score: Callable[..., None]) -> None:
    score("us", [(4, 5), (2, 2), (5, 3)])
    score("ru", [(2, 5), (2, 2), (1, 2)])
    score("nato", [(4, 4), (3, 2), (3, 3)])
    assessment_services.round_release(user=cw.sec, assessment=cw.assessment)


def test_an_anonymised_divergence_chart_shows_a_participant_and_no_other_party(
    cw: CrisisWorld, score: Callable[..., None]
) -> None:
    _score_and_release(cw, score)
    picture = assessment_picture(user=cw.user("fr"), assessment=cw.assessment)
    assert picture is not None
    svg = charts.divergence_svg(picture)
    texts = _texts(_parse(svg))
    assert any(text.startswith(A_PARTICIPANT) for text in texts)
    for name in ("United States", "Russian Federation", "NATO"):
        assert name not in svg
    root = _parse(svg)
    # the three anonymous positions on each of the three threats, under one shape
    assert len(_uses(_group(root, "party-1-likelihood"))) == 9


def test_an_attributed_picture_names_each_party_with_its_own_shape(db: None) -> None:
    cw = build_crisis_world(attribution=Assessment.Attribution.ATTRIBUTED)
    for username, values in (("us", [(4, 5)]), ("ru", [(2, 5)]), ("nato", [(4, 4)])):
        assessment_services.scores_submit(
            user=cw.user(username),
            assessment=cw.assessment,
            answers=[
                assessment_services.ScoreInput(
                    threat=cw.threats[0],
                    likelihood=li,
                    impact=im,
                    trend="rising",
                    confidence="high",
                )
                for li, im in values
            ],
        )
    assessment_services.round_release(user=cw.sec, assessment=cw.assessment)
    picture = assessment_picture(user=cw.user("fr"), assessment=cw.assessment)
    assert picture is not None
    root = _parse(charts.divergence_svg(picture))
    shapes = {_marker_path(root, _uses(_group(root, f"party-{n}-impact"))[0]) for n in (1, 2, 3)}
    assert len(shapes) == 3
    names = {name for name, _shape in _key(root)}
    assert names == {cw.table.parties[code].name_en for code in ("USA", "RUS", "NATO")}
    matrix = _parse(charts.risk_matrix_svg(picture))
    assert len(_uses(_group(matrix, "median-1"))) == 1
    trends = threat_trends(user=cw.user("fr"))
    trend = _parse(charts.trend_svg(trends))
    assert len(_uses(_group(trend, "trend-1-likelihood"))) == 1


def test_a_picture_is_drawn_once_and_a_reader_with_other_labels_gets_their_own(
    picture: Picture, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[Picture] = []
    real = charts._risk_matrix

    def counting(drawn_picture: Picture) -> str:
        drawn.append(drawn_picture)
        return real(drawn_picture)

    monkeypatch.setattr(charts, "_risk_matrix", counting)
    monkeypatch.setattr(charts, "_KEPT", type(charts._KEPT)())
    first = charts.risk_matrix_svg(picture)
    # The same picture read again (new objects, same content): the kept chart.
    assert charts.risk_matrix_svg(_picture(list(picture.threats))) == first
    assert len(drawn) == 1
    anonymised = _picture(
        [
            replace(
                threat,
                positions=[
                    replace(position, party=A_PARTICIPANT, party_code="")
                    for position in threat.positions
                ],
            )
            for threat in picture.threats
        ]
    )
    charts.risk_matrix_svg(anonymised)
    assert len(drawn) == 2


LONG_TITLES = (
    "Misread signalling around nuclear-capable exercises",
    "Strikes on merchant shipping in the Black Sea corridor",
    "Sabotage of undersea cables and pipelines in the Baltic Sea",
    "Erosion of the notification of large military exercises",
)
_TRANSLATE_X = re.compile(r"translate\((-?[\d.]+) ")


def test_long_threat_titles_stay_inside_the_divergence_chart() -> None:
    """The demo's titles once ran off the chart's left edge ("ad signalling around…"):
    each row's label is wrapped onto two lines, every word of a title that fits them shown."""
    scores = [(1, 2), (3, 4), (5, 5)]
    root = _parse(charts.divergence_svg(_picture([_threat(t, scores) for t in LONG_TITLES])))
    lefts = [
        float(match.group(1))
        for text in root.iter(f"{SVG}text")
        if (match := _TRANSLATE_X.search(text.get("transform", "")))
    ]
    assert len(lefts) > 2 * len(LONG_TITLES)
    assert min(lefts) >= 0
    texts = _texts(root)
    assert "Misread signalling around" in texts
    assert "nuclear-capable exercises" in texts
    # Longer than two lines of 30 characters: shortened, never cut mid-word.
    assert "Sabotage of undersea cables" in texts
    assert "and pipelines in the Baltic …" in texts


def test_a_row_label_is_two_lines_at_most() -> None:
    assert charts._row_label("Grain blockade") == "Grain blockade"
    assert charts._row_label("Misread signalling around nuclear-capable exercises") == (
        "Misread signalling around\nnuclear-capable exercises"
    )
    label = charts._row_label("word " * 40)
    assert label.count("\n") == 1
    assert all(len(line) <= charts.ROW_LABEL_CHARS for line in label.splitlines())
    assert label.endswith("…")


def _end_label_boxes(root: ET.Element) -> dict[str, list[tuple[float, float, float, float]]]:
    """Each panel's closing numbers as drawn: (left, right, top, bottom) of the glyphs' ink,
    in the SVG's points, from each ``<text>``'s position and the font's outlines."""
    font = FontProperties(family="DejaVu Sans", weight="bold", size=charts.END_LABEL_SIZE)
    boxes: dict[str, list[tuple[float, float, float, float]]] = {}
    for group in root.iter(f"{SVG}g"):
        match = re.search(r"-label-\d+-(likelihood|impact)$", group.get("id", ""))
        if match is None:
            continue
        [text] = group.iter(f"{SVG}text")
        ink = TextPath((0, 0), "".join(text.itertext()), prop=font).get_extents()
        x, y = float(text.get("x", "")), float(text.get("y", ""))  # y is the baseline, down
        boxes.setdefault(match[1], []).append((x + ink.x0, x + ink.x1, y - ink.y1, y - ink.y0))
    return boxes


def test_lines_ending_on_the_same_value_keep_their_numbers_apart() -> None:
    """ "1" was drawn over "10", "2" over "8": the numbers of lines ending together are set
    side by side at their value, and no two numbers' ink overlaps."""
    start = Quarter(2026, 3)
    ends = [3, 2, 4, 4, 5, 2, 1, 2, 3, 3, 1, 2]  # twelve threats on five values
    trends = [
        ThreatTrend(
            Threat(title=f"Threat {t + 1}"),
            [
                QuarterPoint(
                    start + q,
                    f"R-{start + q}",
                    ThreatStats(
                        Spread.of([end if q == 2 else 1 + (t + q) % 5] * 3), Spread.of([end] * 3)
                    ),
                )
                for q in range(3)
            ],
        )
        for t, end in enumerate(ends)
    ]
    root = _parse(charts.trend_svg(trends))
    boxes = _end_label_boxes(root)
    assert sorted(boxes) == ["impact", "likelihood"]
    for panel in boxes.values():
        assert len(panel) == len(ends)
        for i, (left, right, top, bottom) in enumerate(panel):
            for other in panel[i + 1 :]:
                apart = right <= other[0] or other[1] <= left
                assert apart or bottom <= other[2] or other[3] <= top, (panel[i], other)
    # Lines ending on one value keep their numbers on that value's line, side by side.
    numbers = {
        int("".join(text.itertext())): (float(text.get("x", "")), float(text.get("y", "")))
        for group in root.iter(f"{SVG}g")
        if group.get("id", "").endswith("-impact") and "-label-" in group.get("id", "")
        for text in group.iter(f"{SVG}text")
    }
    together = [number for number, end in enumerate(ends, start=1) if end == 2]
    assert together == [2, 6, 8, 12]
    assert len({numbers[n][1] for n in together}) == 1
    assert [numbers[n][0] for n in together] == sorted(numbers[n][0] for n in together)
    assert numbers[1][1] == numbers[10][1]
    assert numbers[1][0] < numbers[10][0]


def test_a_line_ending_alone_keeps_its_number_beside_its_mark() -> None:
    assert charts._end_label_offsets([(2, 3.0, "1")], points_per_unit=20) == [(6.0, 2.0)]
    # Far enough apart in height: both beside their marks.
    assert charts._end_label_offsets([(2, 3.0, "1"), (2, 4.0, "10")], points_per_unit=20) == [
        (6.0, 2.0),
        (6.0, 2.0),
    ]
