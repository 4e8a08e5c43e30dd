"""``/api/v1/minutes/``, ``/api/v1/statements/``, ``/api/v1/action-points/``.

Statements carry only the display fields of the selector: on a Chatham House
item, anyone outside the secretariat reads "a participant" with no party code,
and the ``party`` filter and ``q`` search never match a hidden party.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agenda.models import AgendaItem, Session
from members.models import Party
from minutes import selectors, services
from minutes.models import ActionPoint, Attendance, Minutes, Statement


class RecordSessionRefSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    number = serializers.CharField()


class RecordItemRefSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    order = serializers.IntegerField()
    title = serializers.CharField()
    chatham_house = serializers.BooleanField()


class RecordPartyRefSerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True, help_text="Empty when not attributed.")
    name = serializers.CharField()


class RecordDocumentRefSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
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
    session = RecordSessionRefSerializer(read_only=True)
    attendance = AttendanceSerializer(source="attendances", many=True, read_only=True)

    class Meta:
        model = Minutes
        fields = [
            "public_id",
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


class MinutesFilter(django_filters.FilterSet):
    session = django_filters.UUIDFilter(field_name="session__public_id")
    status = django_filters.ChoiceFilter(choices=Minutes.Status.choices)
    quarter = django_filters.CharFilter(field_name="session__quarter")

    class Meta:
        model = Minutes
        fields = ["session", "status", "quarter"]


class MinutesViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Minutes of sessions (circulated and approved; drafts for the secretariat)."""

    serializer_class = MinutesSerializer
    filterset_class = MinutesFilter
    lookup_field = "public_id"
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[Minutes]:
        attendances = Attendance.objects.select_related("party").prefetch_related("delegates")
        return selectors.minutes_list(self.request.user).prefetch_related(
            Prefetch("attendances", queryset=attendances.order_by("party__name_en"))
        )


class StatementSerializer(serializers.ModelSerializer):
    minutes = serializers.UUIDField(source="minutes.public_id", read_only=True)
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
            "public_id",
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


class StatementFilter(django_filters.FilterSet):
    """Hands every filter to ``selectors.statement_list``, which applies the Chatham House rule."""

    session = django_filters.UUIDFilter(help_text="A session's public id.")
    item = django_filters.UUIDFilter(help_text="An agenda item's public id.")
    party = django_filters.CharFilter(
        help_text="A party code; never matches a statement on a Chatham House item "
        "(outside the secretariat)."
    )
    kind = django_filters.ChoiceFilter(choices=Statement.Kind.choices)
    date_from = django_filters.DateFilter(help_text="Sessions starting on or after (UTC).")
    date_to = django_filters.DateFilter(help_text="Sessions starting on or before (UTC).")
    q = django_filters.CharFilter(help_text="Words in the summary, text, party or speaker.")

    class Meta:
        model = Statement
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        values = self.form.cleaned_data
        params: dict[str, Any] = {
            "kind": values.get("kind") or None,
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
            params["party"] = Party.objects.filter(code=values["party"].upper()).first()
            if params["party"] is None:
                return none
        return selectors.statement_list(self.request.user, **params)


class StatementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Statements in the minutes; on Chatham House items the speaker is “a participant”."""

    serializer_class = StatementSerializer
    filterset_class = StatementFilter
    lookup_field = "public_id"
    # Ordering by party or speaker would reveal who spoke on Chatham House items.
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[Statement]:
        return selectors.statement_list(self.request.user)


class ActionPointSerializer(serializers.ModelSerializer):
    session = RecordSessionRefSerializer(source="minutes.session", read_only=True)
    item = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()

    class Meta:
        model = ActionPoint
        fields = [
            "public_id",
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
        return RecordItemRefSerializer(point.item).data

    @extend_schema_field(RecordPartyRefSerializer(allow_null=True))
    def get_owner(self, point: ActionPoint) -> dict[str, str] | None:
        if point.owner is None:
            return None
        return {"code": point.owner.code, "name": point.owner.name_en}


class ActionPointStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionPoint.Status.choices)


class ActionPointFilter(django_filters.FilterSet):
    session = django_filters.UUIDFilter(field_name="minutes__session__public_id")
    owner = django_filters.CharFilter(method="filter_owner", help_text="A party code.")
    status = django_filters.ChoiceFilter(choices=ActionPoint.Status.choices)
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = ActionPoint
        fields = ["session", "owner", "status", "due_before"]

    def filter_owner(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(owner__code=value.upper())


class ActionPointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Action points of sessions; owners mark theirs done."""

    serializer_class = ActionPointSerializer
    filterset_class = ActionPointFilter
    lookup_field = "public_id"
    ordering_fields = ["due_date", "created_at"]
    delegate_write_actions = ("status",)

    def get_queryset(self) -> QuerySet[ActionPoint]:
        return selectors.action_point_list(self.request.user)

    @extend_schema(request=ActionPointStatusSerializer, responses=ActionPointSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, public_id: str) -> Response:
        """Mark the action point done, or open again (the secretariat or the owning delegation)."""
        data = ActionPointStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        point = services.action_point_update_status(
            action_point=self.get_object(), user=request.user, status=data.validated_data["status"]
        )
        fresh = self.get_queryset().get(pk=point.pk)
        return Response(ActionPointSerializer(fresh, context=self.get_serializer_context()).data)
