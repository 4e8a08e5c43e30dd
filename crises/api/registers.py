"""Read endpoints of off-ramps and the register of norms, registered in ``consult/api.py``:
``/api/v1/off-ramps/``, ``/api/v1/stances/`` (a private stance only to its party and the
secretariat), ``/api/v1/norms/`` (with each party's current adherence) and
``/api/v1/incidents/`` (with the responses). Reads go through the selectors; the
secretariat edits an option or a norm with PATCH, through the pages' services (an edit
of the authoritative title or text outdates its translations); the other writes are the
pages' for now."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from consult.api_base import DetailLinkField, PublicModelSerializer, ReadOnlyApiViewSet
from consult.parallel_api import PARALLEL_TEXT_FIELDS, ServedTitleFields
from crises.api.serializers import CrisisSummarySerializer, NormTextFields, OffRampTextFields
from crises.filters import IncidentFilter, NormFilter, OffRampFilter, StanceFilter
from crises.models import (
    CRISIS_DISTRIBUTIONS,
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
from crises.services import registers as services
from members.api.serializers import PartySummarySerializer
from members.models import Party
from members.selectors.parties import party_choice_list

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


class OffRampUpdateSerializer(serializers.Serializer[Any]):
    """An edit of the authoritative title or text outdates every translation."""

    title = serializers.CharField(max_length=200, required=False)
    text = serializers.CharField(required=False, allow_blank=True, help_text="Rich text.")
    proposer = serializers.CharField(
        max_length=16,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="The proposing party's code; null or empty: the secretariat.",
    )
    preconditions = serializers.CharField(required=False, allow_blank=True)


class NormUpdateSerializer(serializers.Serializer[Any]):
    """An edit of the authoritative title or text outdates every translation."""

    title = serializers.CharField(max_length=200, required=False)
    text = serializers.CharField(required=False, help_text="Rich text.")
    # The norm's source (a field named as DRF's own ``Field.source`` attribute, which the
    # serializer's metaclass takes out of the class).
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=200, required=False, allow_blank=True
    )
    distribution = serializers.ChoiceField(choices=CRISIS_DISTRIBUTIONS, required=False)


def _proposer(code: str | None) -> Party | None:
    if not code:
        return None
    party = party_choice_list().filter(code=code.upper()).first()
    if party is None:
        raise serializers.ValidationError({"proposer": [gettext("No such party.")]})
    return party


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

    @extend_schema(request=OffRampUpdateSerializer, responses=OffRampSerializer)
    def partial_update(self, request: Request, id: str) -> Response:
        """The secretariat edits the option's title, text, proposer or preconditions."""
        off_ramp = self.get_object()
        data = OffRampUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.off_ramp_update(
            off_ramp=off_ramp,
            user=request.user,
            title=values.get("title", off_ramp.title),
            text=values.get("text", off_ramp.text),
            proposer=(_proposer(values["proposer"]) if "proposer" in values else off_ramp.proposer),
            preconditions=values.get("preconditions", off_ramp.preconditions),
        )
        fresh = self.get_queryset().get(pk=off_ramp.pk)
        return Response(OffRampSerializer(fresh, context=self.get_serializer_context()).data)


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

    @extend_schema(request=NormUpdateSerializer, responses=NormSerializer)
    def partial_update(self, request: Request, id: str) -> Response:
        """The secretariat edits the norm's title, text, source or distribution."""
        norm = self.get_object()
        data = NormUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.norm_update(
            norm=norm,
            user=request.user,
            title=values.get("title", norm.title),
            text=values.get("text", norm.text),
            source=values.get("source", norm.source),
            distribution=values.get("distribution", norm.distribution),
        )
        fresh = self.get_queryset().get(pk=norm.pk)
        return Response(NormSerializer(fresh, context=self.get_serializer_context()).data)


class IncidentViewSet(ReadOnlyApiViewSet):
    """Incidents reported under the norms the caller reads, with the others' responses."""

    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter
    ordering_fields = ["occurred_on", "created_at"]
    ordering = ["-occurred_on"]

    def get_queryset(self) -> QuerySet[Incident]:
        return incident_list(user=self.request.user)
