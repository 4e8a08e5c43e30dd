"""Viewsets of the briefings API: the caller's own copies and their download."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request

from briefings.api.serializers import PackSerializer
from briefings.download import pack_file_response
from briefings.filters import PackFilter
from briefings.models import Pack, PackReceipt
from briefings.selectors.packs import pack_copy_get, pack_list
from briefings.services.receipts import pack_receipt_record
from consult.api_base import ReadOnlyApiViewSet
from consult.permissions import AccessPolicy


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
        return pack_list(user=self.request.user)

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
        pack = pack_copy_get(user=request.user, public_id=id)
        pack_receipt_record(
            session=pack.session, user=request.user, action=PackReceipt.Action.DOWNLOAD, pack=pack
        )
        return pack_file_response(pack)
