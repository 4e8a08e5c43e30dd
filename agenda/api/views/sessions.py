"""``/api/v1/sessions/``: sessions the caller may read, with chair, troika and readable items.

Writes (secretariat): create a regular session or convene an extraordinary
one, change date/venue/title/level, and move the status along the workflow."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agenda.api.serializers.sessions import (
    SessionCreateSerializer,
    SessionSerializer,
    SessionWriteSerializer,
    TransitionSerializer,
)
from agenda.filters import SessionFilter
from agenda.models import Session
from agenda.selectors.sessions import session_list
from agenda.services import extraordinary as extraordinary_services
from agenda.services import sessions as services
from consult.access import Distribution
from consult.api_base import ReadOnlyApiViewSet


class SessionViewSet(ReadOnlyApiViewSet):
    """Sessions of the body: regular (one per quarter) and extraordinary."""

    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    ordering_fields = ["starts_at", "created_at"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[Session]:
        return session_list(user=self.request.user, with_items=True)

    def _read(self, session: Session, *, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=session.pk)
        return Response(
            SessionSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(request=SessionCreateSerializer, responses=SessionSerializer)
    def create(self, request: Request) -> Response:
        data = SessionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        common = {
            "starts_at": values["starts_at"],
            "ends_at": values["ends_at"],
            "venue": values["venue"],
            "venue_timezone": values.get("venue_timezone", "Europe/Vienna"),
            "title": values.get("title", ""),
            "distribution": values.get("distribution", Distribution.PARTICIPANTS),
            "user": request.user,
        }
        if values["kind"] == Session.Kind.EXTRAORDINARY:
            session = extraordinary_services.session_convene_extraordinary(
                reason=values.get("reason", ""), **common
            )
        else:
            session = services.session_create(kind=Session.Kind.REGULAR, **common)
        return self._read(session, code=status.HTTP_201_CREATED)

    @extend_schema(request=SessionWriteSerializer, responses=SessionSerializer)
    def partial_update(self, request: Request, id: str) -> Response:
        session = self.get_object()
        data = SessionWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        session = services.session_update(
            session=session,
            user=request.user,
            starts_at=values.get("starts_at"),
            ends_at=values.get("ends_at"),
            venue=values.get("venue"),
            venue_timezone=values.get("venue_timezone"),
            title=values.get("title"),
            distribution=values.get("distribution"),
        )
        return self._read(session)

    @extend_schema(request=TransitionSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, id: str) -> Response:
        """Move the session to its next status (or cancel it)."""
        session = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = services.session_transition(
            session=session, to_status=data.validated_data["status"], user=request.user
        )
        return self._read(session)
