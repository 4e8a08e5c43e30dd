"""Viewsets of the crisis toolkit's API, registered in ``consult/api.py``.

``/api/v1/crises/`` (dossiers, their status changes, links and timeline),
``/api/v1/threats/`` (the shared list, and each threat's trend over quarters),
``/api/v1/assessments/`` (opened, released and asked again by the secretariat;
the collective picture of a released round) and ``/api/v1/scores/`` (sealed:
a delegation reads its own until release, then the participants read them,
attributed or anonymised as the assessment says). Reads go through the
selectors, writes through the services; the charts are in ``crises.api.charts``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agenda.api.views.references import visible_session
from agenda.selectors.agendas import agenda_item_list
from agenda.selectors.documents import document_list
from consult.actors import Actor
from consult.api_base import ReadOnlyApiViewSet
from crises.api.serializers import (
    AssessmentOpenSerializer,
    AssessmentSerializer,
    CrisisCreateSerializer,
    CrisisLinkSerializer,
    CrisisSerializer,
    CrisisTransitionWriteSerializer,
    CrisisUpdateSerializer,
    PictureSerializer,
    RoundOpenSerializer,
    ScoreSerializer,
    ScoreSubmitSerializer,
    ThreatSerializer,
    ThreatTrendSerializer,
    ThreatUpdateSerializer,
    ThreatWriteSerializer,
    TimelineEntrySerializer,
)
from crises.filters import AssessmentFilter, CrisisFilter, ScoreFilter, ThreatFilter
from crises.models import Assessment, AssessmentRound, Crisis, CrisisTransition, Score, Threat
from crises.selectors.assessments import (
    assessment_get,
    assessment_list,
    score_list,
    threat_list,
)
from crises.selectors.crises import crisis_list, crisis_timeline
from crises.selectors.pictures import Picture, ThreatTrend, assessment_picture, threat_trends
from crises.services import assessments as assessment_services
from crises.services import crises as crisis_services
from crises.services import threats as threat_services
from members.models import Party
from minutes.selectors.communiques import communique_list
from minutes.selectors.record import action_point_list, statement_list

MAX_TREND_QUARTERS = 40


class PictureQuerySerializer(serializers.Serializer[Any]):
    round = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=1000,
        help_text="A released round's number (default: the last released round).",
    )


class TrendQuerySerializer(serializers.Serializer[Any]):
    quarters = serializers.IntegerField(
        required=False,
        default=8,
        min_value=1,
        max_value=MAX_TREND_QUARTERS,
        help_text="How many of the latest assessed quarters.",
    )


def _query(serializer: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    # An empty parameter is no value, as on every list (consult.api_base).
    params = {key: str(value) for key, value in request.query_params.items() if str(value).strip()}
    query = serializer(data=params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def picture_for(request: Request, public_id: Any) -> Picture:
    """The picture of a readable assessment's last released round (or ``?round=``); a refused
    assessment answers 404 like a missing one, and so does one with nothing released."""
    assessment = assessment_get(user=request.user, public_id=public_id)
    number = _query(PictureQuerySerializer, request).get("round")
    picture = assessment_picture(user=request.user, assessment=assessment, number=number)
    if picture is None or (number is not None and picture.round.number != number):
        raise Http404("No such released round.")
    return picture


def trends_for(request: Request, threats: QuerySet[Threat]) -> list[ThreatTrend]:
    """Each of ``threats`` (filtered, readable) over the latest quarters ``user`` reads."""
    quarters = _query(TrendQuerySerializer, request)["quarters"]
    return threat_trends(user=request.user, threats=list(threats), quarters=quarters)


# Crises

# The selector reading each kind of record a crisis links to, for the caller.
LINK_SOURCES: dict[str, Callable[[Actor], QuerySet[Any]]] = {
    "items": lambda user: agenda_item_list(user=user),
    "documents": lambda user: document_list(user=user),
    "statements": lambda user: statement_list(user),
    "action_points": lambda user: action_point_list(user),
    "communiques": lambda user: communique_list(user),
}


class CrisisViewSet(ReadOnlyApiViewSet):
    """Crisis dossiers the caller may read; the secretariat opens, edits, moves and links them."""

    serializer_class = CrisisSerializer
    filterset_class = CrisisFilter
    ordering_fields = ["created_at", "updated_at", "status_since"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[Crisis]:
        transitions = CrisisTransition.objects.order_by("on", "created_at")
        return crisis_list(user=self.request.user).prefetch_related(
            Prefetch("transitions", queryset=transitions)
        )

    def _read(self, crisis: Crisis, *, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=crisis.pk)
        return Response(
            CrisisSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(request=CrisisCreateSerializer, responses={201: CrisisSerializer})
    def create(self, request: Request) -> Response:
        data = CrisisCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        crisis = crisis_services.crisis_create(
            user=request.user,
            session=visible_session(request.user, values["session"]),
            title=values["title"],
            region=values["region"],
            on=values["on"],
            summary=values["summary"],
            status=values["status"],
            distribution=values["distribution"],
            reason=values["reason"],
        )
        return self._read(crisis, code=status.HTTP_201_CREATED)

    @extend_schema(request=CrisisUpdateSerializer, responses=CrisisSerializer)
    def partial_update(self, request: Request, id: str) -> Response:
        crisis = self.get_object()
        data = CrisisUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        crisis = crisis_services.crisis_update(
            crisis=crisis,
            user=request.user,
            title=values.get("title", crisis.title),
            region=values.get("region", crisis.region),
            summary=values.get("summary", crisis.summary),
            distribution=values.get("distribution", crisis.distribution),
        )
        return self._read(crisis)

    @extend_schema(request=CrisisTransitionWriteSerializer, responses=CrisisSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, id: str) -> Response:
        """Move the crisis to another status as of a day, with the reason the record keeps."""
        crisis = self.get_object()
        data = CrisisTransitionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        crisis_services.crisis_transition(
            crisis=crisis,
            user=request.user,
            to_status=values["to_status"],
            on=values["on"],
            reason=values["reason"],
        )
        return self._read(crisis)

    @extend_schema(request=CrisisLinkSerializer, responses=CrisisSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request: Request, id: str) -> Response:
        """Link (or, with ``linked: false``, unlink) an item, paper, statement, action point
        or communiqué the secretariat reads."""
        crisis = self.get_object()
        data = CrisisLinkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        target: Model | None = (
            LINK_SOURCES[values["kind"]](request.user).filter(public_id=values["id"]).first()
        )
        if target is None:
            raise serializers.ValidationError({"id": [gettext("No such record.")]})
        crisis_services.crisis_link(
            crisis=crisis, user=request.user, target=target, linked=values["linked"]
        )
        return self._read(crisis)

    @extend_schema(responses=TimelineEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def timeline(self, request: Request, id: str) -> Response:
        """The dossier's linked records the caller may read, and its status changes, by date."""
        entries = crisis_timeline(user=request.user, crisis=self.get_object())
        context = self.get_serializer_context()
        return Response(TimelineEntrySerializer(entries, many=True, context=context).data)


# Threats


def _crisis_or_none(user: Actor, public_id: UUID | None) -> Crisis | None:
    if public_id is None:
        return None
    crisis = crisis_list(user=user).filter(public_id=public_id).first()
    if crisis is None:
        raise serializers.ValidationError({"crisis": [gettext("No such crisis.")]})
    return crisis


class ThreatViewSet(ReadOnlyApiViewSet):
    """The shared threat list: the secretariat reads and keeps it all; others read the threats
    of the assessments and crises they read."""

    serializer_class = ThreatSerializer
    filterset_class = ThreatFilter
    ordering_fields = ["created_at", "updated_at"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[Threat]:
        return threat_list(user=self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if self.action in ("list", "retrieve", "create", "partial_update", "retire"):
            # One query: a threat's crisis is named only to those who read the crisis.
            context["readable_crises"] = set(
                crisis_list(user=self.request.user).values_list("pk", flat=True)
            )
        return context

    def _read(self, threat: Threat, *, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=threat.pk)
        return Response(
            ThreatSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(request=ThreatWriteSerializer, responses={201: ThreatSerializer})
    def create(self, request: Request) -> Response:
        data = ThreatWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        threat = threat_services.threat_create(
            user=request.user,
            title=values["title"],
            description=values["description"],
            region=values["region"],
            crisis=_crisis_or_none(request.user, values.get("crisis")),
            language=values["language"],
        )
        return self._read(threat, code=status.HTTP_201_CREATED)

    @extend_schema(request=ThreatUpdateSerializer, responses=ThreatSerializer)
    def partial_update(self, request: Request, id: str) -> Response:
        threat = self.get_object()
        data = ThreatUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        crisis = (
            _crisis_or_none(request.user, values["crisis"]) if "crisis" in values else threat.crisis
        )
        threat = threat_services.threat_update(
            threat=threat,
            user=request.user,
            title=values.get("title", threat.title),
            description=values.get("description", threat.description),
            region=values.get("region", threat.region),
            crisis=crisis,
        )
        return self._read(threat)

    @extend_schema(request=None, responses=ThreatSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, id: str) -> Response:
        """Take the threat off the list for new assessments; past pictures keep it."""
        threat = threat_services.threat_retire(threat=self.get_object(), user=request.user)
        return self._read(threat)

    @extend_schema(parameters=[TrendQuerySerializer], responses=ThreatTrendSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def trend(self, request: Request) -> Response:
        """Each threat's median and spread per quarter (the last released round of each
        assessment the caller reads), oldest first; the list's filters choose the threats."""
        trends = trends_for(request, self.filter_queryset(self.get_queryset()))
        return Response(ThreatTrendSerializer(trends, many=True, context={"request": request}).data)


# Assessments


class AssessmentViewSet(ReadOnlyApiViewSet):
    """Threat assessments of the sessions the caller reads; the secretariat opens them,
    releases rounds and asks again where views have not converged."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    ordering_fields = ["created_at", "updated_at"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[Assessment]:
        if self.action == "picture":
            return assessment_list(user=self.request.user)
        rounds = AssessmentRound.objects.order_by("number").prefetch_related(
            Prefetch("threats", queryset=Threat.objects.order_by("title"))
        )
        return assessment_list(user=self.request.user).prefetch_related(
            Prefetch("threats", queryset=Threat.objects.order_by("title")),
            Prefetch("rounds", queryset=rounds),
        )

    def _read(self, assessment: Assessment, *, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=assessment.pk)
        return Response(
            AssessmentSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(request=AssessmentOpenSerializer, responses={201: AssessmentSerializer})
    def create(self, request: Request) -> Response:
        """Open the assessment before a regular session, with its first round's deadline."""
        data = AssessmentOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        wanted = set(values["threats"])
        threats = list(threat_list(user=request.user).filter(public_id__in=wanted))
        if len(threats) != len(wanted):
            raise serializers.ValidationError({"threats": [gettext("No such threat.")]})
        assessment = assessment_services.assessment_open(
            user=request.user,
            session=visible_session(request.user, values["session"]),
            threats=threats,
            deadline=values["deadline"],
            attribution=values["attribution"],
            convergence_threshold=values["convergence_threshold"],
        )
        return self._read(assessment, code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request: Request, id: str) -> Response:
        """Release the open round: from now the participants read its picture and scores."""
        assessment = self.get_object()
        assessment_services.round_release(user=request.user, assessment=assessment)
        return self._read(assessment)

    @extend_schema(request=RoundOpenSerializer, responses={201: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def rounds(self, request: Request, id: str) -> Response:
        """Open the next round on the threats whose views have not converged."""
        assessment = self.get_object()
        data = RoundOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment_services.round_open_next(
            user=request.user, assessment=assessment, deadline=data.validated_data["deadline"]
        )
        return self._read(assessment, code=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[PictureQuerySerializer],
        responses=PictureSerializer,
        description="Per threat: median, quartiles and spread of likelihood and impact, the "
        "verdict against the round before, whether views converged, and each party's position "
        "(“A participant” where anonymised), with the charts' URLs. 404 until a round is "
        "released.",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def picture(self, request: Request, id: str) -> Response:
        """The collective picture of a released round."""
        picture = picture_for(request, id)
        return Response(PictureSerializer(picture, context={"request": request}).data)


# Scores


def _party(code: str | None) -> Party | None:
    if not code:
        return None
    party = Party.objects.filter(code=code.upper()).first()
    if party is None:
        raise serializers.ValidationError({"party": [gettext("No such party.")]})
    return party


class ScoreViewSet(ReadOnlyApiViewSet):
    """Scores the caller may read: their delegation's own always, others' once the round is
    released (attributed or anonymised). Seat-holder delegations POST their scores for the
    open round, all in one request: all are saved or none."""

    serializer_class = ScoreSerializer
    filterset_class = ScoreFilter
    # No ordering by party or time: either would single out an anonymised party's scores.
    ordering_fields: list[str] = []
    ordering = ["public_id"]
    delegate_write_actions = ("create",)

    def get_queryset(self) -> QuerySet[Score]:
        return score_list(user=self.request.user)

    @extend_schema(request=ScoreSubmitSerializer, responses={201: ScoreSerializer(many=True)})
    def create(self, request: Request) -> Response:
        """Score threats of the assessment's open round for the caller's delegation (changing
        earlier scores of the round); refused whole if any score is refused."""
        data = ScoreSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        assessment = assessment_list(user=request.user).filter(public_id=values["assessment"])
        chosen = assessment.first()
        if chosen is None:
            raise serializers.ValidationError({"assessment": [gettext("No such assessment.")]})
        wanted = {answer["threat"] for answer in values["scores"]}
        readable = threat_list(user=request.user).filter(public_id__in=wanted)
        threats = {threat.public_id: threat for threat in readable}
        if len(threats) != len(wanted):
            raise serializers.ValidationError({"scores": [gettext("No such threat.")]})
        saved = assessment_services.scores_submit(
            user=request.user,
            assessment=chosen,
            party=_party(values.get("party")),
            answers=[
                assessment_services.ScoreInput(
                    threat=threats[answer["threat"]],
                    likelihood=answer["likelihood"],
                    impact=answer["impact"],
                    trend=answer["trend"],
                    confidence=answer["confidence"],
                    rationale=answer["rationale"],
                )
                for answer in values["scores"]
            ],
        )
        fresh = self.get_queryset().filter(pk__in=[score.pk for score in saved])
        context = self.get_serializer_context()
        return Response(
            ScoreSerializer(fresh, many=True, context=context).data, status=status.HTTP_201_CREATED
        )
