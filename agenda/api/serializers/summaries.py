"""One summary per agenda entity, nested wherever another resource names it
(``{"id", "url", <a label or two>}``, as ``consult.api_base`` says)."""

from __future__ import annotations

from rest_framework import serializers

from agenda.models import AgendaItem, Session
from consult.api_base import DetailLinkField


class SessionSummarySerializer(serializers.ModelSerializer[Session]):
    """A session wherever another resource names it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("session-detail")

    class Meta:
        model = Session
        fields = ["id", "url", "number", "quarter"]
        read_only_fields = fields


class ItemSummarySerializer(serializers.ModelSerializer[AgendaItem]):
    """An agenda item wherever another resource names it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("agenda-item-detail")

    class Meta:
        model = AgendaItem
        fields = ["id", "url", "order", "title"]
        read_only_fields = fields
