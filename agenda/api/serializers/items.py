"""The agenda item resource: reads and inputs."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agenda.api.serializers.summaries import ItemSummarySerializer, SessionSummarySerializer
from agenda.models import AgendaItem
from agenda.models.agendas import AGENDA_ITEM_PARALLEL
from consult.access import Distribution
from consult.api_base import DetailLinkField, PublicModelSerializer
from consult.parallel_api import PARALLEL_TEXT_FIELDS, ParallelTextFields
from members.api.serializers import PartySummarySerializer


class AgendaItemSerializer(ParallelTextFields, PublicModelSerializer):
    """An item, its title and description in the language ``Accept-Language`` asks for when
    a current translation exists, else in the authoritative one (``language`` says which)."""

    parallel_spec = AGENDA_ITEM_PARALLEL

    url = DetailLinkField("agenda-item-detail")
    session = SessionSummarySerializer(read_only=True)
    agenda_status = serializers.CharField(source="agenda.status", read_only=True)
    proposer = PartySummarySerializer(read_only=True, allow_null=True)
    carried_from = ItemSummarySerializer(
        read_only=True, allow_null=True, help_text="The item of an earlier session it continues."
    )
    invited_parties = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "url",
            "session",
            "agenda_status",
            "order",
            *PARALLEL_TEXT_FIELDS,
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

    @extend_schema_field(serializers.CharField(help_text="In the language served."))
    def get_title(self, item: AgendaItem) -> str:
        return str(self._parallel(item)["title"])

    @extend_schema_field(
        serializers.CharField(help_text="Plain text, in the language served; may be empty.")
    )
    def get_description(self, item: AgendaItem) -> str:
        return str(self._parallel(item)["description"])

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
