"""The objection resource: reads and inputs."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from agenda.api.serializers.summaries import ItemSummarySerializer, SessionSummarySerializer
from agenda.models import Objection
from consult.api_base import DetailLinkField, PublicModelSerializer
from members.api.serializers import PartySummarySerializer


class ObjectionSerializer(PublicModelSerializer):
    url = DetailLinkField("objection-detail")
    session = SessionSummarySerializer(source="agenda.session", read_only=True)
    item = ItemSummarySerializer(read_only=True, allow_null=True)
    party = PartySummarySerializer(read_only=True)
    pending = serializers.SerializerMethodField()

    class Meta:
        model = Objection
        fields = [
            "id",
            "url",
            "session",
            "item",
            "party",
            "text",
            "created_at",
            "response",
            "answered_at",
            "pending",
        ]
        read_only_fields = fields

    def get_pending(self, objection: Objection) -> bool:
        """Not answered yet."""
        return objection.answered_at is None


class ObjectionCreateSerializer(serializers.Serializer[Any]):
    session = serializers.UUIDField()
    item = serializers.UUIDField(required=False, allow_null=True)
    party = serializers.CharField(
        required=False, allow_blank=True, help_text="Needed only by members of two delegations."
    )
    text = serializers.CharField(max_length=5000)


class ObjectionAnswerSerializer(serializers.Serializer[Any]):
    response = serializers.CharField(max_length=5000)
