"""One summary per agenda entity, nested wherever another resource names it
(``{"id", "url", <a label or two>}``, as ``consult.api_base`` says). They read
attributes directly (``DirectReadMixin``): a page of statements names a session,
an item and papers on every row."""

from __future__ import annotations

from rest_framework import serializers

from agenda.models import AgendaItem, Document, Session
from agenda.models.agendas import AGENDA_ITEM_PARALLEL
from agenda.models.documents import DOCUMENT_PARALLEL
from consult.api_base import DetailLinkField, DirectReadMixin
from consult.parallel_api import ServedTitleFields


class SessionSummarySerializer(DirectReadMixin, serializers.ModelSerializer[Session]):
    """A session wherever another resource names it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("session-detail")

    class Meta:
        model = Session
        fields = ["id", "url", "number", "quarter"]
        read_only_fields = fields


class ItemSummarySerializer(
    ServedTitleFields, DirectReadMixin, serializers.ModelSerializer[AgendaItem]
):
    """An agenda item wherever another resource names it, its title in the reader's language
    when a current translation has it (``ServedTitleFields``)."""

    parallel_spec = AGENDA_ITEM_PARALLEL

    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("agenda-item-detail")

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "url",
            "order",
            "title",
            "title_language",
            "title_authoritative",
            "chatham_house",
        ]
        read_only_fields = fields


class DocumentSummarySerializer(
    ServedTitleFields, DirectReadMixin, serializers.ModelSerializer[Document]
):
    """A paper wherever another resource names it, its title in the reader's language when
    a current translation has it (``ServedTitleFields``)."""

    parallel_spec = DOCUMENT_PARALLEL

    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("document-detail")

    class Meta:
        model = Document
        fields = ["id", "url", "symbol", "title", "title_language", "title_authoritative"]
        read_only_fields = fields
