"""What of the threat picture a reader takes into a session: the briefing pack's section.

``threat_picture_audience`` names (by ids, a few queries) the released picture a reader
reads before ``session`` (the session's own assessment, or the latest earlier one with a
released round), the parties they see by name in it, and their own delegation's scores
still sealed in the session's open round. The pack groups readers by these ids, so a
delegation's sealed scores, or a party's name on an anonymised assessment, never reach a
render another reader receives.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from agenda.models import Session
from consult import parallel
from consult.actors import Actor
from consult.sanitize import sanitize_html
from crises.models import (
    Adherence,
    AfterActionReport,
    AssessmentRound,
    Crisis,
    Exercise,
    Incident,
    IncidentResponse,
    Norm,
    OffRamp,
    Stance,
)
from crises.models.dossiers import CRISIS_PARALLEL
from crises.models.exercises import AAR_PARALLEL, EXERCISE_PARALLEL
from crises.models.registers import NORM_PARALLEL, OFF_RAMP_PARALLEL
from crises.selectors.assessments import assessment_list, score_list
from crises.selectors.registers import (
    current_stances,
    incident_list,
    norm_list,
    off_ramp_list,
    stance_list,
)
from members.models import Party


@dataclass(frozen=True, slots=True)
class PictureAudience:
    assessment: int | None
    named_parties: tuple[int, ...]
    own_scores: tuple[int, ...]


def _readable_assessments(*, user: Actor, session: Session) -> list[tuple[int, int, bool]]:
    """(id, session id, has a released round) of the session's own assessment and of the
    latest one with a released round, as ``user`` reads them: one query."""
    released = AssessmentRound.objects.filter(assessment=OuterRef("pk"), released_at__isnull=False)
    return list(
        assessment_list(user=user)
        .filter(Q(session=session) | Exists(released), session__starts_at__lte=session.starts_at)
        .annotate(released=Exists(released))
        .order_by("-session__starts_at", "-pk")
        .values_list("pk", "session_id", "released")[:2]
    )


def threat_picture_audience(*, user: Actor, session: Session) -> PictureAudience:
    """The ids behind ``user``'s threat picture section of ``session``'s pack: one query when
    nothing is assessed, four at most."""
    rows = _readable_assessments(user=user, session=session)
    assessment = next((pk for pk, _session, released in rows if released), None)
    named: list[int] = []
    if assessment is not None:
        last = (
            AssessmentRound.objects.filter(assessment_id=assessment, released_at__isnull=False)
            .order_by("-number")
            .first()
        )
        named = sorted(
            set(
                score_list(user=user, round=last)
                .exclude(display_party_code="")  # type: ignore[misc]
                .order_by()
                .values_list("party_id", flat=True)
            )
        )
    own: list[int] = []
    if any(session_id == session.pk for _pk, session_id, _released in rows):
        own = sorted(
            score_list(user=user, released=False)
            .filter(round__assessment__session=session)
            .order_by()
            .values_list("pk", flat=True)
        )
    return PictureAudience(assessment=assessment, named_parties=tuple(named), own_scores=tuple(own))


# --- Off-ramps and norms on the agenda --------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegisterAudience:
    """The ids behind a reader's off-ramps and norms sections of a session's pack.

    ``private_stances``: the stances kept to a party and the secretariat that the reader
    reads on those off-ramps (their own party's, or all of them for the secretariat). A
    public stance is read as its off-ramp, so these ids are all that tell two readers of
    the same off-ramps apart: a reader who holds another party's private stance never
    shares a render with one who does not.
    """

    off_ramps: tuple[int, ...] = ()
    private_stances: tuple[int, ...] = ()
    norms: tuple[int, ...] = ()
    incidents: tuple[int, ...] = ()


def _previous_start(session: Session) -> Subquery:
    return Subquery(
        Session.objects.filter(starts_at__lt=session.starts_at)
        .exclude(status=Session.Status.CANCELLED)
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )


def registers_audience(
    *, user: Actor, session: Session, items: Sequence[int], norms_on_agenda: bool
) -> RegisterAudience:
    """What ``user`` reads of the off-ramps of the crises linked to ``items`` (the session's
    agenda items they read) and, when the agenda has a norms item they read
    (``norms_on_agenda``), of the register of norms: the norms registered up to the session
    and the incidents under them since the previous session began.

    One query without crises on the agenda, four at most, whatever the number of rows."""
    off_ramps: list[int] = []
    private: list[int] = []
    if items:
        off_ramps = sorted(
            set(
                off_ramp_list(user=user)
                .filter(crisis__items__in=list(items))
                .order_by()
                .values_list("pk", flat=True)
            )
        )
    if off_ramps:
        private = sorted(
            stance_list(user=user)
            .filter(off_ramp__in=off_ramps, private=True)
            .order_by()
            .values_list("pk", flat=True)
        )
    norms: list[int] = []
    incidents: list[int] = []
    if norms_on_agenda:
        norms = list(
            norm_list(user=user)
            .filter(session__starts_at__lte=session.starts_at)
            .values_list("pk", flat=True)
        )
    if norms:
        previous = _previous_start(session)
        incidents = sorted(
            incident_list(user=user)
            .filter(norm__in=norms)
            .alias(since=TruncDate(previous, tzinfo=dt.UTC))
            .filter(Q(since__isnull=True) | Q(occurred_on__gte=F("since")))
            .prefetch_related(None)
            .order_by()
            .values_list("pk", flat=True)
        )
    return RegisterAudience(
        off_ramps=tuple(off_ramps),
        private_stances=tuple(private),
        norms=tuple(norms),
        incidents=tuple(incidents),
    )


@dataclass(frozen=True, slots=True)
class StanceCell:
    party: str
    position: str
    label: str
    private: bool


@dataclass(frozen=True, slots=True)
class OffRampView:
    title: str
    language: str
    mark: str
    status: str
    proposer: str
    preconditions: str
    stances: list[StanceCell]

    def count(self, position: str) -> int:
        return sum(1 for cell in self.stances if cell.position == position)

    @property
    def at_a_glance(self) -> str:
        return ", ".join(
            f"{self.count(value)} {str(label).lower()}" for value, label in Stance.Position.choices
        )


@dataclass(frozen=True, slots=True)
class CrisisOffRampsView:
    crisis: str
    crisis_language: str
    distribution: str
    off_ramps: list[OffRampView]

    @property
    def crisis_html(self) -> SafeString:
        """The crisis's title in its own language, within a sentence worded in the readers'."""
        return format_html('<span lang="{}">{}</span>', self.crisis_language, self.crisis)

    @property
    def has_private(self) -> bool:
        return any(cell.private for off_ramp in self.off_ramps for cell in off_ramp.stances)


@dataclass(frozen=True, slots=True)
class AdherenceRow:
    party: str
    level: str
    note: str
    since: datetime


@dataclass(frozen=True, slots=True)
class IncidentView:
    distribution: str
    occurred_on: date
    place: str
    reporting_party: str
    parties_involved: str
    description: str
    responses: list[str]


@dataclass(frozen=True, slots=True)
class NormView:
    title: str
    language: str
    mark: str
    distribution: str
    source: str
    text_html: str
    adherence: list[AdherenceRow]
    incidents: list[IncidentView]

    @property
    def title_html(self) -> SafeString:
        """The title in its own language, within a sentence worded in the readers' (the
        authoritative title stands in where their language has no current translation)."""
        return format_html('<span lang="{}">{}</span>', self.language, self.title)


def _served(
    text: AfterActionReport | Crisis | Exercise | Norm | OffRamp, spec: parallel.ParallelFields
) -> parallel.Version:
    """The version of a toolkit text a pack's reader gets: the pack is made in its readers'
    language (``translation.override``), the authoritative text where that language has no
    current translation."""
    return parallel.version_for(text, spec, translation.get_language())


def pack_exercise_title(exercise: Exercise) -> tuple[str, str, str]:
    """An exercise's title as a pack's readers get it, its language and its mark (the
    after-action reports' section heads each report with its exercise's title). No query:
    the translations are columns of the exercise's own row."""
    version = _served(exercise, EXERCISE_PARALLEL)
    return str(version["title"]), version.language, version.mark


def pack_report_text(report: AfterActionReport) -> tuple[str, str, str]:
    """An after-action report's text as a pack's readers get it (sanitised HTML), its
    language and its mark: their language when a current translation has it, else the
    authoritative text with the note. No query: the translations are columns of the
    report's own row."""
    version = _served(report, AAR_PARALLEL)
    return sanitize_html(str(version["text"])).html, version.language, version.mark


def pack_off_ramps(audience: RegisterAudience) -> list[CrisisOffRampsView]:
    """The off-ramps of ``audience`` by crisis, each with the current stance per party as the
    audience reads it (a private stance only where the audience holds it): two queries."""
    if not audience.off_ramps:
        return []
    off_ramps = list(
        OffRamp.objects.filter(pk__in=audience.off_ramps)
        .select_related("crisis", "proposer")
        .order_by("crisis__title", "crisis_id", "title", "pk")
    )
    stances = Stance.objects.filter(off_ramp__in=audience.off_ramps).filter(
        Q(private=False) | Q(pk__in=audience.private_stances)
    )
    latest = current_stances(stances.select_related("party"))
    by_crisis: dict[int, CrisisOffRampsView] = {}
    for off_ramp in off_ramps:
        cells = sorted(
            (
                StanceCell(
                    party=stance.party.code,
                    position=stance.position,
                    label=stance.get_position_display(),
                    private=stance.private,
                )
                for (off_ramp_id, _party), stance in latest.items()
                if off_ramp_id == off_ramp.pk
            ),
            key=lambda cell: cell.party,
        )
        if off_ramp.crisis_id not in by_crisis:
            dossier = _served(off_ramp.crisis, CRISIS_PARALLEL)
            by_crisis[off_ramp.crisis_id] = CrisisOffRampsView(
                crisis=str(dossier["title"]),
                crisis_language=dossier.language,
                distribution=off_ramp.crisis.distribution,
                off_ramps=[],
            )
        served = _served(off_ramp, OFF_RAMP_PARALLEL)
        by_crisis[off_ramp.crisis_id].off_ramps.append(
            OffRampView(
                title=str(served["title"]),
                language=served.language,
                mark=served.mark,
                status=off_ramp.get_status_display(),
                proposer=off_ramp.proposer.display_name
                if off_ramp.proposer
                else gettext("Secretariat"),
                preconditions=off_ramp.preconditions,
                stances=cells,
            )
        )
    return list(by_crisis.values())


def pack_norms(audience: RegisterAudience) -> list[NormView]:
    """The norms of ``audience`` with each party's current adherence and the audience's
    incidents (with their responses): four queries, whatever the number of rows."""
    if not audience.norms:
        return []
    norms = list(Norm.objects.filter(pk__in=audience.norms).order_by("title", "pk"))
    adherence: dict[int, dict[int, Adherence]] = defaultdict(dict)
    for row in (
        Adherence.objects.filter(norm__in=audience.norms)
        .select_related("party")
        .order_by("created_at", "pk")
    ):
        adherence[row.norm_id][row.party_id] = row  # the latest wins
    incidents: dict[int, list[IncidentView]] = defaultdict(list)
    for incident in (
        Incident.objects.filter(pk__in=audience.incidents)
        .select_related("reporting_party")
        .prefetch_related(
            Prefetch("parties_involved", queryset=Party.objects.order_by("code")),
            Prefetch(
                "responses",
                queryset=IncidentResponse.objects.select_related("party").order_by("created_at"),
            ),
        )
        .order_by("occurred_on", "created_at", "pk")
    ):
        incidents[incident.norm_id].append(
            IncidentView(
                distribution=incident.distribution,
                occurred_on=incident.occurred_on,
                place=incident.place,
                reporting_party=incident.reporting_party.display_name,
                parties_involved=", ".join(p.code for p in incident.parties_involved.all()),
                description=incident.description,
                responses=[f"{r.party.code}: {r.text}" for r in incident.responses.all()],
            )
        )
    served = {norm.pk: _served(norm, NORM_PARALLEL) for norm in norms}
    return [
        NormView(
            title=str(served[norm.pk]["title"]),
            language=served[norm.pk].language,
            mark=served[norm.pk].mark,
            distribution=norm.distribution,
            source=norm.source,
            text_html=sanitize_html(str(served[norm.pk]["text"])).html,
            adherence=[
                AdherenceRow(
                    party=row.party.code,
                    level=row.get_level_display(),
                    note=row.note,
                    since=row.created_at,
                )
                for row in sorted(adherence[norm.pk].values(), key=lambda r: r.party.code)
            ],
            incidents=incidents[norm.pk],
        )
        for norm in norms
    ]
