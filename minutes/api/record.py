"""``/api/v1/minutes/``, ``/api/v1/statements/``, ``/api/v1/action-points/``.

Statements carry only the display fields of the selector: on a Chatham House
item, anyone outside the secretariat reads "a participant" with no party code,
and the ``party`` filter and ``q`` search never match a hidden party.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from consult.api_base import ApiModelSerializer, DetailLinkField, DirectReadMixin
from minutes import selectors, services
from minutes.filters import ActionPointFilter, MinutesFilter, StatementFilter
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
