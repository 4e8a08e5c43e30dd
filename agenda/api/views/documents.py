"""``/api/v1/documents/``: papers' metadata and download links; filing and revising papers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_orjson_renderer.parsers import ORJSONParser
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from agenda.api.serializers.documents import (
    DocumentCreateJsonSerializer,
    DocumentCreateSerializer,
    DocumentSerializer,
    DocumentVersionCreateJsonSerializer,
    DocumentVersionCreateSerializer,
)
from agenda.api.views.references import party_by_code, visible_item, visible_session
from agenda.filters import DocumentFilter
from agenda.models import Document
from agenda.selectors.documents import document_get, document_list
from agenda.services import documents as services
from consult.api_base import ReadOnlyApiViewSet


def by_body_type(
    request: Request,
    multipart: type[serializers.Serializer[Any]],
    json: type[serializers.Serializer[Any]],
) -> type[serializers.Serializer[Any]]:
    """The serializer for the request's body: only multipart carries a file."""
    return multipart if request.content_type.startswith("multipart/") else json


def request_bodies(
    multipart: type[serializers.Serializer[Any]], json: type[serializers.Serializer[Any]]
) -> dict[str, type[serializers.Serializer[Any]]]:
    """The schema's request body per content type (a form sends no file either)."""
    return {
        "application/json": json,
        "multipart/form-data": multipart,
        "application/x-www-form-urlencoded": json,
    }


class DocumentViewSet(mixins.CreateModelMixin, ReadOnlyApiViewSet):
    """Papers of sessions and items. Lists show only what the confidentiality rule lets the
    caller read; files are fetched from ``download_url``, a permission-checked page."""

    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    ordering_fields = ["created_at", "updated_at"]
    ordering = ["-created_at"]
    parser_classes = [ORJSONParser, MultiPartParser, FormParser]
    delegate_write_actions = ("create", "add_version")

    def get_queryset(self) -> QuerySet[Document]:
        return document_list(user=self.request.user)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "create":
            return DocumentCreateSerializer
        if self.action == "add_version":
            return DocumentVersionCreateSerializer
        return DocumentSerializer

    def _read(self, document: Document, *, code: int) -> Response:
        fresh = document_get(user=self.request.user, public_id=document.public_id)
        return Response(
            DocumentSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(
        request=request_bodies(DocumentCreateSerializer, DocumentCreateJsonSerializer),
        responses=DocumentSerializer,
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = by_body_type(request, DocumentCreateSerializer, DocumentCreateJsonSerializer)
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        upload = values.get("file")
        document = services.document_create(
            user=request.user,
            session=visible_session(request.user, values["session"]),
            item=visible_item(request.user, values["item"]) if values.get("item") else None,
            title=values["title"],
            distribution=values["distribution"],
            language=values["language"],
            category=values["category"],
            owner=party_by_code(values.get("owner"), field="owner"),
            symbol=values.get("symbol", ""),
            body_html=values.get("body_html") or None,
            file=upload,
            filename=upload.name if upload else "",
        )
        return self._read(document, code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=DocumentSerializer)
    @action(detail=True, methods=["post"], url_path="release")
    def release(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The secretariat makes public a delegation's paper filed for public release."""
        document = services.document_release(document=self.get_object(), user=request.user)
        return self._read(document, code=status.HTTP_200_OK)

    @extend_schema(
        request=request_bodies(
            DocumentVersionCreateSerializer, DocumentVersionCreateJsonSerializer
        ),
        responses={201: DocumentSerializer},
    )
    @action(detail=True, methods=["post"], url_path="versions")
    def add_version(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Add a version (rich text or a file); the previous one stays in the history."""
        document = self.get_object()
        serializer = by_body_type(
            request, DocumentVersionCreateSerializer, DocumentVersionCreateJsonSerializer
        )
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        upload = values.get("file")
        services.document_version_add(
            document=document,
            user=request.user,
            title=values.get("title"),
            body_html=values.get("body_html") or None,
            file=upload,
            filename=upload.name if upload else "",
        )
        return self._read(document, code=status.HTTP_201_CREATED)
