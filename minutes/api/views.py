"""Viewsets of the record's API, registered in ``consult/api.py``.

``/api/v1/minutes/``, ``/api/v1/statements/``, ``/api/v1/action-points/``,
``/api/v1/communiques/`` (published texts open to anyone) and ``/api/v1/positions/``.

Statements carry only the display fields of the selector: on a Chatham House
item, anyone outside the secretariat reads "a participant" with no party code,
and the ``party`` filter and ``q`` search never match a hidden party.
Published communiqués and chair's statements are read without credentials;
drafts are read by the session's seat-holders and the secretariat, per the
access rule. Seat-holder delegations state their positions by POSTing to
``/positions/`` (stating again before the deadline changes the position).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from consult.access import active_party_ids
from consult.api_base import ReadOnlyApiViewSet
from consult.permissions import AccessPolicy
from members.models import Party
from minutes.api.serializers import (
    STATEMENT_COLUMNS,
    ActionPointSerializer,
    ActionPointStatusSerializer,
    CommuniqueSerializer,
    MinutesSerializer,
    PositionSerializer,
    PositionStateSerializer,
    StatementSerializer,
)
from minutes.api.signing import CommuniqueSignatureSerializer, signature_data
from minutes.filters import (
    ActionPointFilter,
    CommuniqueFilter,
    MinutesFilter,
    PositionFilter,
    StatementFilter,
)
from minutes.models import (
    ActionPoint,
    Attendance,
    Communique,
    CommuniqueVersion,
    Minutes,
    Position,
    Statement,
)
from minutes.selectors import communiques as communiques_selectors
from minutes.selectors import record as record_selectors
from minutes.selectors import signing as signing_selectors
from minutes.services import action_points as action_points_services
from minutes.services import positions as positions_services


class MinutesViewSet(ReadOnlyApiViewSet):
    """Minutes of sessions (circulated and approved; drafts for the secretariat)."""

    serializer_class = MinutesSerializer
    filterset_class = MinutesFilter
    ordering_fields = ["created_at", "updated_at"]

    def get_queryset(self) -> QuerySet[Minutes]:
        attendances = Attendance.objects.select_related("party").prefetch_related("delegates")
        return record_selectors.minutes_list(self.request.user).prefetch_related(
            Prefetch("attendances", queryset=attendances.order_by("party__name_en"))
        )


class StatementViewSet(ReadOnlyApiViewSet):
    """Statements in the minutes; on Chatham House items the speaker is “a participant”."""

    serializer_class = StatementSerializer
    filterset_class = StatementFilter
    # Ordering by party or speaker would reveal who spoke on Chatham House items.
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[Statement]:
        return record_selectors.statement_list(self.request.user).only(*STATEMENT_COLUMNS)


class ActionPointViewSet(ReadOnlyApiViewSet):
    """Action points of sessions; owners mark theirs done."""

    serializer_class = ActionPointSerializer
    filterset_class = ActionPointFilter
    ordering_fields = ["due_date", "created_at"]
    delegate_write_actions = ("status",)

    def get_queryset(self) -> QuerySet[ActionPoint]:
        return record_selectors.action_point_list(self.request.user)

    @extend_schema(request=ActionPointStatusSerializer, responses=ActionPointSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, id: str) -> Response:
        """Mark the action point done, or open again (the secretariat or the owning delegation)."""
        data = ActionPointStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        point = action_points_services.action_point_update_status(
            action_point=self.get_object(), user=request.user, status=data.validated_data["status"]
        )
        fresh = self.get_queryset().get(pk=point.pk)
        return Response(ActionPointSerializer(fresh, context=self.get_serializer_context()).data)


class CommuniqueViewSet(ReadOnlyApiViewSet):
    """Communiqués and chair's statements: published ones for anyone, drafts for seat-holders."""

    serializer_class = CommuniqueSerializer
    filterset_class = CommuniqueFilter
    # Anyone reads (the queryset shows anonymous readers published texts only).
    permission_classes = [IsAuthenticatedOrReadOnly, AccessPolicy]
    ordering_fields = ["published_at", "created_at"]

    def get_queryset(self) -> QuerySet[Communique]:
        latest = CommuniqueVersion.objects.order_by("-number")
        return communiques_selectors.communique_list(self.request.user).prefetch_related(
            Prefetch("versions", queryset=latest, to_attr="latest_versions")
        )

    @extend_schema(responses=CommuniqueSignatureSerializer)
    @action(detail=True, methods=["get"])
    def signature(self, request: Request, id: str) -> Response:
        """The body's signature of a published text: canonical JSON, Ed25519 signature, key
        id and the signed PDF's address (404 for anything not published)."""
        found = signing_selectors.communique_signature_get(request.user, public_id=id)
        return Response(signature_data(found, request))


class PositionViewSet(mixins.CreateModelMixin, ReadOnlyApiViewSet):
    """Seat-holders' positions on communiqués (read by the seat-holders and the secretariat)."""

    serializer_class = PositionSerializer
    filterset_class = PositionFilter
    ordering_fields = ["created_at", "updated_at"]
    delegate_write_actions = ("create",)

    def get_queryset(self) -> QuerySet[Position]:
        return communiques_selectors.position_list(self.request.user)

    def _party(self, code: str | None) -> Party:
        parties = Party.objects.filter(pk__in=active_party_ids(self.request.user))
        if code:
            party = Party.objects.filter(code=code.upper()).first()
            if party is None:
                raise serializers.ValidationError({"party": [gettext("No party has this code.")]})
            return party
        mine = list(parties[:2])
        if len(mine) != 1:
            raise serializers.ValidationError(
                {"party": [gettext("Say for which party you state this position.")]}
            )
        return mine[0]

    @extend_schema(request=PositionStateSerializer, responses={201: PositionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PositionStateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        communique = (
            communiques_selectors.communique_list(request.user)
            .filter(public_id=values["communique"])
            .first()
        )
        if communique is None:
            # The same answer for a missing text and one the caller may not read.
            raise serializers.ValidationError({"communique": [gettext("No such communiqué.")]})
        position = positions_services.position_state(
            communique=communique,
            party=self._party(values.get("party")),
            user=request.user,
            stance=values["stance"],
            reservation=values.get("reservation", ""),
        )
        fresh = self.get_queryset().get(pk=position.pk)
        return Response(
            PositionSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
