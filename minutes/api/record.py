"""``/api/v1/minutes/``, ``/api/v1/statements/``, ``/api/v1/action-points/``.

Statements carry only the display fields of the selector: on a Chatham House
item, anyone outside the secretariat reads "a participant" with no party code,
and the ``party`` filter and ``q`` search never match a hidden party.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agenda.models import AgendaItem, Session
from consult.access import Distribution
from consult.api_base import ApiModelSerializer, DetailLinkField, DirectReadMixin
from consult.filters import (
    ContainsFilter,
    DateRangeFilterSet,
    PartyCodeFilter,
    QuarterFilter,
    SessionDateFromFilter,
    SessionDateToFilter,
    SessionIdFilter,
)
from members.models import Party
from minutes import selectors, services
from minutes.models import ActionPoint, Attendance, Minutes, Statement


class RecordSessionRefSerializer(DirectReadMixin, serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    url = DetailLinkField("session-detail")
    number = serializers.CharField()
    quarter = serializers.CharField()


class RecordItemRefSerializer(DirectReadMixin, serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    url = DetailLinkField("agenda-item-detail")
    order = serializers.IntegerField()
    title = serializers.CharField()
    chatham_house = serializers.BooleanField()


class RecordPartyRefSerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True, help_text="Empty when not attributed.")
    name = serializers.CharField()


class RecordMinutesRefSerializer(DirectReadMixin, serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    url = DetailLinkField("minutes-detail")
    status = serializers.CharField()


class RecordDocumentRefSerializer(DirectReadMixin, serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    url = DetailLinkField("document-detail")
    symbol = serializers.CharField()
    title = serializers.CharField()


class AttendanceSerializer(serializers.ModelSerializer):
    party = serializers.SerializerMethodField()
    delegates = serializers.SerializerMethodField()

    class Meta:
        model = Attendance
        fields = ["party", "delegates", "arrived_at", "left_at"]
        read_only_fields = fields

    @extend_schema_field(RecordPartyRefSerializer)
    def get_party(self, attendance: Attendance) -> dict[str, str]:
        return {"code": attendance.party.code, "name": attendance.party.name_en}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_delegates(self, attendance: Attendance) -> list[str]:
        return sorted(
            user.get_full_name() or user.get_username() for user in attendance.delegates.all()
        )


class MinutesSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("minutes-detail")
    session = RecordSessionRefSerializer(read_only=True)
    attendance = AttendanceSerializer(source="attendances", many=True, read_only=True)

    class Meta:
        model = Minutes
        fields = [
            "id",
            "url",
            "session",
            "status",
            "revision",
            "circulated_at",
            "approved_at",
            "attendance",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MinutesFilter(DateRangeFilterSet):
    session = SessionIdFilter()
    status = django_filters.ChoiceFilter(choices=Minutes.Status.choices)
    quarter = QuarterFilter(field_name="session__quarter")
    date_from = SessionDateFromFilter()
    date_to = SessionDateToFilter()
    distribution = django_filters.ChoiceFilter(choices=Distribution.choices)
    party = django_filters.CharFilter(
        method="filter_party", help_text="A party's code: minutes recording it as attending."
    )
    q = ContainsFilter(
        fields=["session__number", "session__title"],
        help_text="Text in the session's number or title.",
    )

    class Meta:
        model = Minutes
        fields = [
            "session",
            "status",
            "quarter",
            "date_from",
            "date_to",
            "distribution",
            "party",
            "q",
        ]

    def filter_party(self, queryset: QuerySet[Minutes], name: str, value: str) -> QuerySet:
        attended = Attendance.objects.filter(
            minutes=OuterRef("pk"), party__code=value.strip().upper()
        )
        return queryset.filter(Exists(attended))


class MinutesViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Minutes of sessions (circulated and approved; drafts for the secretariat)."""

    serializer_class = MinutesSerializer
    filterset_class = MinutesFilter
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    ordering_fields = ["created_at", "updated_at"]

    def get_queryset(self) -> QuerySet[Minutes]:
        attendances = Attendance.objects.select_related("party").prefetch_related("delegates")
        return selectors.minutes_list(self.request.user).prefetch_related(
            Prefetch("attendances", queryset=attendances.order_by("party__name_en"))
        )


class StatementSerializer(DirectReadMixin, ApiModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("statement-detail")
    minutes = RecordMinutesRefSerializer(read_only=True)
    session = RecordSessionRefSerializer(source="minutes.session", read_only=True)
    item = RecordItemRefSerializer(read_only=True)
    party = serializers.SerializerMethodField()
    speaker = serializers.CharField(
        source="display_speaker",
        read_only=True,
        help_text="“a participant” on Chatham House items.",
    )
    documents = RecordDocumentRefSerializer(source="visible_documents", many=True, read_only=True)

    class Meta:
        model = Statement
        fields = [
            "id",
            "url",
            "minutes",
            "session",
            "item",
            "kind",
            "order",
            "party",
            "speaker",
            "summary",
            "full_text",
            "documents",
            "distribution",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(RecordPartyRefSerializer)
    def get_party(self, statement: Any) -> dict[str, str | None]:
        # Only the selector's display fields: never the statement's own party.
        return {"code": statement.display_party_code or None, "name": statement.display_party}


# The columns ``StatementSerializer`` reads, and all a statements page loads:
# the selector's joins would otherwise bring every column of the item, the
# minutes and the session into four model instances per row.
STATEMENT_COLUMNS = (
    "public_id",
    "kind",
    "order",
    "summary",
    "full_text",
    "distribution",
    "created_at",
    "updated_at",
    "minutes__public_id",
    "minutes__status",
    "minutes__session__public_id",
    "minutes__session__number",
    "minutes__session__quarter",
    "item__public_id",
    "item__order",
    "item__title",
    "item__chatham_house",
)


class StatementFilter(DateRangeFilterSet):
    """Hands every filter to ``selectors.statement_filter`` (it applies the Chatham House rule)."""

    session = django_filters.UUIDFilter(help_text="A session's id.")
    item = django_filters.UUIDFilter(help_text="An agenda item's id.")
    quarter = QuarterFilter()
    party = django_filters.CharFilter(
        help_text="A party code; never matches a statement on a Chatham House item "
        "(outside the secretariat)."
    )
    kind = django_filters.ChoiceFilter(choices=Statement.Kind.choices)
    distribution = django_filters.ChoiceFilter(choices=Distribution.choices)
    date_from = django_filters.DateFilter(help_text="Sessions starting on or after this day (UTC).")
    date_to = django_filters.DateFilter(help_text="Sessions starting on or before this day (UTC).")
    q = django_filters.CharFilter(help_text="Text in the summary, text, party or speaker.")

    class Meta:
        model = Statement
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        values = self.form.cleaned_data
        params: dict[str, Any] = {
            "kind": values.get("kind") or None,
            "quarter": values.get("quarter") or None,
            "distribution": values.get("distribution") or None,
            "date_from": values.get("date_from"),
            "date_to": values.get("date_to"),
            "q": values.get("q") or None,
        }
        none = queryset.none()
        if values.get("session"):
            params["session"] = Session.objects.filter(public_id=values["session"]).first()
            if params["session"] is None:
                return none
        if values.get("item"):
            params["item"] = AgendaItem.objects.filter(public_id=values["item"]).first()
            if params["item"] is None:
                return none
        if values.get("party"):
            params["party"] = Party.objects.filter(code=values["party"].strip().upper()).first()
            if params["party"] is None:
                return none
        return selectors.statement_filter(queryset, self.request.user, **params)


class StatementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Statements in the minutes; on Chatham House items the speaker is “a participant”."""

    serializer_class = StatementSerializer
    filterset_class = StatementFilter
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    # Ordering by party or speaker would reveal who spoke on Chatham House items.
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[Statement]:
        return selectors.statement_list(self.request.user).only(*STATEMENT_COLUMNS)


class ActionPointSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("action-point-detail")
    session = RecordSessionRefSerializer(source="minutes.session", read_only=True)
    item = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()

    class Meta:
        model = ActionPoint
        fields = [
            "id",
            "url",
            "session",
            "item",
            "owner",
            "description",
            "due_date",
            "status",
            "done_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(RecordItemRefSerializer(allow_null=True))
    def get_item(self, point: ActionPoint) -> dict[str, Any] | None:
        if point.item is None:
            return None
        return RecordItemRefSerializer(point.item, context=self.context).data

    @extend_schema_field(RecordPartyRefSerializer(allow_null=True))
    def get_owner(self, point: ActionPoint) -> dict[str, str] | None:
        if point.owner is None:
            return None
        return {"code": point.owner.code, "name": point.owner.name_en}


class ActionPointStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionPoint.Status.choices)


class ActionPointFilter(DateRangeFilterSet):
    session = SessionIdFilter("minutes__session__public_id")
    quarter = QuarterFilter(field_name="minutes__session__quarter")
    date_from = SessionDateFromFilter("minutes__session__starts_at")
    date_to = SessionDateToFilter("minutes__session__starts_at")
    owner = PartyCodeFilter("owner", help_text="The owning party's code.")
    party = PartyCodeFilter("owner", help_text="Same as owner.")
    status = django_filters.ChoiceFilter(choices=ActionPoint.Status.choices)
    distribution = django_filters.ChoiceFilter(choices=Distribution.choices)
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", help_text="Due on or before this day."
    )
    q = ContainsFilter(fields=["description"], help_text="Text in the description.")

    class Meta:
        model = ActionPoint
        fields = [
            "session",
            "quarter",
            "date_from",
            "date_to",
            "owner",
            "party",
            "status",
            "distribution",
            "due_before",
            "q",
        ]


class ActionPointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Action points of sessions; owners mark theirs done."""

    serializer_class = ActionPointSerializer
    filterset_class = ActionPointFilter
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    ordering_fields = ["due_date", "created_at"]
    delegate_write_actions = ("status",)

    def get_queryset(self) -> QuerySet[ActionPoint]:
        return selectors.action_point_list(self.request.user)

    @extend_schema(request=ActionPointStatusSerializer, responses=ActionPointSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, id: str) -> Response:
        """Mark the action point done, or open again (the secretariat or the owning delegation)."""
        data = ActionPointStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        point = services.action_point_update_status(
            action_point=self.get_object(), user=request.user, status=data.validated_data["status"]
        )
        fresh = self.get_queryset().get(pk=point.pk)
        return Response(ActionPointSerializer(fresh, context=self.get_serializer_context()).data)
