"""Serializers of the crisis toolkit's API: crises, threats, assessments, scores, pictures.

A score names its party only through the selector's display fields
(``display_party``/``display_party_code``): on an anonymised assessment, to
anyone but the party itself and the secretariat, it reads "A participant"
with no code. Nothing here names who typed a score (``scored_by`` would name
the party's delegate, and so the party).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agenda.api.serializers.summaries import SessionSummarySerializer
from consult.api_base import (
    AwareDateTimeField,
    DetailLinkField,
    DirectReadMixin,
    PublicModelSerializer,
    detail_url,
)
from consult.parallel import LANGUAGE_CODES
from consult.parallel_api import PARALLEL_TEXT_FIELDS, ParallelTextFields, ServedTitleFields
from crises.models import (
    CRISIS_DISTRIBUTIONS,
    SCORE_MAX,
    SCORE_MIN,
    Assessment,
    AssessmentRound,
    Crisis,
    CrisisTransition,
    Score,
    Threat,
)
from crises.models.assessments import THREAT_PARALLEL
from crises.models.dossiers import CRISIS_PARALLEL
from crises.models.exercises import AAR_PARALLEL, EXERCISE_PARALLEL, INJECT_PARALLEL
from crises.models.registers import NORM_PARALLEL, OFF_RAMP_PARALLEL
from crises.selectors.crises import TimelineEntry
from crises.selectors.pictures import Picture, Position, ThreatPicture, ThreatTrend
from crises.services.crises import LINKABLE
from crises.statistics import Verdict

# How views on a threat moved since the round (or quarter) before.
VERDICTS = [(verdict.value, verdict.label) for verdict in Verdict]

# Summaries, nested wherever another resource names the entity.


class CrisisSummarySerializer(
    ServedTitleFields, DirectReadMixin, serializers.ModelSerializer[Crisis]
):
    """A crisis wherever another resource names it (a threat, an off-ramp, an alert), its
    title in the reader's language when a current translation has it
    (``ServedTitleFields``)."""

    parallel_spec = CRISIS_PARALLEL

    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("crisis-detail")

    class Meta:
        model = Crisis
        fields = ["id", "url", "title", "title_language", "title_authoritative", "status"]
        read_only_fields = fields


class ThreatSummarySerializer(
    ServedTitleFields, DirectReadMixin, serializers.ModelSerializer[Threat]
):
    """A threat wherever another resource names it (an assessment, a score, a picture, a
    trend), its title in the reader's language when a current translation has it
    (``ServedTitleFields``)."""

    parallel_spec = THREAT_PARALLEL

    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("threat-detail")

    class Meta:
        model = Threat
        fields = ["id", "url", "title", "title_language", "title_authoritative"]
        read_only_fields = fields


class AssessmentSummarySerializer(DirectReadMixin, serializers.ModelSerializer[Assessment]):
    """An assessment wherever another resource names it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("assessment-detail")

    class Meta:
        model = Assessment
        fields = ["id", "url", "attribution"]
        read_only_fields = fields


class ScorePartySerializer(serializers.Serializer[Any]):
    code = serializers.CharField(
        allow_null=True, help_text="Null where the assessment is anonymised to the reader."
    )
    name = serializers.CharField(help_text="“A participant” where anonymised.")


# The toolkit's parallel texts (consult/parallel.py)


class ToolkitTextFields(ParallelTextFields):
    """A dossier's, an off-ramp's, a norm's or a threat's title and summary, text or
    description in the language served (``Accept-Language`` when it is authoritative or a
    current translation, else the authoritative text), with the fields saying which version
    it is. A serializer lists ``title`` and its ``summary``, ``text`` or ``description`` in
    ``Meta.fields``."""

    title = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()

    def get_title(self, obj: Any) -> str:
        return str(self._parallel(obj)["title"])

    @extend_schema_field(serializers.CharField(help_text="Sanitised HTML."))
    def get_summary(self, obj: Any) -> str:
        return str(self._parallel(obj)["summary"])

    @extend_schema_field(serializers.CharField(help_text="Sanitised HTML."))
    def get_text(self, obj: Any) -> str:
        return str(self._parallel(obj)["text"])

    @extend_schema_field(serializers.CharField(help_text="Plain text."))
    def get_description(self, obj: Any) -> str:
        return str(self._parallel(obj)["description"])


class CrisisTextFields(ToolkitTextFields):
    parallel_spec = CRISIS_PARALLEL


class NormTextFields(ToolkitTextFields):
    parallel_spec = NORM_PARALLEL


class OffRampTextFields(ToolkitTextFields):
    parallel_spec = OFF_RAMP_PARALLEL


class InjectTextFields(ParallelTextFields):
    """An inject's text (it has no title) in the language served."""

    parallel_spec = INJECT_PARALLEL

    text = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(help_text="Plain text."))
    def get_text(self, obj: Any) -> str:
        return str(self._parallel(obj)["text"])


class ReportTextFields(ParallelTextFields):
    """An after-action report's text (it has no title) in the language served."""

    parallel_spec = AAR_PARALLEL

    text = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(help_text="Sanitised HTML."))
    def get_text(self, obj: Any) -> str:
        return str(self._parallel(obj)["text"])


class ExerciseTextFields(ToolkitTextFields):
    """An exercise's title, scenario and objectives in the language served."""

    parallel_spec = EXERCISE_PARALLEL

    scenario = serializers.SerializerMethodField()
    objectives = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(help_text="Sanitised HTML."))
    def get_scenario(self, obj: Any) -> str:
        return str(self._parallel(obj)["scenario"])

    @extend_schema_field(serializers.CharField(help_text="Plain text."))
    def get_objectives(self, obj: Any) -> str:
        return str(self._parallel(obj)["objectives"])


class ThreatTextFields(ToolkitTextFields):
    parallel_spec = THREAT_PARALLEL


# Crises


class CrisisTransitionSerializer(DirectReadMixin, serializers.ModelSerializer[CrisisTransition]):
    reason = serializers.CharField(
        source="display_reason",
        read_only=True,
        help_text="The reason, in the language served: a person's words as typed, or the "
        "platform's (reason_code) worded in that language.",
    )
    reason_code = serializers.ChoiceField(
        choices=CrisisTransition.ReasonCode.choices,
        allow_blank=True,
        read_only=True,
        help_text="The platform's reason, for a dossier opened without one; empty when a "
        "person gave the reason.",
    )

    class Meta:
        model = CrisisTransition
        fields = ["from_status", "to_status", "on", "reason", "reason_code"]
        read_only_fields = fields


class CrisisSerializer(CrisisTextFields, PublicModelSerializer):
    url = DetailLinkField("crisis-detail")
    session = SessionSummarySerializer(read_only=True, help_text="The session it was raised at.")
    transitions = CrisisTransitionSerializer(many=True, read_only=True)
    timeline_url = serializers.SerializerMethodField(
        help_text="The dossier's timeline: the linked records the caller may read, by date."
    )

    class Meta:
        model = Crisis
        fields = [
            "id",
            "url",
            "title",
            "region",
            "summary",
            "status",
            "status_since",
            "distribution",
            "session",
            "transitions",
            "timeline_url",
            "created_at",
            "updated_at",
            *PARALLEL_TEXT_FIELDS,
        ]
        read_only_fields = fields

    def get_timeline_url(self, crisis: Crisis) -> str:
        return detail_url("crisis-timeline", crisis.public_id, self.context.get("request"))


class CrisisCreateSerializer(serializers.Serializer[Any]):
    session = serializers.UUIDField(help_text="The session the crisis is raised at.")
    title = serializers.CharField(max_length=200)
    region = serializers.CharField(max_length=120)
    summary = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Rich text (sanitised)."
    )
    status = serializers.ChoiceField(choices=Crisis.Status.choices, default=Crisis.Status.WATCH)
    on = serializers.DateField(help_text="The day the crisis is raised.")
    distribution = serializers.ChoiceField(
        choices=CRISIS_DISTRIBUTIONS, default=CRISIS_DISTRIBUTIONS[1][0]
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the dossier is opened; left out or empty, the record says it was raised "
        "at the session, in each reader's language (reason_code raised).",
    )


class CrisisUpdateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200, required=False)
    region = serializers.CharField(max_length=120, required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    distribution = serializers.ChoiceField(choices=CRISIS_DISTRIBUTIONS, required=False)


class CrisisTransitionWriteSerializer(serializers.Serializer[Any]):
    to_status = serializers.ChoiceField(choices=Crisis.Status.choices)
    on = serializers.DateField(help_text="The day the change takes effect.")
    reason = serializers.CharField()


class CrisisLinkSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=sorted(LINKABLE),
        help_text="What is linked: an agenda item, a paper, a statement, an action point "
        "or a communiqué.",
    )
    id = serializers.UUIDField(help_text="The linked record's id.")
    linked = serializers.BooleanField(default=True, help_text="false unlinks it.")


class TimelineEntrySerializer(serializers.Serializer[Any]):
    day = serializers.DateField()
    kind = serializers.ChoiceField(
        choices=["item", "paper", "statement", "action_point", "communique", "alert", "status"]
    )
    title = serializers.CharField()
    detail = serializers.CharField(
        help_text="The item's order, a paper's symbol, the speaking party (“a participant” "
        "under the Chatham House rule), a status change's reason..."
    )
    session_number = serializers.CharField(allow_blank=True)
    page_url = serializers.SerializerMethodField(help_text="The record's page; empty for status.")

    def get_page_url(self, entry: TimelineEntry) -> str:
        request = self.context.get("request")
        if not entry.url or request is None:
            return entry.url
        return str(request.build_absolute_uri(entry.url))


# Threats


class ThreatSerializer(ThreatTextFields, PublicModelSerializer):
    url = DetailLinkField("threat-detail")
    crisis = serializers.SerializerMethodField()

    class Meta:
        model = Threat
        fields = [
            "id",
            "url",
            "title",
            "description",
            "region",
            "crisis",
            "retired_at",
            "created_at",
            "updated_at",
            *PARALLEL_TEXT_FIELDS,
        ]
        read_only_fields = fields

    @extend_schema_field(CrisisSummarySerializer(allow_null=True))
    def get_crisis(self, threat: Threat) -> dict[str, Any] | None:
        # A threat may be read (through an assessment) by someone the crisis is not
        # open to: the crisis is then not named.
        readable: set[int] = self.context.get("readable_crises", set())
        if threat.crisis is None or threat.crisis_id not in readable:
            return None
        return dict(CrisisSummarySerializer(threat.crisis, context=self.context).data)


class ThreatUpdateSerializer(serializers.Serializer[Any]):
    """An edit of the authoritative title or description outdates every translation."""

    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    region = serializers.CharField(max_length=120, required=False, allow_blank=True)
    crisis = serializers.UUIDField(required=False, allow_null=True, help_text="A crisis's id.")


class ThreatWriteSerializer(ThreatUpdateSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    region = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(
        choices=LANGUAGE_CODES,
        default="en",
        help_text="The language the title and description are written in (authoritative); "
        "a listed threat keeps it.",
    )


# Assessments


class RoundSerializer(serializers.ModelSerializer[AssessmentRound]):
    threats = ThreatSummarySerializer(many=True, read_only=True)
    released = serializers.BooleanField(source="is_released", read_only=True)

    class Meta:
        model = AssessmentRound
        fields = ["number", "deadline", "released", "released_at", "threats"]
        read_only_fields = fields


class AssessmentSerializer(PublicModelSerializer):
    url = DetailLinkField("assessment-detail")
    session = SessionSummarySerializer(read_only=True)
    threats = ThreatSummarySerializer(many=True, read_only=True)
    rounds = RoundSerializer(many=True, read_only=True)
    picture_url = serializers.SerializerMethodField(
        help_text="The collective picture of the last released round."
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "url",
            "session",
            "attribution",
            "convergence_threshold",
            "threats",
            "rounds",
            "picture_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_picture_url(self, assessment: Assessment) -> str:
        return detail_url("assessment-picture", assessment.public_id, self.context.get("request"))


class AssessmentOpenSerializer(serializers.Serializer[Any]):
    session = serializers.UUIDField(help_text="The regular session the assessment prepares.")
    threats = serializers.ListField(
        child=serializers.UUIDField(), min_length=1, max_length=200, help_text="Threats' ids."
    )
    deadline = AwareDateTimeField(help_text="When the first round closes.")
    attribution = serializers.ChoiceField(
        choices=Assessment.Attribution.choices, default=Assessment.Attribution.ANONYMISED
    )
    convergence_threshold = serializers.DecimalField(
        max_digits=3, decimal_places=1, min_value=0, max_value=4, default=Decimal("1.0")
    )


class RoundOpenSerializer(serializers.Serializer[Any]):
    deadline = AwareDateTimeField(help_text="When the new round closes.")


# Scores


class ScoreSerializer(PublicModelSerializer):
    url = DetailLinkField("score-detail")
    assessment = AssessmentSummarySerializer(source="round.assessment", read_only=True)
    round = serializers.IntegerField(source="round.number", read_only=True)
    released = serializers.SerializerMethodField()
    threat = ThreatSummarySerializer(read_only=True)
    party = serializers.SerializerMethodField()

    class Meta:
        model = Score
        fields = [
            "id",
            "url",
            "assessment",
            "round",
            "released",
            "threat",
            "party",
            "likelihood",
            "impact",
            "trend",
            "confidence",
            "rationale",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_released(self, score: Score) -> bool:
        return score.round.released_at is not None

    @extend_schema_field(ScorePartySerializer)
    def get_party(self, score: Any) -> dict[str, str | None]:
        # Only the selector's display fields: never the score's own party.
        return {"code": score.display_party_code or None, "name": score.display_party}


class ScoreAnswerSerializer(serializers.Serializer[Any]):
    threat = serializers.UUIDField(help_text="The threat's id.")
    likelihood = serializers.IntegerField(
        min_value=SCORE_MIN,
        max_value=SCORE_MAX,
        error_messages={
            "min_value": f"Likelihood is scored from {SCORE_MIN} to {SCORE_MAX}.",
            "max_value": f"Likelihood is scored from {SCORE_MIN} to {SCORE_MAX}.",
        },
    )
    impact = serializers.IntegerField(
        min_value=SCORE_MIN,
        max_value=SCORE_MAX,
        error_messages={
            "min_value": f"Impact is scored from {SCORE_MIN} to {SCORE_MAX}.",
            "max_value": f"Impact is scored from {SCORE_MIN} to {SCORE_MAX}.",
        },
    )
    trend = serializers.ChoiceField(choices=Score.Trend.choices)
    confidence = serializers.ChoiceField(choices=Score.Confidence.choices)
    rationale = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


def _string_keys(errors: Any) -> Any:
    if isinstance(errors, dict):
        return {str(key): _string_keys(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [_string_keys(value) for value in errors]
    return errors


class ScoreSubmitSerializer(serializers.Serializer[Any]):
    """A list of scores; a refused one is named by its position in the list (``"1"``)."""

    assessment = serializers.UUIDField(help_text="The assessment's id; its open round is scored.")
    party = serializers.RegexField(
        r"^[A-Za-z]{2,8}$",
        required=False,
        help_text="The party scored for, when the caller speaks for more than one.",
    )
    # An empty list is the service's refusal ("No scores were given.").
    scores = ScoreAnswerSerializer(many=True)

    @property
    def errors(self) -> Any:
        # DRF keys a list's errors by position (an int), which JSON objects cannot hold.
        return _string_keys(super().errors)


# The picture


class SpreadSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField(help_text="How many parties scored.")
    median = serializers.FloatField()
    q1 = serializers.FloatField(help_text="First quartile (interpolated like percentile_cont).")
    q3 = serializers.FloatField(help_text="Third quartile.")
    iqr = serializers.FloatField(help_text="Interquartile range: the spread of views.")


class ThreatStatsSerializer(serializers.Serializer[Any]):
    likelihood = SpreadSerializer()
    impact = SpreadSerializer()
    spread = serializers.FloatField(help_text="The wider of the two interquartile ranges.")


class ThreatPositionSerializer(serializers.Serializer[Any]):
    party = serializers.SerializerMethodField()
    likelihood = serializers.IntegerField()
    impact = serializers.IntegerField()
    trend = serializers.CharField()
    confidence = serializers.CharField()
    rationale = serializers.CharField()

    @extend_schema_field(ScorePartySerializer)
    def get_party(self, position: Position) -> dict[str, str | None]:
        return {"code": position.party_code or None, "name": position.party}


class ThreatPictureSerializer(serializers.Serializer[Any]):
    threat = ThreatSummarySerializer()
    stats = ThreatStatsSerializer()
    previous = ThreatStatsSerializer(
        allow_null=True, help_text="The same threat in the round before; null in a first round."
    )
    verdict = serializers.SerializerMethodField()
    converged = serializers.BooleanField(
        help_text="Spread below the assessment's threshold: no further round is offered for it."
    )
    positions = ThreatPositionSerializer(many=True)

    @extend_schema_field(serializers.ChoiceField(choices=VERDICTS, allow_null=True))
    def get_verdict(self, picture: ThreatPicture) -> str | None:
        moved = picture.verdict
        return str(moved) if moved is not None else None


class PictureRoundSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    released_at = serializers.DateTimeField()


class PictureSerializer(serializers.Serializer[Any]):
    assessment = AssessmentSummarySerializer()
    session = SessionSummarySerializer(source="assessment.session")
    round = PictureRoundSerializer()
    convergence_threshold = serializers.DecimalField(
        source="assessment.convergence_threshold", max_digits=3, decimal_places=1
    )
    offers_new_round = serializers.BooleanField()
    threats = ThreatPictureSerializer(many=True)
    matrix_svg = serializers.SerializerMethodField(help_text="The risk matrix, as SVG.")
    divergence_svg = serializers.SerializerMethodField(
        help_text="Threats ranked by spread, each party's score marked, as SVG."
    )

    def _chart(self, picture: Picture, name: str) -> str:
        path = reverse(name, kwargs={"id": picture.assessment.public_id})
        path += f"?round={picture.round.number}"
        request = self.context.get("request")
        return str(request.build_absolute_uri(path)) if request is not None else path

    def get_matrix_svg(self, picture: Picture) -> str:
        return self._chart(picture, "assessment-picture-matrix")

    def get_divergence_svg(self, picture: Picture) -> str:
        return self._chart(picture, "assessment-picture-divergence")


# Trends


class QuarterPointSerializer(serializers.Serializer[Any]):
    quarter = serializers.CharField()
    session_number = serializers.CharField()
    stats = ThreatStatsSerializer()


class ThreatTrendSerializer(serializers.Serializer[Any]):
    threat = ThreatSummarySerializer()
    points = QuarterPointSerializer(many=True, help_text="Oldest quarter first.")
    verdicts = serializers.SerializerMethodField(
        help_text="From each quarter to the next: converged, diverged or stayed."
    )

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=VERDICTS)))
    def get_verdicts(self, trend: ThreatTrend) -> list[str]:
        return [str(moved) for moved in trend.verdicts()]
