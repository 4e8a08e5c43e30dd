"""``/api/v1/agenda-items/`` and ``/api/v1/objections/``: thin over the selectors and services."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agenda.models import Agenda, AgendaItem, Objection, Session
from agenda.selectors.agendas import agenda_item_list, objection_list
from agenda.services import items as items_services
from agenda.services import objections as objections_services
from consult import access
from consult.access import Distribution
from consult.actors import Actor
from consult.api_base import DetailLinkField, PublicModelSerializer
from consult.filters import (
    ApiFilterSet,
    ContainsFilter,
    DateRangeFilterSet,
    PartyCodeFilter,
    QuarterFilter,
    SessionDateFromFilter,
    SessionDateToFilter,
    SessionIdFilter,
)
from members.models import Party


def visible_session(user: Actor, public_id: Any) -> Session:
    """A session the caller takes part in or sees; an unknown id reads like a refused one."""
    try:
        return access.get_visible_or_404(
            Session.objects.all(),
            user,
            fields={"distribution": None, "session": "pk", "session_view": True},
            public_id=public_id,
        )
    except Http404:
        raise serializers.ValidationError({"session": ["No such session."]}) from None


def visible_item(user: Actor, public_id: Any) -> AgendaItem:
    item = agenda_item_list(user).filter(public_id=public_id).first()
    if item is None:
        raise serializers.ValidationError({"item": ["No such agenda item."]})
    return item


def party_by_code(code: str | None, *, field: str) -> Party | None:
    if not code:
        return None
    party = Party.objects.filter(code=code.upper()).first()
    if party is None:
        raise serializers.ValidationError({field: [f"No party has the code {code!r}."]})
    return party


class PartySummarySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("party-detail")

    class Meta:
        model = Party
        fields = ["id", "url", "code", "name_en"]
        read_only_fields = fields


class SessionSummarySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("session-detail")

    class Meta:
        model = Session
        fields = ["id", "url", "number", "quarter"]
        read_only_fields = fields


class AgendaItemRefSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("agenda-item-detail")

    class Meta:
        model = AgendaItem
        fields = ["id", "url", "order", "title"]
        read_only_fields = fields


class AgendaItemSerializer(PublicModelSerializer):
    url = DetailLinkField("agenda-item-detail")
    session = SessionSummarySerializer(read_only=True)
    agenda_status = serializers.CharField(source="agenda.status", read_only=True)
    proposer = PartySummarySerializer(read_only=True, allow_null=True)
    carried_from = AgendaItemRefSerializer(
        read_only=True, allow_null=True, help_text="The item of an earlier session it continues."
    )
    invited_parties = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "url",
            "session",
            "agenda_status",
            "order",
            "title",
            "kind",
            "description",
            "proposer",
            "distribution",
            "chatham_house",
            "is_open",
            "carried_from",
            "invited_parties",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PartySummarySerializer(many=True))
    def get_invited_parties(self, item: AgendaItem) -> Any:
        """Parties invited ad hoc to this item only."""
        parties = [invitation.party for invitation in getattr(item, "live_invitations", [])]
        return PartySummarySerializer(parties, many=True, context=self.context).data


class AgendaItemWriteSerializer(serializers.Serializer):
    session = serializers.UUIDField(required=False, help_text="Required to add an item.")
    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=AgendaItem.Kind.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    proposer = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    distribution = serializers.ChoiceField(choices=Distribution.choices, required=False)
    chatham_house = serializers.BooleanField(required=False)
    is_open = serializers.BooleanField(required=False)


class AgendaItemCreateSerializer(AgendaItemWriteSerializer):
    """A new item: its session, title and kind are required (the schema says so too)."""

    session = serializers.UUIDField(help_text="The session the item is added to.")
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=AgendaItem.Kind.choices)


class AgendaItemFilter(DateRangeFilterSet):
    session = SessionIdFilter()
    quarter = QuarterFilter(field_name="session__quarter")
    date_from = SessionDateFromFilter()
    date_to = SessionDateToFilter()
    party = PartyCodeFilter("proposer", help_text="The proposing party's code.")
    kind = django_filters.ChoiceFilter(choices=AgendaItem.Kind.choices)
    status = django_filters.ChoiceFilter(
        field_name="agenda__status",
        choices=Agenda.Status.choices,
        help_text="The agenda's status (draft, circulated, adopted).",
    )
    distribution = django_filters.ChoiceFilter(choices=Distribution.choices)
    chatham_house = django_filters.BooleanFilter()
    is_open = django_filters.BooleanFilter()
    q = ContainsFilter(
        fields=["title", "description"], help_text="Text in the title or the description."
    )

    class Meta:
        model = AgendaItem
        fields = [
            "session",
            "quarter",
            "date_from",
            "date_to",
            "party",
            "kind",
            "status",
            "distribution",
            "chatham_house",
            "is_open",
            "q",
        ]


class AgendaItemViewSet(viewsets.ModelViewSet):
    """Items of provisional and adopted agendas; the secretariat edits draft agendas."""

    serializer_class = AgendaItemSerializer
    filterset_class = AgendaItemFilter
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[AgendaItem]:
        return agenda_item_list(self.request.user)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "create":
            return AgendaItemCreateSerializer
        if self.action == "partial_update":
            return AgendaItemWriteSerializer
        return AgendaItemSerializer

    def _read(self, item: AgendaItem, *, code: int = status.HTTP_200_OK) -> Response:
        fresh = agenda_item_list(self.request.user).get(pk=item.pk)
        return Response(
            AgendaItemSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(request=AgendaItemCreateSerializer, responses=AgendaItemSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = AgendaItemCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        item = items_services.agenda_item_add(
            session=visible_session(request.user, values["session"]),
            user=request.user,
            title=values["title"],
            kind=values["kind"],
            description=values.get("description", ""),
            proposer=party_by_code(values.get("proposer"), field="proposer"),
            distribution=values.get("distribution"),
            chatham_house=values.get("chatham_house", False),
        )
        return self._read(item, code=status.HTTP_201_CREATED)

    @extend_schema(request=AgendaItemWriteSerializer, responses=AgendaItemSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        data = AgendaItemWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        proposer_given = "proposer" in values
        item = items_services.agenda_item_update(
            item=item,
            user=request.user,
            title=values.get("title"),
            kind=values.get("kind"),
            description=values.get("description"),
            proposer=party_by_code(values.get("proposer"), field="proposer"),
            clear_proposer=proposer_given and not values.get("proposer"),
            distribution=values.get("distribution"),
            chatham_house=values.get("chatham_house"),
            is_open=values.get("is_open"),
        )
        return self._read(item)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        items_services.agenda_item_remove(item=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ObjectionSerializer(PublicModelSerializer):
    url = DetailLinkField("objection-detail")
    session = SessionSummarySerializer(source="agenda.session", read_only=True)
    item = AgendaItemRefSerializer(read_only=True, allow_null=True)
    party = PartySummarySerializer(read_only=True)
    pending = serializers.SerializerMethodField()

    class Meta:
        model = Objection
        fields = [
            "id",
            "url",
            "session",
            "item",
            "party",
            "text",
            "created_at",
            "response",
            "answered_at",
            "pending",
        ]
        read_only_fields = fields

    def get_pending(self, objection: Objection) -> bool:
        """Not answered yet."""
        return objection.answered_at is None


class ObjectionCreateSerializer(serializers.Serializer):
    session = serializers.UUIDField()
    item = serializers.UUIDField(required=False, allow_null=True)
    party = serializers.CharField(
        required=False, allow_blank=True, help_text="Needed only by members of two delegations."
    )
    text = serializers.CharField(max_length=5000)


class ObjectionAnswerSerializer(serializers.Serializer):
    response = serializers.CharField(max_length=5000)


class ObjectionFilter(ApiFilterSet):
    session = SessionIdFilter("agenda__session__public_id")
    quarter = QuarterFilter(field_name="agenda__session__quarter")
    party = PartyCodeFilter()
    answered = django_filters.BooleanFilter(
        field_name="answered_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Objection
        fields = ["session", "quarter", "party", "answered"]


class ObjectionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Objections to circulated agendas: raised by seat-holder delegations, answered by the
    secretariat, read by the secretariat and the objecting delegation only."""

    serializer_class = ObjectionSerializer
    filterset_class = ObjectionFilter
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]
    delegate_write_actions = ("create",)

    def get_queryset(self) -> QuerySet[Objection]:
        return objection_list(self.request.user)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "create":
            return ObjectionCreateSerializer
        if self.action == "answer":
            return ObjectionAnswerSerializer
        return ObjectionSerializer

    @extend_schema(request=ObjectionCreateSerializer, responses=ObjectionSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ObjectionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        session = visible_session(request.user, values["session"])
        item = visible_item(request.user, values["item"]) if values.get("item") else None
        objection = objections_services.objection_raise(
            session=session,
            user=request.user,
            text=values["text"],
            item=item,
            party=party_by_code(values.get("party"), field="party"),
        )
        fresh = objection_list(request.user).get(pk=objection.pk)
        return Response(
            ObjectionSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ObjectionAnswerSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        objection = self.get_object()
        data = ObjectionAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objections_services.objection_answer(
            objection=objection, user=request.user, response=data.validated_data["response"]
        )
        fresh = objection_list(request.user).get(pk=objection.pk)
        return Response(ObjectionSerializer(fresh, context=self.get_serializer_context()).data)
