"""``GET /api/v1/exports/<resource>.<csv|jsonl>``: whole filtered lists, streamed.

Each export reuses the list's selector (access rule, Chatham House display
fields) and the list's FilterSet (same query parameters), so an export never
holds a row the list would not show. A dedicated path per resource and
format (rather than ``?format=`` on the list) keeps the lists' cursor pages
and content negotiation untouched and gives each file its own schema entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import StreamingHttpResponse
from django.urls import path
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request

from agenda.filters import SessionFilter
from agenda.selectors.sessions import session_list
from analytics.exports import Column, Export, Format, export_response
from audit.models import AuditEntry
from audit.services import audit_read
from minutes.api.communiques import PositionFilter
from minutes.api.record import ActionPointFilter, StatementFilter
from minutes.selectors.communiques import position_list
from minutes.selectors.record import action_point_list, statement_list

EXPORTS: dict[str, tuple[Export, type]] = {
    "sessions": (
        Export(
            resource="sessions",
            rows=lambda user: session_list(user=user),
            columns=[
                Column("id", "public_id"),
                Column("number", "number"),
                Column("kind", "kind"),
                Column("quarter", "quarter"),
                Column("title", "title"),
                Column("starts_at", "starts_at"),
                Column("ends_at", "ends_at"),
                Column("venue", "venue"),
                Column("venue_timezone", "venue_timezone"),
                Column("status", "status"),
                Column("distribution", "distribution"),
                Column("chair_seat", "chair__code"),
                Column("chair_party", "chair__party__code"),
                Column("created_at", "created_at"),
                Column("updated_at", "updated_at"),
            ],
            order_by=["starts_at", "pk"],
            description="Sessions, oldest first.",
        ),
        SessionFilter,
    ),
    "statements": (
        Export(
            resource="statements",
            rows=lambda user: statement_list(user),
            columns=[
                Column("id", "public_id"),
                Column("session", "minutes__session__public_id"),
                Column("session_number", "minutes__session__number"),
                Column("quarter", "minutes__session__quarter"),
                Column("session_starts_at", "minutes__session__starts_at"),
                Column("item", "item__public_id"),
                Column("item_order", "item__order"),
                Column("item_title", "item__title"),
                Column("chatham_house", "item__chatham_house"),
                Column("kind", "kind"),
                Column("order", "order"),
                # The selector's display fields: "a participant" on Chatham House items.
                Column("party_code", "display_party_code"),
                Column("party", "display_party"),
                Column("speaker", "display_speaker"),
                Column("summary", "summary"),
                Column("full_text", "full_text"),
                Column("distribution", "distribution"),
                Column("created_at", "created_at"),
                Column("updated_at", "updated_at"),
            ],
            order_by=["minutes__session__starts_at", "item__order", "order", "pk"],
            description="Statements in speaking order, oldest session first; on Chatham House "
            "items party and speaker read “a participant” outside the secretariat.",
        ),
        StatementFilter,
    ),
    "action-points": (
        Export(
            resource="action-points",
            rows=lambda user: action_point_list(user),
            columns=[
                Column("id", "public_id"),
                Column("session", "minutes__session__public_id"),
                Column("session_number", "minutes__session__number"),
                Column("quarter", "minutes__session__quarter"),
                Column("item", "item__public_id"),
                Column("owner_code", "owner__code"),
                Column("description", "description"),
                Column("due_date", "due_date"),
                Column("status", "status"),
                Column("done_at", "done_at"),
                Column("distribution", "distribution"),
                Column("created_at", "created_at"),
                Column("updated_at", "updated_at"),
            ],
            order_by=["minutes__session__starts_at", "due_date", "pk"],
            description="Action points, oldest session first.",
        ),
        ActionPointFilter,
    ),
    "positions": (
        Export(
            resource="positions",
            rows=lambda user: position_list(user),
            columns=[
                Column("id", "public_id"),
                Column("communique", "version__communique__public_id"),
                Column("communique_title", "version__communique__title"),
                Column("session", "version__communique__session__public_id"),
                Column("session_number", "version__communique__session__number"),
                Column("quarter", "version__communique__session__quarter"),
                Column("version", "version__number"),
                Column("party_code", "party__code"),
                Column("stance", "stance"),
                Column("reservation", "reservation"),
                Column("created_at", "created_at"),
                Column("updated_at", "updated_at"),
            ],
            order_by=["version__communique__session__starts_at", "version__number", "pk"],
            description="Seat-holders' positions on communiqué versions.",
        ),
        PositionFilter,
    ),
}


class IgnoreAcceptHeader(BaseContentNegotiation):
    """The file's type is fixed by its path; errors are JSON whatever the client accepts."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: Any = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)


class ExportView(GenericAPIView):
    export: Export
    fmt: str
    filter_backends = [DjangoFilterBackend]
    pagination_class = None
    renderer_classes = [JSONRenderer]
    content_negotiation_class = IgnoreAcceptHeader

    def get_queryset(self):
        return self.export.rows(self.request.user)

    def get(self, request: Request) -> StreamingHttpResponse:
        rows = self.filter_queryset(self.get_queryset())
        query = request.META.get("QUERY_STRING", "")
        audit_read(
            kind=AuditEntry.Kind.EXPORT,
            object_type="export",
            object_id=self.export.resource,
            summary=f"Exported {self.export.resource} as {self.fmt}"
            + (f" ({query})." if query else "."),
        )
        return export_response(self.export, rows, self.fmt)


def _view(name: str, export: Export, filterset: type, fmt: str) -> Any:
    summary = f"Export {name.replace('-', ' ')} as {'CSV' if fmt == Format.CSV else 'JSON Lines'}"
    media_type = Format.CONTENT_TYPES[fmt].split(";")[0]
    view: type[ExportView] = type(
        f"{export.resource.title().replace('-', '')}{fmt.upper()}ExportView",
        (ExportView,),
        {
            "export": export,
            "fmt": fmt,
            "filterset_class": filterset,
            "__doc__": export.description,
        },
    )
    columns = ", ".join(f"`{column.name}`" for column in export.columns)
    return extend_schema(
        summary=summary,
        description=f"{export.description} Same filters and access rule as the list; streamed, "
        f"one row per line. Columns: {columns}. Times are ISO 8601 UTC."
        + (" Text cells opening with = + - @ are prefixed with '." if fmt == Format.CSV else ""),
        filters=True,
        tags=["exports"],
        responses={
            (200, media_type): OpenApiResponse(OpenApiTypes.STR, description="The file."),
        },
    )(view).as_view()


urlpatterns = [
    path(f"exports/{name}.{fmt}", _view(name, export, filterset, fmt), name=f"export-{name}-{fmt}")
    for name, (export, filterset) in EXPORTS.items()
    for fmt in (Format.CSV, Format.JSONL)
]
