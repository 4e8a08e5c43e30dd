"""The agenda item resource: reads and inputs."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agenda.api.serializers.summaries import ItemSummarySerializer, SessionSummarySerializer
from agenda.models import AgendaItem
from consult.access import Distribution
from consult.api_base import DetailLinkField, PublicModelSerializer
from members.api.serializers import PartySummarySerializer


class AgendaItemSerializer(PublicModelSerializer):
    url = DetailLinkField("agenda-item-detail")
    session = SessionSummarySerializer(read_only=True)
    agenda_status = serializers.CharField(source="agenda.status", read_only=True)
    proposer = PartySummarySerializer(read_only=True, allow_null=True)
    carried_from = ItemSummarySerializer(
        read_only=True, allow_null=True, help_text="The item of an earlier session it continues."
    )
    invited_parties = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "url",
            "session",
            "agenda_status",
            "order",
            "title",
            "kind",
            "description",
            "proposer",
            "distribution",
            "chatham_house",
            "is_open",
            "carried_from",
            "invited_parties",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PartySummarySerializer(many=True))
    def get_invited_parties(self, item: AgendaItem) -> Any:
        """Parties invited ad hoc to this item only."""
        parties = [invitation.party for invitation in getattr(item, "live_invitations", [])]
        return PartySummarySerializer(parties, many=True, context=self.context).data


class AgendaItemWriteSerializer(serializers.Serializer[Any]):
    session = serializers.UUIDField(required=False, help_text="Required to add an item.")
    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=AgendaItem.Kind.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    proposer = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    distribution = serializers.ChoiceField(choices=Distribution.choices, required=False)
    chatham_house = serializers.BooleanField(required=False)
    is_open = serializers.BooleanField(required=False)


class AgendaItemCreateSerializer(AgendaItemWriteSerializer):
    """A new item: its session, title and kind are required (the schema says so too)."""

    session = serializers.UUIDField(help_text="The session the item is added to.")
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=AgendaItem.Kind.choices)
