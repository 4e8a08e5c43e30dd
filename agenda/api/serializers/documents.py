"""The document resource: metadata, versions and download links; inputs for filing and
revising papers (a file needs a multipart body)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from agenda.api.serializers.summaries import ItemSummarySerializer, SessionSummarySerializer
from agenda.models import Document, DocumentVersion
from agenda.models.documents import DOCUMENT_PARALLEL
from agenda.selectors.documents import SECRETARIAT_OWNER
from consult import parallel
from consult.access import Distribution
from consult.api_base import DetailLinkField, PublicModelSerializer
from consult.parallel_api import PARALLEL_TEXT_FIELDS, ParallelTextFields


def _download_url(request: Request | None, document: Document, number: int | None = None) -> str:
    if number is None:
        path = reverse("agenda:document_download", kwargs={"public_id": document.public_id})
    else:
        path = reverse(
            "agenda:document_version_download",
            kwargs={"public_id": document.public_id, "number": number},
        )
    return request.build_absolute_uri(path) if request is not None else path


class DocumentVersionSerializer(serializers.ModelSerializer[DocumentVersion]):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = ["number", "format", "size_bytes", "sha256", "created_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, version: DocumentVersion) -> str:
        return _download_url(self.context.get("request"), version.document, version.number)


class DocumentSerializer(ParallelTextFields, PublicModelSerializer):
    """A paper. Its title is a parallel text (consult/parallel.py): ``title`` is served in
    the language ``Accept-Language`` asks for when a current translation has it, else the
    authoritative title, with ``title_language`` (the language of the title served),
    ``authoritative``, ``translation_state``, ``authoritative_language``,
    ``available_languages`` and ``language_note`` as on every parallel text.

    ``language`` keeps the meaning it had before titles were translated: the paper's own
    language, that of its text and files (never translated) and of its authoritative
    title, as filed (``language`` of the filing input) and as the ``language`` filter
    reads it. On other parallel texts ``language`` is the language served; here that is
    ``title_language``, so that clients reading ``language`` as the paper's language are
    not misled the day a translation of its title appears.
    """

    parallel_spec = DOCUMENT_PARALLEL

    url = DetailLinkField("document-detail")
    title = serializers.SerializerMethodField()
    title_language = serializers.SerializerMethodField()
    # The paper's own language, not the mixin's language served (see the docstring).
    language = serializers.ChoiceField(  # type: ignore[assignment]
        choices=Document.Language.choices,
        read_only=True,
        help_text="The paper's own language: its text's and its authoritative title's, as "
        "filed; unlike on other parallel texts, not the language served (see "
        "title_language), and never changed by Accept-Language.",
    )
    owner = serializers.SerializerMethodField()
    session = SessionSummarySerializer(read_only=True)
    item = ItemSummarySerializer(read_only=True, allow_null=True)
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
            "title_language",
            *PARALLEL_TEXT_FIELDS,
            "category",
            "owner",
            "distribution",
            "public_requested",
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

    @extend_schema_field(
        serializers.CharField(
            help_text="In the language Accept-Language asks for when a current translation "
            "has it (title_language says which), else the authoritative title."
        )
    )
    def get_title(self, document: Document) -> str:
        return str(self._parallel(document)["title"])

    @extend_schema_field(
        serializers.ChoiceField(
            choices=parallel.LANGUAGE_CODES, help_text="The language of the title served."
        )
    )
    def get_title_language(self, document: Document) -> str:
        return self._parallel(document).language

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


class DocumentCreateSerializer(serializers.Serializer[Any]):
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


class DocumentVersionCreateSerializer(serializers.Serializer[Any]):
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
