"""``GET /api/v1/search/?q=...``: ranked full-text search over what the caller may read."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from analytics.api.stats import QuarterField
from analytics.models import SearchEntry
from analytics.selectors.search import Hit, search_page
from audit.models import AuditEntry
from audit.services import audit_read
from consult.pagination import CursorPagination

MAX_PAGE = 50
DEFAULT_PAGE_SIZE = 20
DETAIL_ROUTES: dict[str, str] = {
    SearchEntry.Kind.STATEMENT: "statement-detail",
    SearchEntry.Kind.DOCUMENT: "document-detail",
    SearchEntry.Kind.ACTION_POINT: "action-point-detail",
    SearchEntry.Kind.COMMUNIQUE: "communique-detail",
    SearchEntry.Kind.AGENDA_ITEM: "agenda-item-detail",
}


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=200,
        help_text='Words to find (web-search syntax: "a phrase", or, -excluded).',
    )
    kind = serializers.MultipleChoiceField(
        choices=SearchEntry.Kind.choices,
        required=False,
        help_text="Only these kinds of text (repeat the parameter for several).",
    )
    quarter = QuarterField(required=False, help_text="e.g. 2027Q1")
    session = serializers.UUIDField(required=False, help_text="A session's id.")
    page = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, default=1)
    page_size = serializers.IntegerField(
        min_value=1, max_value=CursorPagination.max_page_size, default=DEFAULT_PAGE_SIZE
    )

    def validate_q(self, value: str) -> str:
        if not any(character.isalnum() for character in value):
            raise serializers.ValidationError("Write at least one word.")
        return value


class SessionRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    number = serializers.CharField()
    quarter = serializers.CharField()


class HitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SearchEntry.Kind.choices)
    id = serializers.UUIDField(source="public_id")
    url = serializers.SerializerMethodField(help_text="The text's resource in this API.")
    title = serializers.CharField()
    snippet = serializers.CharField(
        help_text="HTML: the matching passage, escaped, with the words found in <mark>."
    )
    rank = serializers.FloatField()
    session = SessionRefSerializer()
    details = serializers.DictField(
        help_text="Per kind: a statement's party and speaker (“a participant” on Chatham "
        "House items) and item; a paper's symbol, language and owner; an action point's "
        "status and owner; a communiqué's kind and status; an item's order."
    )

    def get_url(self, hit: Hit) -> str:
        path = reverse(DETAIL_ROUTES[hit.kind], args=[hit.public_id])
        return self.context["request"].build_absolute_uri(path)


class SearchPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = HitSerializer(many=True)


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
