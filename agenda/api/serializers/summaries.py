"""One summary per agenda entity, nested wherever another resource names it
(``{"id", "url", <a label or two>}``, as ``consult.api_base`` says). They read
attributes directly (``DirectReadMixin``): a page of statements names a session,
an item and papers on every row."""

from __future__ import annotations

from rest_framework import serializers

from agenda.models import AgendaItem, Document, Session
from consult.api_base import DetailLinkField, DirectReadMixin


class SessionSummarySerializer(DirectReadMixin, serializers.ModelSerializer[Session]):
    """A session wherever another resource names it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("session-detail")

    class Meta:
        model = Session
        fields = ["id", "url", "number", "quarter"]
        read_only_fields = fields


class ItemSummarySerializer(DirectReadMixin, serializers.ModelSerializer[AgendaItem]):
    """An agenda item wherever another resource names it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("agenda-item-detail")

    class Meta:
        model = AgendaItem
        fields = ["id", "url", "order", "title", "chatham_house"]
        read_only_fields = fields


class DocumentSummarySerializer(DirectReadMixin, serializers.ModelSerializer[Document]):
    """A paper wherever another resource names it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("document-detail")

    class Meta:
        model = Document
        fields = ["id", "url", "symbol", "title"]
        read_only_fields = fields
