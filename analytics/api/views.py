"""The analysts' endpoints, mounted under /api/v1/ by ``analytics.api.urls``.

- ``GET /api/v1/exports/<resource>.<csv|jsonl>``: whole filtered lists, streamed.
  Each export reuses the list's selector (access rule, Chatham House display
  fields) and the list's FilterSet (same query parameters, imported from the
  owning app's filters module), so an export never holds a row the list would
  not show. A dedicated path per resource and format (rather than ``?format=``
  on the list) keeps the lists' cursor pages and content negotiation untouched
  and gives each file its own schema entry.
- ``GET /api/v1/stats/``: counts per quarter for charts.
- ``GET /api/v1/search/?q=...``: ranked full-text search over what the caller may read.
- ``POST /api/v1/auth/token/``: a token for a username and password, for scripts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.authentication import BaseAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from agenda.filters import SessionFilter
from agenda.selectors.sessions import session_list
from analytics.api.serializers import (
    CREDENTIALS_REFUSED,
    MAX_PAGE,
    HitSerializer,
    LoginSerializer,
    SearchPageSerializer,
    SearchQuerySerializer,
    StatsQuerySerializer,
    StatsSerializer,
    TokenIssuedSerializer,
)
from analytics.crisis_exports import CRISIS_EXPORTS
from analytics.exports import Column, Export, Format, export_response, stream_csv, stream_jsonl
from analytics.selectors.search import search_page
from analytics.selectors.stats import quarterly_stats
from analytics.services.tokens import MAX_LIVE_LOGIN_TOKENS, api_token_issue_for_login
from analytics.throttling import LoginRateThrottle
from audit.models import AuditEntry
from audit.services import audit_read
from consult.api_base import VALIDATION_ERROR_RESPONSE
from crises.filters import AssessmentFilter
from crises.selectors.assessments import assessment_list
from crises.selectors.exports import PICTURE_COLUMNS, released_picture_rows
from minutes.filters import ActionPointFilter, PositionFilter, StatementFilter
from minutes.selectors.communiques import position_list
from minutes.selectors.record import action_point_list, statement_list

# Exports

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
    # Exercises, injects, off-ramps, stances, norms, adherence, incidents and alerts.
    **CRISIS_EXPORTS,
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


class ExportView(GenericAPIView[Any]):
    export: Export
    fmt: str
    filter_backends = [DjangoFilterBackend]
    pagination_class = None
    renderer_classes = [JSONRenderer]
    content_negotiation_class = IgnoreAcceptHeader

    def get_queryset(self) -> QuerySet[Any]:
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


def export_view(name: str, export: Export, filterset: type, fmt: str) -> Any:
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


class PictureExportView(GenericAPIView[Any]):
    """The released threat pictures: aggregates only, never a party's score or rationale."""

    fmt: str
    filter_backends = [DjangoFilterBackend]
    filterset_class = AssessmentFilter
    pagination_class = None
    renderer_classes = [JSONRenderer]
    content_negotiation_class = IgnoreAcceptHeader
    columns = [Column(name, name, description) for name, description in PICTURE_COLUMNS]

    def get_queryset(self) -> QuerySet[Any]:
        return assessment_list(user=self.request.user)

    def get(self, request: Request) -> StreamingHttpResponse:
        assessments = self.filter_queryset(self.get_queryset())
        # Validated by the FilterSet above: the crisis's threats only.
        crisis = request.query_params.get("crisis", "").strip() or None
        query = request.META.get("QUERY_STRING", "")
        audit_read(
            kind=AuditEntry.Kind.EXPORT,
            object_type="export",
            object_id="threat-pictures",
            summary=f"Exported threat pictures as {self.fmt}" + (f" ({query})." if query else "."),
        )
        rows = released_picture_rows(
            assessments=assessments, crisis=UUID(crisis) if crisis else None
        )
        stream = stream_csv if self.fmt == Format.CSV else stream_jsonl
        response = StreamingHttpResponse(
            stream(rows, self.columns), content_type=Format.CONTENT_TYPES[self.fmt]
        )
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        response["Content-Disposition"] = (
            f'attachment; filename="threat-pictures-{stamp}.{self.fmt}"'
        )
        response["Cache-Control"] = "no-store"
        return response


def picture_export_view(fmt: str) -> Any:
    view: type[PictureExportView] = type(
        f"ThreatPictures{fmt.upper()}ExportView",
        (PictureExportView,),
        {"fmt": fmt, "__doc__": PictureExportView.__doc__},
    )
    columns = ", ".join(f"`{name}`" for name, _description in PICTURE_COLUMNS)
    media_type = Format.CONTENT_TYPES[fmt].split(";")[0]
    return extend_schema(
        summary="Export released threat pictures as "
        + ("CSV" if fmt == Format.CSV else "JSON Lines"),
        description="One row per threat per released round of the assessments the caller "
        "reads, oldest session first: median, quartiles and spread of likelihood and impact, "
        "the verdict against the round before. Aggregates only: no party, no rationale, and "
        "nothing of a round not yet released. Filters: those of the assessments' list "
        f"(`crisis` also keeps only that crisis's threats). Columns: {columns}.",
        filters=True,
        tags=["exports"],
        responses={(200, media_type): OpenApiResponse(OpenApiTypes.STR, description="The file.")},
    )(view).as_view()


# Stats, search and the login token


class StatsView(APIView):
    """Counts per quarter over what the caller may read (the access rule applies)."""

    @extend_schema(parameters=[StatsQuerySerializer], responses=StatsSerializer, tags=["stats"])
    def get(self, request: Request) -> Response:
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = quarterly_stats(
            request.user, first=query.validated_data["since"], last=query.validated_data["until"]
        )
        return Response(StatsSerializer({"quarters": rows}).data)


class SearchView(APIView):
    """Statements, papers, action points, communiqués and agenda items the caller may read."""

    @extend_schema(
        parameters=[SearchQuerySerializer], responses=SearchPageSerializer, tags=["search"]
    )
    def get(self, request: Request) -> Response:
        # An empty parameter is no value, as on every list (consult.api_base).
        params = request.query_params.copy()
        for name in list(params):
            given = [value for value in params.getlist(name) if value.strip()]
            if given:
                params.setlist(name, given)
            else:
                del params[name]
        query = SearchQuerySerializer(data=params)
        query.is_valid(raise_exception=True)
        values: dict[str, Any] = query.validated_data
        audit_read(
            kind=AuditEntry.Kind.SEARCH,
            summary=f"Searched for “{values['q']}”"
            + (f" (kinds {', '.join(sorted(values['kind']))})." if values.get("kind") else "."),
        )
        page, size = values["page"], values["page_size"]
        hits, more = search_page(
            request.user,
            q=values["q"],
            offset=(page - 1) * size,
            limit=size,
            kinds=sorted(values.get("kind", ())),
            quarter=str(values["quarter"]) if values.get("quarter") else None,
            session=values.get("session"),
        )
        url = request.build_absolute_uri()
        following = replace_query_param(url, "page", page + 1) if more and page < MAX_PAGE else None
        preceding = None
        if page > 1:
            preceding = (
                remove_query_param(url, "page")
                if page == 2
                else replace_query_param(url, "page", page - 1)
            )
        context = {"request": request}
        return Response(
            {
                "next": following,
                "previous": preceding,
                "results": HitSerializer(hits, many=True, context=context).data,
            }
        )


class TokenObtainView(APIView):
    """Exchange a username and password for a new API token.

    Each call issues a fresh token (only its hash is kept); past the
    ``MAX_LIVE_LOGIN_TOKENS`` most recent ones, the oldest token issued this
    way is revoked. Tokens made on the token page are not affected.
    """

    # The credentials are in the body: a stale or read-only token in the header
    # must not stand in the way of signing in again.
    authentication_classes: list[type[BaseAuthentication]] = []
    permission_classes: list[type[BasePermission]] = []
    throttle_classes = [LoginRateThrottle]

    @extend_schema(
        summary="Obtain an API token",
        description=(
            "Send a username and password, and `code`, the current one-time code, when the "
            "account has a second factor (a missing or wrong code is refused with 400 and "
            "`fields.code`); the answer holds a new token, shown once, to be sent "
            "as `Authorization: Bearer <token>` (or `Token <token>`). Analysts' tokens are "
            f"read-only. Keeps the {MAX_LIVE_LOGIN_TOKENS} most recent tokens issued this way; "
            "tokens from /account/tokens/ are not affected. Throttled per address and username; "
            "past the limit of failed logins (wrong passwords or codes), the account and the "
            "address are locked for a while (429, `code: login_locked`)."
        ),
        tags=["auth"],
        auth=[],
        request=LoginSerializer,
        responses={
            200: TokenIssuedSerializer,
            400: OpenApiResponse(
                response=VALIDATION_ERROR_RESPONSE,
                description=(
                    "A username or password missing (`ValidationError`), or credentials "
                    f'that open no active account (`Error`: "{CREDENTIALS_REFUSED}").'
                ),
            ),
        },
    )
    def post(self, request: Request) -> Response:
        login = LoginSerializer(data=request.data, context={"request": request})
        login.is_valid(raise_exception=True)
        token, key = api_token_issue_for_login(
            user=login.validated_data["user"], read_only=login.validated_data["read_only"]
        )
        return Response(
            TokenIssuedSerializer(
                {
                    "token": key,
                    "public_id": token.public_id,
                    "name": token.name,
                    "read_only": token.read_only,
                }
            ).data
        )
