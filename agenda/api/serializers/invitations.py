"""The invitation resource: reads and inputs."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from agenda.api.serializers.summaries import ItemSummarySerializer, SessionSummarySerializer
from agenda.models import AgendaItem, Invitation, Session
from consult.api_base import AwareDateTimeField, DetailLinkField
from members.models import Party


class InvitationSerializer(serializers.ModelSerializer[Invitation]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("invitation-detail")
    session = SessionSummarySerializer(read_only=True)
    item = ItemSummarySerializer(
        read_only=True, allow_null=True, help_text="Set on an ad hoc invitation to one item."
    )
    party = serializers.CharField(source="party.code", read_only=True)
    reason = serializers.CharField(
        source="display_reason",
        read_only=True,
        help_text="Why the party is invited, in the language served: the secretariat's "
        "words as typed, or the planner's reason (reason_code) worded in that language.",
    )
    reason_code = serializers.ChoiceField(
        choices=Invitation.ReasonCode.choices,
        allow_blank=True,
        read_only=True,
        help_text="The planner's reason, when it gave one; empty for a reason typed by the "
        "secretariat (or none).",
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "url",
            "session",
            "item",
            "party",
            "kind",
            "reason",
            "reason_code",
            "status",
            "valid_until",
            "responded_at",
            "revoked_at",
            "created_at",
        ]
        read_only_fields = fields


class PartyCodeField(serializers.SlugRelatedField[Party]):
    """A party by its code, in any case (``ukr`` or ``UKR``)."""

    def to_internal_value(self, data: Any) -> Party:
        return super().to_internal_value(str(data).upper())


class InvitationCreateSerializer(serializers.Serializer[Any]):
    session = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Session.objects.all(), help_text="The session's id."
    )
    party = PartyCodeField(
        slug_field="code", queryset=Party.objects.all(), help_text="The party's code, e.g. UKR."
    )
    kind = serializers.ChoiceField(choices=Invitation.Kind.choices)
    item = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=AgendaItem.objects.all(),
        required=False,
        allow_null=True,
        help_text="For an ad hoc invitation to one item only.",
    )
    reason = serializers.CharField(required=False, allow_blank=True)
    valid_until = AwareDateTimeField(required=False, allow_null=True)
