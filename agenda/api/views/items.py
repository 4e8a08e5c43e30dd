"""``/api/v1/agenda-items/``: items of provisional and adopted agendas; thin over the
selectors and services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from agenda.api.serializers.items import (
    AgendaItemCreateSerializer,
    AgendaItemSerializer,
    AgendaItemWriteSerializer,
)
from agenda.api.views.references import party_by_code, visible_session
from agenda.filters import AgendaItemFilter
from agenda.models import AgendaItem
from agenda.selectors.agendas import agenda_item_list
from agenda.services import items as items_services
from consult.api_base import ReadOnlyApiViewSet


class AgendaItemViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ReadOnlyApiViewSet,
):
    """Items of provisional and adopted agendas; the secretariat edits draft agendas."""

    serializer_class = AgendaItemSerializer
    filterset_class = AgendaItemFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[AgendaItem]:
        return agenda_item_list(user=self.request.user)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "create":
            return AgendaItemCreateSerializer
        if self.action == "partial_update":
            return AgendaItemWriteSerializer
        return AgendaItemSerializer

    def _read(self, item: AgendaItem, *, code: int = status.HTTP_200_OK) -> Response:
        fresh = agenda_item_list(user=self.request.user).get(pk=item.pk)
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
