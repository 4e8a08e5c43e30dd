"""``/api/v1/objections/``: raised by seat-holder delegations, answered by the secretariat."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agenda.api.serializers.objections import (
    ObjectionAnswerSerializer,
    ObjectionCreateSerializer,
    ObjectionSerializer,
)
from agenda.api.views.references import party_by_code, visible_item, visible_session
from agenda.filters import ObjectionFilter
from agenda.models import Objection
from agenda.selectors.agendas import objection_list
from agenda.services import objections as objections_services
from consult.api_base import ReadOnlyApiViewSet


class ObjectionViewSet(mixins.CreateModelMixin, ReadOnlyApiViewSet):
    """Objections to circulated agendas: raised by seat-holder delegations, answered by the
    secretariat, read by the secretariat and the objecting delegation only."""

    serializer_class = ObjectionSerializer
    filterset_class = ObjectionFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]
    delegate_write_actions = ("create",)

    def get_queryset(self) -> QuerySet[Objection]:
        return objection_list(user=self.request.user)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
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
        fresh = objection_list(user=request.user).get(pk=objection.pk)
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
        fresh = objection_list(user=request.user).get(pk=objection.pk)
        return Response(ObjectionSerializer(fresh, context=self.get_serializer_context()).data)
