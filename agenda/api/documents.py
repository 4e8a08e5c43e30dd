"""``/api/v1/documents/``: papers' metadata and download links; filing and revising papers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_orjson_renderer.parsers import ORJSONParser
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from agenda.api.items import (
    AgendaItemRefSerializer,
    SessionSummarySerializer,
    party_by_code,
    visible_item,
    visible_session,
)
from agenda.filters import DocumentFilter
from agenda.models import Document, DocumentVersion
from agenda.selectors.documents import SECRETARIAT_OWNER, document_get, document_list
from agenda.services import documents as services
from consult.access import Distribution
from consult.api_base import DetailLinkField, PublicModelSerializer


def _download_url(request: Request | None, document: Document, number: int | None = None) -> str:
    if number is None:
        path = reverse("agenda:document_download", kwargs={"public_id": document.public_id})
    else:
        path = reverse(
            "agenda:document_version_download",
            kwargs={"public_id": document.public_id, "number": number},
        )
    return request.build_absolute_uri(path) if request is not None else path


class DocumentVersionSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = ["number", "format", "size_bytes", "sha256", "created_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, version: DocumentVersion) -> str:
        return _download_url(self.context.get("request"), version.document, version.number)


class DocumentSerializer(PublicModelSerializer):
    url = DetailLinkField("document-detail")
    owner = serializers.SerializerMethodField()
    session = SessionSummarySerializer(read_only=True)
    item = AgendaItemRefSerializer(read_only=True, allow_null=True)
    version = serializers.IntegerField(source="current_version", read_only=True)
    format = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "url",
            "symbol",
            "title",
            "category",
            "owner",
            "distribution",
            "public_requested",
            "language",
            "session",
            "item",
            "version",
            "format",
            "download_url",
            "versions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_owner(self, document: Document) -> str:
        """The owning party's code, or ``secretariat``."""
        return document.owner.code if document.owner else SECRETARIAT_OWNER

    def _versions(self, document: Document) -> list[DocumentVersion]:
        # Prefetched by the selector, newest first.
        return list(document.versions.all())

    def get_format(self, document: Document) -> str | None:
        current = next(
            (v for v in self._versions(document) if v.number == document.current_version), None
        )
        return current.format if current else None

    def get_download_url(self, document: Document) -> str:
        return _download_url(self.context.get("request"), document)

    @extend_schema(responses=DocumentVersionSerializer(many=True))
    def get_versions(self, document: Document) -> Any:
        return DocumentVersionSerializer(
            self._versions(document), many=True, context=self.context
        ).data


class DocumentCreateSerializer(serializers.Serializer):
    session = serializers.UUIDField()
    item = serializers.UUIDField(required=False, allow_null=True)
    title = serializers.CharField(max_length=200)
    distribution = serializers.ChoiceField(choices=Distribution.choices)
    language = serializers.ChoiceField(choices=Document.Language.choices, default="en")
    category = serializers.ChoiceField(choices=Document.Category.choices, default="background")
    owner = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Party code of the filing delegation; empty for the secretariat.",
    )
    symbol = serializers.CharField(
        required=False, allow_blank=True, help_text="Issued automatically when empty."
    )
    body_html = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, help_text="Rich text (HTML)."
    )
    file = serializers.FileField(required=False, help_text="PDF, DOCX or ODT (multipart).")


class DocumentVersionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    body_html = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    file = serializers.FileField(required=False)


class DocumentCreateJsonSerializer(DocumentCreateSerializer):
    """A paper in a JSON body: rich text only, a file needs multipart."""

    # None removes the inherited field (DRF); mypy only sees the class body.
    file = None  # type: ignore[assignment]


class DocumentVersionCreateJsonSerializer(DocumentVersionCreateSerializer):
    """A version in a JSON body: rich text only, a file needs multipart."""

    file = None  # type: ignore[assignment]


def by_body_type(
    request: Request, multipart: type[serializers.Serializer], json: type[serializers.Serializer]
) -> type[serializers.Serializer]:
    """The serializer for the request's body: only multipart carries a file."""
    return multipart if request.content_type.startswith("multipart/") else json


def request_bodies(
    multipart: type[serializers.Serializer], json: type[serializers.Serializer]
) -> dict[str, type[serializers.Serializer]]:
    """The schema's request body per content type (a form sends no file either)."""
    return {
        "application/json": json,
        "multipart/form-data": multipart,
        "application/x-www-form-urlencoded": json,
    }


class DocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Papers of sessions and items. Lists show only what the confidentiality rule lets the
    caller read; files are fetched from ``download_url``, a permission-checked page."""

    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    ordering_fields = ["created_at", "updated_at"]
    ordering = ["-created_at"]
    parser_classes = [ORJSONParser, MultiPartParser, FormParser]
    delegate_write_actions = ("create", "add_version")

    def get_queryset(self) -> QuerySet[Document]:
        return document_list(self.request.user)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "create":
            return DocumentCreateSerializer
        if self.action == "add_version":
            return DocumentVersionCreateSerializer
        return DocumentSerializer

    def _read(self, document: Document, *, code: int) -> Response:
        fresh = document_get(self.request.user, public_id=document.public_id)
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
