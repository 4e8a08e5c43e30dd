"""``/api/v1/invitations/``: the secretariat invites and revokes; delegations answer their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agenda.api.serializers.invitations import InvitationCreateSerializer, InvitationSerializer
from agenda.filters import InvitationFilter
from agenda.models import Invitation
from agenda.selectors.invitations import invitation_list
from agenda.services import invitations as services
from consult.api_base import ReadOnlyApiViewSet


class InvitationViewSet(ReadOnlyApiViewSet):
    """Invitations of parties to sessions (or, ad hoc, to one item)."""

    serializer_class = InvitationSerializer
    filterset_class = InvitationFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]
    delegate_write_actions = ("accept", "decline")

    def get_queryset(self) -> QuerySet[Invitation]:
        return invitation_list(user=self.request.user)

    def _read(self, invitation: Invitation, *, code: int = status.HTTP_200_OK) -> Response:
        fresh = invitation_list(user=self.request.user).get(pk=invitation.pk)
        return Response(
            InvitationSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(request=InvitationCreateSerializer, responses=InvitationSerializer)
    def create(self, request: Request) -> Response:
        data = InvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = data.validated_data
        invitation = services.invitation_create(
            session=values["session"],
            party=values["party"],
            kind=values["kind"],
            item=values.get("item"),
            reason=values.get("reason", ""),
            valid_until=values.get("valid_until"),
            user=request.user,
        )
        return self._read(invitation, code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, id: str) -> Response:
        """The invited party's delegation accepts."""
        invitation = services.invitation_accept(invitation=self.get_object(), user=request.user)
        return self._read(invitation)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, id: str) -> Response:
        """The invited party's delegation declines."""
        invitation = services.invitation_decline(invitation=self.get_object(), user=request.user)
        return self._read(invitation)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, id: str) -> Response:
        """The secretariat withdraws the invitation and its grants."""
        invitation = services.invitation_revoke(invitation=self.get_object(), user=request.user)
        return self._read(invitation)
