"""``/api/v1/packs/``: the caller's own briefing-pack copies, their state and the PDF itself."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request

from agenda.api.serializers.summaries import SessionSummarySerializer
from briefings import selectors, services
from briefings.download import pack_file_response
from briefings.models import BuildStatus, Pack, PackReceipt
from consult.api_base import (
    DetailLinkField,
    PublicModelSerializer,
    ReadOnlyApiViewSet,
    detail_url,
)
from consult.filters import (
    DateRangeFilterSet,
    PartyCodeFilter,
    QuarterFilter,
    SessionDateFromFilter,
    SessionDateToFilter,
    SessionIdFilter,
)
from consult.permissions import AccessPolicy


class PackSerializer(PublicModelSerializer):
    url = DetailLinkField("pack-detail")
    session = SessionSummarySerializer(read_only=True)
    delegation = serializers.CharField(source="party.code", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Pack
        fields = [
            "id",
            "url",
            "session",
            "delegation",
            "status",
            "reason",
            "content_version",
            "created_at",
            "stamped_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, pack: Pack) -> str | None:
        """Where the API serves the copy while ready (checked again at download)."""
        if pack.status != BuildStatus.READY:
            return None
        return detail_url("pack-download", pack.public_id, self.context.get("request"))


class PackFilter(DateRangeFilterSet):
    session = SessionIdFilter()
    quarter = QuarterFilter(field_name="session__quarter")
    date_from = SessionDateFromFilter()
    date_to = SessionDateToFilter()
    party = PartyCodeFilter(help_text="The code of the delegation the copy was made for.")
    status = django_filters.ChoiceFilter(choices=BuildStatus.choices)

    class Meta:
        model = Pack
        fields = ["session", "quarter", "date_from", "date_to", "party", "status"]


class _PdfOrJsonErrors(BaseContentNegotiation):
    """The download answers a PDF, or an error in JSON, whatever the client accepts.

    DRF would refuse ``Accept: application/pdf`` with 406: no renderer writes PDF,
    and the copy is a file response that no renderer touches.
    """

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


class PackViewSet(ReadOnlyApiViewSet):
    """Your briefing packs: one copy per session and content version, stamped with your name."""

    serializer_class = PackSerializer
    filterset_class = PackFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[Pack]:
        return selectors.pack_list(self.request.user)

    @extend_schema(
        summary="Download your stamped copy",
        description=(
            "The PDF of this copy, stamped with your name, delegation and the pack id on every "
            "page, as an attachment; the download is recorded as a read receipt. Only your own "
            "copy, while it is ready, you still belong to the delegation (or are accredited) and "
            "may still read everything in it; otherwise 404, as for a missing copy."
        ),
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The stamped PDF, as an attachment."
            )
        },
    )
    @action(
        detail=True,
        methods=["get"],
        # Anonymous callers get the 404 of a missing copy, like everyone it is not for.
        permission_classes=[AccessPolicy],
        content_negotiation_class=_PdfOrJsonErrors,
    )
    def download(self, request: Request, id: str) -> FileResponse:
        pack = selectors.pack_copy_get(request.user, public_id=id)
        services.pack_receipt_record(
            session=pack.session, user=request.user, action=PackReceipt.Action.DOWNLOAD, pack=pack
        )
        return pack_file_response(pack)
