"""Read endpoints of off-ramps and the register of norms, registered in ``consult/api.py``:
``/api/v1/off-ramps/``, ``/api/v1/stances/`` (a private stance only to its party and the
secretariat), ``/api/v1/norms/`` (with each party's current adherence) and
``/api/v1/incidents/`` (with the responses). Reads go through the selectors; the writes
are the pages' for now."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from consult.api_base import DetailLinkField, PublicModelSerializer, ReadOnlyApiViewSet
from consult.parallel_api import PARALLEL_TEXT_FIELDS, ServedTitleFields
from crises.api.serializers import CrisisSummarySerializer, NormTextFields, OffRampTextFields
from crises.filters import IncidentFilter, NormFilter, OffRampFilter, StanceFilter
from crises.models import (
    Adherence,
    Incident,
    IncidentResponse,
    Norm,
    OffRamp,
    OffRampTransition,
    Stance,
)
from crises.models.registers import NORM_PARALLEL, OFF_RAMP_PARALLEL
from crises.selectors.registers import (
    adherence_list,
    current_stances,
    incident_list,
    norm_list,
    off_ramp_list,
    stance_list,
)
from members.api.serializers import PartySummarySerializer

# Serializers


class OffRampTransitionSerializer(serializers.ModelSerializer[OffRampTransition]):
    class Meta:
        model = OffRampTransition
        fields = ["from_status", "to_status", "on", "reason"]
        read_only_fields = fields


class OffRampSummarySerializer(ServedTitleFields, PublicModelSerializer):
    """An off-ramp wherever another resource names it (a stance), its title in the reader's
    language when a current translation has it (``ServedTitleFields``)."""

    parallel_spec = OFF_RAMP_PARALLEL

    url = DetailLinkField("off-ramp-detail")

    class Meta:
        model = OffRamp
        fields = ["id", "url", "title", "title_language", "title_authoritative", "status"]
        read_only_fields = fields


class StanceBriefSerializer(PublicModelSerializer):
    party = PartySummarySerializer(read_only=True)

    class Meta:
        model = Stance
        fields = ["id", "party", "position", "note", "private", "created_at"]
        read_only_fields = fields


class OffRampSerializer(OffRampTextFields, PublicModelSerializer):
    url = DetailLinkField("off-ramp-detail")
    crisis = CrisisSummarySerializer(read_only=True)
    proposer = PartySummarySerializer(read_only=True, allow_null=True)
    transitions = OffRampTransitionSerializer(many=True, read_only=True)
    current_stances = serializers.SerializerMethodField()

    class Meta:
        model = OffRamp
        fields = [
            "id",
            "url",
            "crisis",
            "title",
            "text",
            "proposer",
            "preconditions",
            "status",
            "status_since",
            "transitions",
            "current_stances",
            "created_at",
            "updated_at",
            *PARALLEL_TEXT_FIELDS,
        ]
        read_only_fields = fields

    @extend_schema_field(StanceBriefSerializer(many=True))
    def get_current_stances(self, off_ramp: OffRamp) -> list[dict[str, Any]]:
        """Each party's latest stance the caller reads."""
        latest = current_stances(off_ramp.readable_stances)  # type: ignore[attr-defined]
        rows = sorted(latest.values(), key=lambda stance: stance.party.code)
        return list(StanceBriefSerializer(rows, many=True, context=self.context).data)


class StanceSerializer(PublicModelSerializer):
    url = DetailLinkField("stance-detail")
    off_ramp = OffRampSummarySerializer(read_only=True)
    party = PartySummarySerializer(read_only=True)

    class Meta:
        model = Stance
        fields = ["id", "url", "off_ramp", "party", "position", "note", "private", "created_at"]
        read_only_fields = fields


class AdherenceSerializer(PublicModelSerializer):
    party = PartySummarySerializer(read_only=True)

    class Meta:
        model = Adherence
        fields = ["id", "party", "level", "note", "created_at"]
        read_only_fields = fields


class NormSummarySerializer(ServedTitleFields, PublicModelSerializer):
    """A norm wherever another resource names it (an incident), its title in the reader's
    language when a current translation has it (``ServedTitleFields``)."""

    parallel_spec = NORM_PARALLEL

    url = DetailLinkField("norm-detail")

    class Meta:
        model = Norm
        fields = ["id", "url", "title", "title_language", "title_authoritative"]
        read_only_fields = fields


class NormSerializer(NormTextFields, PublicModelSerializer):
    url = DetailLinkField("norm-detail")
    adherence = serializers.SerializerMethodField()
    adherence_history = AdherenceSerializer(many=True, read_only=True, source="readable_adherence")

    class Meta:
        model = Norm
        fields = [
            "id",
            "url",
            "title",
            "text",
            "source",
            "distribution",
            "adherence",
            "adherence_history",
            "created_at",
            "updated_at",
            *PARALLEL_TEXT_FIELDS,
        ]
        read_only_fields = fields

    @extend_schema_field(AdherenceSerializer(many=True))
    def get_adherence(self, norm: Norm) -> list[dict[str, Any]]:
        """Each party's current (latest) adherence."""
        latest: dict[int, Adherence] = {}
        for row in norm.readable_adherence:  # type: ignore[attr-defined]
            latest[row.party_id] = row  # oldest first: the last one wins
        rows = sorted(latest.values(), key=lambda row: row.party.code)
        return list(AdherenceSerializer(rows, many=True, context=self.context).data)


class IncidentResponseSerializer(PublicModelSerializer):
    party = PartySummarySerializer(read_only=True)

    class Meta:
        model = IncidentResponse
        fields = ["id", "party", "text", "created_at"]
        read_only_fields = fields


class IncidentSerializer(PublicModelSerializer):
    url = DetailLinkField("incident-detail")
    norm = NormSummarySerializer(read_only=True)
    reporting_party = PartySummarySerializer(read_only=True)
    parties_involved = PartySummarySerializer(many=True, read_only=True)
    responses = IncidentResponseSerializer(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "url",
            "norm",
            "occurred_on",
            "place",
            "reporting_party",
            "parties_involved",
            "description",
            "distribution",
            "responses",
            "created_at",
        ]
        read_only_fields = fields


# Viewsets


class OffRampViewSet(ReadOnlyApiViewSet):
    """Options to step a crisis down, read as their crisis, with each party's current
    stance the caller reads."""

    serializer_class = OffRampSerializer
    filterset_class = OffRampFilter
    ordering_fields = ["created_at", "status_since"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[OffRamp]:
        user = self.request.user
        return off_ramp_list(user=user).prefetch_related(
            Prefetch(
                "transitions", queryset=OffRampTransition.objects.order_by("on", "created_at")
            ),
            Prefetch(
                "stances",
                queryset=stance_list(user=user).select_related(None).select_related("party"),
                to_attr="readable_stances",
            ),
        )


class StanceViewSet(ReadOnlyApiViewSet):
    """Every stance the caller reads, history included: a private one only to its own party
    and the secretariat."""

    serializer_class = StanceSerializer
    filterset_class = StanceFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[Stance]:
        return stance_list(user=self.request.user)


class NormViewSet(ReadOnlyApiViewSet):
    """The norms the caller reads, with each party's adherence and its history."""

    serializer_class = NormSerializer
    filterset_class = NormFilter
    ordering_fields = ["created_at", "title"]
    ordering = ["title"]

    def get_queryset(self) -> QuerySet[Norm]:
        user = self.request.user
        return norm_list(user=user).prefetch_related(
            Prefetch(
                "adherences",
                queryset=adherence_list(user=user).select_related(None).select_related("party"),
                to_attr="readable_adherence",
            )
        )


class IncidentViewSet(ReadOnlyApiViewSet):
    """Incidents reported under the norms the caller reads, with the others' responses."""

    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter
    ordering_fields = ["occurred_on", "created_at"]
    ordering = ["-occurred_on"]

    def get_queryset(self) -> QuerySet[Incident]:
        return incident_list(user=self.request.user)
