"""The material of a briefing pack, loaded once for an audience.

``pack_content`` loads an audience's material into plain objects that a
forked render child can use without touching the database; the browser
reader shows the same objects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from agenda.models import Agenda, AgendaItem, DocumentVersion, Session
from agenda.models.agendas import AGENDA_ITEM_PARALLEL
from agenda.models.documents import DOCUMENT_PARALLEL
from briefings.selectors.audiences import Audience
from consult import parallel
from consult.access import Distribution
from consult.actors import Actor
from consult.quarters import Quarter
from consult.sanitize import sanitize_html
from consult.times import format_in_zone
from crises import charts
from crises.models import AfterActionReport, ImprovementItem, Score
from crises.selectors.assessments import assessment_list, score_list, threat_version
from crises.selectors.briefing import (
    CrisisOffRampsView,
    NormView,
    RegisterAudience,
    pack_exercise_title,
    pack_norms,
    pack_off_ramps,
    pack_report_text,
)
from crises.selectors.pictures import assessment_picture, threat_trends
from members.models import Party
from members.selectors.rotation import chair_troika
from members.selectors.seats import seat_rows
from minutes.models import ActionPoint, Communique
from minutes.models.communiques import COMMUNIQUE_PARALLEL
from minutes.selectors.communiques import Footnote, communique_footnotes, previous_communique
from minutes.selectors.publication import published_wording
from minutes.selectors.record import statement_list

RANK = {
    Distribution.PUBLIC: 0,
    Distribution.PARTICIPANTS: 1,
    Distribution.SEAT_HOLDERS: 2,
    Distribution.SECRETARIAT: 3,
    Distribution.DELEGATION: 4,
}
CLASSIFICATION = {
    Distribution.PUBLIC: _("Public"),
    Distribution.PARTICIPANTS: _("Restricted · session participants only"),
    Distribution.SEAT_HOLDERS: _("Restricted · seat-holders only"),
    Distribution.SECRETARIAT: _("Confidential · secretariat only"),
    Distribution.DELEGATION: _("Confidential · includes delegation-only notes"),
}
# Worded in the active language: ``pack_content`` runs under the reader's.
DATE = "j E Y"


@dataclass
class PaperView:
    public_id: str
    symbol: str
    title: str
    """In the pack's language when a current translation has it, else the authoritative one."""
    title_language: str
    """The language of ``title`` (its ``lang``)."""
    title_state: str
    """``authoritative``, or the served translation's state (unofficial, confirmed)."""
    title_note: str
    """Why the authoritative title stands in for the pack's language, in a few words."""
    category: str
    owner: str
    language: str
    language_code: str
    """The paper's own language (``lang`` of its text), not the reader's."""
    distribution: str
    classification: str
    version: int
    format: str
    format_label: str
    body_html: str = ""
    storage_name: str = ""
    size_bytes: int = 0
    annex_label: str = ""
    annex_pages: int = 0
    annex_problem: str = ""

    @property
    def is_rich_text(self) -> bool:
        return self.format == DocumentVersion.Format.RICH_TEXT

    @property
    def is_annex(self) -> bool:
        return bool(self.annex_label)

    @property
    def anchor(self) -> str:
        return f"paper-{self.public_id}"

    @property
    def reserved_pages(self) -> range:
        return range(self.annex_pages)


@dataclass
class StatementView:
    party: str
    speaker: str
    kind: str
    summary: str


@dataclass
class ItemView:
    order: int
    title: str
    kind: str
    description: str
    proposer: str
    distribution: str
    classification: str
    chatham_house: bool
    carried_from: str
    language: str
    """The language of the title and description: the reader's, or the authoritative one."""
    translation_mark: str = ""
    """The state of the translation served ("Unofficial translation"); empty for the
    authoritative text."""
    language_note: str = ""
    """Why the authoritative text is served instead of the reader's language."""
    time: str = ""
    """Its slot in the session's timetable at the venue (start and end, venue time)."""
    papers: list[PaperView] = field(default_factory=list)
    previous_statements: list[StatementView] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"item-{self.order}"

    @property
    def title_html(self) -> SafeString:
        """The title in its own language, within the pack's heading worded in the reader's."""
        return format_html('<span lang="{}">{}</span>', self.language, self.title)


@dataclass
class ChairView:
    role: str
    quarter: str
    seat: str


@dataclass
class SeatView:
    seat: str
    arrangement: str
    holders: str


@dataclass
class ActionPointView:
    description: str
    owner: str
    due_date: date
    session: str
    item: str


@dataclass
class CommuniqueView:
    title: str
    """In the pack's language when a current translation has it (a chair's statement's
    title says so in that language), else the authoritative title as published."""
    kind: str
    session: str
    published_at: datetime | None
    text_html: str
    """In the pack's language when a current translation has it, else the authoritative
    text."""
    attribution: str
    """Worded in the language of the text."""
    procedure: str
    footnotes: list[Footnote]
    language: str = ""
    """The language of the title, the text and the attribution (their ``lang``)."""
    mark: str = ""
    """A translation's state, or why the authoritative text stands in for the pack's
    language."""


@dataclass
class ThreatPictureView:
    """The released threat picture: three charts (SVG) and the tables beside them."""

    session: str
    round: int
    released_at: datetime | None
    attribution: str
    matrix_svg: str
    divergence_svg: str
    trend_svg: str
    matrix_rows: list[charts.MatrixRow]
    divergence_rows: list[charts.DivergenceRow]
    trend_rows: list[charts.TrendRow]


@dataclass
class OwnScoreView:
    # The threat's title as the pack's readers get it (their language, or the authoritative).
    threat: parallel.Version
    likelihood: int
    impact: int
    trend: str
    confidence: str
    rationale: str


@dataclass
class OwnScoresView:
    """The reader's delegation's scores in the open round, sealed from everyone else."""

    session: str
    round: int
    deadline: datetime
    scores: list[OwnScoreView]


@dataclass(frozen=True)
class ExerciseReportView:
    """A tabletop exercise's after-action report and improvement plan."""

    title: str
    """The exercise's title in the pack's language when a current translation has it, else
    the authoritative one."""
    ended_at: datetime | None
    text_html: str
    """The report's text in the pack's language when a current translation has it, else
    the authoritative one."""
    improvements: list[str]
    language: str = ""
    """The language of ``title`` (its ``lang``)."""
    mark: str = ""
    """A translation's state, or why the authoritative title stands in for the pack's
    language."""
    text_language: str = ""
    """The language of ``text_html`` (its ``lang``)."""
    text_mark: str = ""
    """The text's translation's state, or why the authoritative text stands in for the
    pack's language."""


@dataclass
class PackContent:
    session_number: str
    session_title: str
    session_kind: str
    venue: str
    venue_timezone: str
    starts_local: datetime
    ends_local: datetime
    starts_utc: datetime
    ends_utc: datetime
    classification: str
    agenda_adopted: bool
    agenda_adopted_at: datetime | None
    agenda_state: str
    content_version: str
    chairs: list[ChairView]
    seats: list[SeatView]
    items: list[ItemView]
    general_papers: list[PaperView]
    communique: CommuniqueView | None
    action_points: list[ActionPointView]
    threat_picture: ThreatPictureView | None = None
    own_scores: OwnScoresView | None = None
    exercise_reports: list[ExerciseReportView] = field(default_factory=list)
    off_ramps: list[CrisisOffRampsView] = field(default_factory=list)
    norms: list[NormView] = field(default_factory=list)

    @property
    def annexes(self) -> list[PaperView]:
        papers = [p for item in self.items for p in item.papers] + self.general_papers
        return [paper for paper in papers if paper.is_annex]


def party_name(party: Party) -> str:
    """The party's name in the active language, or in English where none is recorded."""
    return party.display_name


def _owner_label(party: Party | None) -> str:
    return party_name(party) if party is not None else str(_("Secretariat"))


def _paper(version: DocumentVersion) -> PaperView:
    document = version.document
    rich = version.format == DocumentVersion.Format.RICH_TEXT
    # The title in the pack's language (``pack_content`` runs under it); the text stays
    # in the paper's own.
    title = parallel.version_for(document, DOCUMENT_PARALLEL, translation.get_language())
    return PaperView(
        public_id=str(document.public_id),
        symbol=document.symbol,
        title=str(title["title"]),
        title_language=title.language,
        title_state=title.state,
        title_note=title.short_note,
        category=document.get_category_display(),
        owner=_owner_label(document.owner),
        language=document.get_language_display(),
        language_code=document.language,
        distribution=document.distribution,
        classification=str(CLASSIFICATION[Distribution(document.distribution)]),
        version=version.number,
        format=version.format,
        format_label=version.get_format_display(),
        # Stored text is sanitised when saved; sanitising again here means a
        # row written around the services still cannot reach the renderer.
        body_html=sanitize_html(version.body_html).html if rich else "",
        storage_name=(version.file.name or "") if version.file and not rich else "",
        size_bytes=version.size_bytes,
    )


def _versions(pairs: Iterable[tuple[int, int]]) -> list[DocumentVersion]:
    pairs = list(pairs)
    if not pairs:
        return []
    wanted = Q()
    for document_id, number in pairs:
        wanted |= Q(document_id=document_id, number=number)
    return list(
        DocumentVersion.objects.filter(wanted)
        .select_related("document__owner")
        .order_by("document__symbol")
    )


def _table(session: Session) -> tuple[list[ChairView], list[SeatView]]:
    quarter = Quarter.parse(session.quarter)
    chairs = [
        ChairView(
            role=role,
            quarter=str(quarter + step),
            seat=term.seat.display_name if term is not None else str(_("Not yet planned")),
        )
        for role, step, term in zip(
            (str(_("Previous chair")), str(_("Chair")), str(_("Next chair"))),
            (-1, 0, 1),
            chair_troika(quarter=quarter),
            strict=True,
        )
    ]
    seats = [
        SeatView(
            seat=row.seat.display_name,
            arrangement=str(row.arrangement.get_mode_display()) if row.arrangement else "",
            holders=", ".join(
                party_name(party) for party in row.holders if party.pk != row.seat.party_id
            ),
        )
        for row in seat_rows(quarter=quarter)
        if not row.seat.is_observer
    ]
    return chairs, seats


def _agenda_state(agenda: Agenda | None) -> str:
    if agenda is None:
        return str(_("Not drafted yet"))
    if agenda.status == Agenda.Status.ADOPTED:
        adopted = agenda.adopted_at
        if adopted is None:
            return str(_("Adopted"))
        return str(_("Adopted on %(date)s") % {"date": format_in_zone(adopted, "UTC", DATE)})
    if agenda.status == Agenda.Status.CIRCULATED:
        return str(_("Provisional, circulated to the seat-holders for objections"))
    return str(_("Provisional, not yet circulated"))


def _classification(distributions: Iterable[str]) -> str:
    highest = max((Distribution(d) for d in distributions), key=lambda d: RANK[d])
    return str(CLASSIFICATION[highest])


def _slot(item: AgendaItem, zone: ZoneInfo) -> str:
    if item.starts_at is None:
        return ""
    starts = f"{timezone.localtime(item.starts_at, zone):%H:%M}"
    if item.ends_at is None:
        return starts
    return f"{starts}\N{EN DASH}{timezone.localtime(item.ends_at, zone):%H:%M}"


def _threat_picture(audience: Audience, viewer: Actor) -> ThreatPictureView | None:
    if audience.threat_assessment is None:
        return None
    assessment = assessment_list(user=viewer).filter(pk=audience.threat_assessment).first()
    picture = (
        assessment_picture(user=viewer, assessment=assessment) if assessment is not None else None
    )
    if picture is None or not picture.threats:
        return None
    trends = threat_trends(user=viewer, threats=[t.threat for t in picture.threats])
    return ThreatPictureView(
        session=picture.assessment.session.number,
        round=picture.round.number,
        released_at=picture.round.released_at,
        attribution=str(picture.assessment.get_attribution_display()),
        matrix_svg=charts.risk_matrix_svg(picture),
        divergence_svg=charts.divergence_svg(picture),
        trend_svg=charts.trend_svg(trends),
        matrix_rows=charts.matrix_rows(picture),
        divergence_rows=charts.divergence_rows(picture),
        trend_rows=charts.trend_rows(trends),
    )


def _own_scores(audience: Audience, viewer: Actor) -> OwnScoresView | None:
    if not audience.own_scores:
        return None
    scores: list[Score] = list(
        score_list(user=viewer, released=False).filter(pk__in=audience.own_scores)
    )
    if not scores:
        return None
    current = scores[0].round
    return OwnScoresView(
        session=current.assessment.session.number,
        round=current.number,
        deadline=current.deadline,
        scores=[
            OwnScoreView(
                threat=threat_version(score.threat),
                likelihood=score.likelihood,
                impact=score.impact,
                trend=str(score.get_trend_display()),
                confidence=str(score.get_confidence_display()),
                rationale=score.rationale,
            )
            for score in scores
        ],
    )


def _exercise_reports(audience: Audience) -> list[ExerciseReportView]:
    reports = (
        AfterActionReport.objects.filter(pk__in=audience.exercise_reports)
        .select_related("exercise")
        .prefetch_related("improvements__owner")
        .order_by("exercise__ended_at", "pk")
    )
    views = []
    for report in reports:
        # The exercise's title and the report's text in the pack's language
        # (``pack_content`` runs under it): columns of the exercise's and the report's rows.
        title, language, mark = pack_exercise_title(report.exercise)
        text_html, text_language, text_mark = pack_report_text(report)
        views.append(
            ExerciseReportView(
                title=title,
                ended_at=report.exercise.ended_at,
                text_html=text_html,
                improvements=[_improvement(line) for line in report.improvements.all()],
                language=language,
                mark=mark,
                text_language=text_language,
                text_mark=text_mark,
            )
        )
    return views


def _communique(communique: Communique) -> CommuniqueView:
    """The previous communiqué in the pack's language (``pack_content`` runs under it) when
    a current translation has it, else the authoritative text with the note saying why; its
    published words (a chair's statement's title, the attribution) in the same language. No
    query: the translations are columns of the communiqué's own row, its session and chair
    come with it."""
    version = parallel.version_for(communique, COMMUNIQUE_PARALLEL, translation.get_language())
    words = published_wording(communique, version.language, str(version["title"]))
    return CommuniqueView(
        title=words.title,
        kind=str(communique.get_kind_display()),
        session=communique.session.number,
        published_at=communique.published_at,
        text_html=sanitize_html(str(version["text"])).html,
        attribution=words.attribution,
        procedure=str(communique.procedure.label) if communique.procedure else "",
        footnotes=communique_footnotes(communique),
        language=version.language,
        mark=version.mark,
    )


def _improvement(line: ImprovementItem) -> str:
    due = formats.date_format(line.due_date, DATE)
    if line.owner is None:
        return str(_("%(line)s (due %(date)s)") % {"line": line.description, "date": due})
    return str(
        _("%(line)s (due %(date)s, %(owner)s)")
        % {"line": line.description, "date": due, "owner": party_name(line.owner)}
    )


def pack_content(
    *, session: Session, audience: Audience, viewer: Actor, version: str = ""
) -> PackContent:
    """The material of ``audience``'s pack, loaded once (queries do not grow with items).

    ``viewer`` is a reader with this audience: statements are shown as the
    minutes selectors display them to that reader. ``version`` is the
    content version the pack is built for (empty in the browser reader).
    """
    zone = ZoneInfo(session.venue_timezone)
    agenda = Agenda.objects.filter(session=session).first()
    items = list(
        AgendaItem.objects.filter(pk__in=audience.items)
        .select_related("proposer", "carried_from__session")
        .order_by("order")
    )
    papers_by_item: dict[int | None, list[PaperView]] = defaultdict(list)
    for paper_version in _versions(audience.documents):
        papers_by_item[paper_version.document.item_id].append(_paper(paper_version))

    statements_by_item: dict[int, list[StatementView]] = defaultdict(list)
    if audience.statements:
        for statement in (
            statement_list(viewer)
            .filter(pk__in=audience.statements)
            .prefetch_related(None)
            .order_by("item_id", "order")
        ):
            statements_by_item[statement.item_id].append(
                StatementView(
                    party=statement.display_party_name,  # type: ignore[attr-defined]
                    speaker=statement.display_speaker,  # type: ignore[attr-defined]
                    kind=str(statement.get_kind_display()),
                    summary=statement.summary,
                )
            )

    # Each item's title and description in the reader's language where a current
    # translation exists (consult/parallel.py): columns of the item's own row.
    reading = translation.get_language()
    versions = [parallel.version_for(item, AGENDA_ITEM_PARALLEL, reading) for item in items]
    item_views = [
        ItemView(
            order=item.order,
            title=str(version["title"]),
            kind=str(item.get_kind_display()),
            description=str(version["description"]),
            language=version.language,
            translation_mark="" if version.authoritative else version.state_label,
            language_note=version.note,
            proposer=party_name(item.proposer) if item.proposer else "",
            distribution=item.distribution,
            classification=str(CLASSIFICATION[Distribution(item.distribution)]),
            chatham_house=item.chatham_house,
            time=_slot(item, zone),
            carried_from=(
                str(
                    _("%(session)s, item %(order)s")
                    % {
                        "session": item.carried_from.session.number,
                        "order": item.carried_from.order,
                    }
                )
                if item.carried_from
                else ""
            ),
            papers=papers_by_item.get(item.pk, []),
            previous_statements=statements_by_item.get(item.carried_from_id or 0, []),
        )
        for item, version in zip(items, versions, strict=True)
    ]
    general = papers_by_item.get(None, [])

    annex_number = 0
    for paper in [p for view in item_views for p in view.papers] + general:
        if paper.format == DocumentVersion.Format.PDF and paper.storage_name:
            paper.annex_label = annex_label(annex_number)
            annex_number += 1

    points = [
        ActionPointView(
            description=point.description,
            owner=_owner_label(point.owner),
            due_date=point.due_date,
            session=point.minutes.session.number,
            item=parallel.served_title(point.item, AGENDA_ITEM_PARALLEL)
            if point.item and point.item.pk in audience.items
            else "",
        )
        for point in ActionPoint.objects.filter(pk__in=audience.action_points)
        .select_related("owner", "item", "minutes__session")
        .order_by("due_date", "pk")
    ]
    communique = previous_communique(session)
    communique_view = _communique(communique) if communique is not None else None
    chairs, seats = _table(session)
    threat_picture = _threat_picture(audience, viewer)
    own_scores = _own_scores(audience, viewer)
    exercise_reports = _exercise_reports(audience) if audience.exercise_reports else []
    registers = RegisterAudience(
        off_ramps=audience.off_ramps,
        private_stances=audience.private_stances,
        norms=audience.norms,
        incidents=audience.incidents,
    )
    off_ramps = pack_off_ramps(registers)
    norms = pack_norms(registers)
    distributions = [session.distribution]
    distributions += [view.distribution for view in off_ramps]
    if any(view.has_private for view in off_ramps):
        distributions.append(Distribution.DELEGATION)
    distributions += [norm.distribution for norm in norms]
    distributions += [incident.distribution for norm in norms for incident in norm.incidents]
    if exercise_reports:
        distributions.append(Distribution.PARTICIPANTS)
    if threat_picture is not None:
        distributions.append(Distribution.PARTICIPANTS)
    if own_scores is not None:
        distributions.append(Distribution.DELEGATION)
    distributions += [view.distribution for view in item_views]
    distributions += [p.distribution for view in item_views for p in view.papers]
    distributions += [p.distribution for p in general]
    return PackContent(
        session_number=session.number,
        session_title=session.title,
        session_kind=str(session.get_kind_display()),
        venue=session.venue,
        venue_timezone=session.venue_timezone,
        starts_local=timezone.localtime(session.starts_at, zone),
        ends_local=timezone.localtime(session.ends_at, zone),
        starts_utc=timezone.localtime(session.starts_at, ZoneInfo("UTC")),
        ends_utc=timezone.localtime(session.ends_at, ZoneInfo("UTC")),
        classification=_classification(distributions),
        agenda_adopted=agenda is not None and agenda.status == Agenda.Status.ADOPTED,
        agenda_adopted_at=agenda.adopted_at if agenda is not None else None,
        agenda_state=_agenda_state(agenda),
        content_version=version[:12],
        chairs=chairs,
        seats=seats,
        items=item_views,
        general_papers=general,
        communique=communique_view,
        action_points=points,
        threat_picture=threat_picture,
        own_scores=own_scores,
        exercise_reports=exercise_reports,
        off_ramps=off_ramps,
        norms=norms,
    )


def annex_label(number: int) -> str:
    """A, B, ... Z, AA, AB, ..."""
    label = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        label = chr(65 + rest) + label
    return label
