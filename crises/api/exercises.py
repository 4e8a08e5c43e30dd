"""The exercises' read API: ``/api/v1/exercises/`` with each exercise's injects (only
those the caller reads: its recipients' from their release on, the whole MSEL for the
secretariat, with the expected responses for it alone), responses and AAR. Every read
goes through ``crises.selectors.exercises``."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from consult.access import reads_as_secretariat
from consult.api_base import PublicModelSerializer, ReadOnlyApiViewSet
from consult.parallel_api import PARALLEL_TEXT_FIELDS
from crises.api.serializers import ExerciseTextFields, InjectTextFields, ReportTextFields
from crises.filters import ExerciseFilter
from crises.models import AfterActionReport, Exercise, Inject
from crises.models import Response as ExerciseResponse
from crises.selectors.exercises import (
    exercise_list,
    inject_list,
    report_of,
    response_list,
)


class ExerciseSerializer(ExerciseTextFields, PublicModelSerializer):
    """An exercise, its title, scenario and objectives in the language ``Accept-Language``
    asks for when a current translation has it, else the authoritative text
    (consult/parallel_api.py)."""

    session = serializers.CharField(source="session.number", read_only=True)
    subject = serializers.CharField(
        source="subject_title",
        read_only=True,
        help_text="The crisis or agenda item it is held on, if the caller reads it.",
    )
    parties = serializers.SerializerMethodField()

    class Meta:
        model = Exercise
        fields = [
            "id",
            "title",
            "scenario",
            "objectives",
            "session",
            "subject",
            "parties",
            "status",
            "started_at",
            "ended_at",
            *PARALLEL_TEXT_FIELDS,
        ]
        read_only_fields = fields

    def get_parties(self, exercise: Exercise) -> list[str]:
        return [party.code for party in exercise.parties.all()]


class InjectSerializer(InjectTextFields, PublicModelSerializer):
    """An inject, its text in the language ``Accept-Language`` asks for when a current
    translation has it, else the authoritative text (consult/parallel_api.py)."""

    recipient = serializers.CharField(
        source="recipient.code", default=None, read_only=True, help_text="Empty: everyone."
    )
    secret = serializers.BooleanField(source="is_secret", read_only=True)

    class Meta:
        model = Inject
        fields = [
            "id",
            "order",
            "scenario_time",
            "text",
            "recipient",
            "secret",
            "released_at",
            "disclosed_at",
            *PARALLEL_TEXT_FIELDS,
        ]
        read_only_fields = fields


class FacilitatorInjectSerializer(InjectSerializer):
    """The MSEL as the secretariat reads it: with the expected response and schedule."""

    class Meta(InjectSerializer.Meta):
        fields = [*InjectSerializer.Meta.fields, "expected_response", "scheduled_after"]
        read_only_fields = fields


class ExerciseResponseSerializer(PublicModelSerializer):
    inject = serializers.UUIDField(source="inject.public_id", read_only=True)
    party = serializers.CharField(source="party.code", read_only=True)

    class Meta:
        model = ExerciseResponse
        fields = ["id", "inject", "party", "text", "created_at"]
        read_only_fields = fields


class ReportSerializer(ReportTextFields, PublicModelSerializer):
    """An after-action report, its text in the language ``Accept-Language`` asks for when a
    current translation has it, else the authoritative text (consult/parallel_api.py)."""

    improvements = serializers.SerializerMethodField()

    class Meta:
        model = AfterActionReport
        fields = ["id", "text", "published_at", "improvements", *PARALLEL_TEXT_FIELDS]
        read_only_fields = fields

    def get_improvements(self, report: AfterActionReport) -> list[dict[str, Any]]:
        return [
            {
                "description": line.description,
                "due_date": line.due_date.isoformat(),
                "owner": line.owner.code if line.owner else None,
                "action_point": line.action_point_id is not None,
            }
            for line in report.improvements.all()
        ]


class ExerciseViewSet(ReadOnlyApiViewSet):
    """Exercises: the secretariat's (drafts too); a participating delegation's once started."""

    serializer_class = ExerciseSerializer
    filterset_class = ExerciseFilter
    ordering_fields = ["created_at", "started_at"]
    ordering = ["-created_at"]

    def get_queryset(self) -> Any:
        return exercise_list(user=self.request.user).prefetch_related("parties")

    @extend_schema(responses=FacilitatorInjectSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def injects(self, request: Request, id: str) -> Response:
        exercise = self.get_object()
        injects = inject_list(user=request.user, exercise=exercise)
        serializer = (
            FacilitatorInjectSerializer if reads_as_secretariat(request.user) else InjectSerializer
        )
        return Response(serializer(injects, many=True).data)

    @extend_schema(responses=ExerciseResponseSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def responses(self, request: Request, id: str) -> Response:
        exercise = self.get_object()
        responses = response_list(user=request.user, exercise=exercise)
        return Response(ExerciseResponseSerializer(responses, many=True).data)

    @extend_schema(responses=ReportSerializer)
    @action(detail=True, methods=["get"])
    def report(self, request: Request, id: str) -> Response:
        exercise = self.get_object()
        report = report_of(user=request.user, exercise=exercise)
        if report is None:
            raise Http404("Not found.")
        return Response(ReportSerializer(report).data)
