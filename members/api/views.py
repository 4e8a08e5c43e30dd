"""Viewsets of the members API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from consult.api_base import ReadOnlyApiViewSet
from consult.filters import QUARTER_SCHEMA
from consult.quarters import Quarter
from members.api.serializers import (
    AccreditationInputSerializer,
    AccreditationSerializer,
    ArrangementInputSerializer,
    DelegationCreateSerializer,
    DelegationMemberInputSerializer,
    DelegationSerializer,
    MembershipEndSerializer,
    PartyCreateSerializer,
    PartySerializer,
    PartyUpdateSerializer,
    RotationPlanInputSerializer,
    RotationSwapInputSerializer,
    RotationTermCreateSerializer,
    RotationTermSerializer,
    SeatCreateSerializer,
    SeatSerializer,
    validated_input,
)
from members.filters import DelegationFilter, PartyFilter, RotationTermFilter, SeatFilter
from members.models import (
    Accreditation,
    Delegation,
    DelegationMembership,
    Party,
    RotationTerm,
    Seat,
)
from members.selectors.delegations import delegation_get, delegation_list
from members.selectors.parties import party_get, party_list
from members.selectors.rotation import rotation_term_get, rotation_term_list
from members.selectors.seats import seat_get, seat_list
from members.services.delegations import (
    accreditation_grant,
    accreditation_revoke,
    delegation_create,
    delegation_member_add,
    delegation_member_end,
)
from members.services.parties import party_create, party_update
from members.services.seats import seat_arrangement_set, seat_create
from members.services.terms import (
    chair_plan,
    rotation_plan,
    rotation_term_create,
    rotation_term_swap,
)


@extend_schema_view(
    list=extend_schema(summary="Parties: states and organisations", tags=["members"]),
    retrieve=extend_schema(summary="A party with its memberships", tags=["members"]),
)
class PartyViewSet(ReadOnlyApiViewSet):
    serializer_class = PartySerializer
    filterset_class = PartyFilter
    ordering = ["code"]
    ordering_fields = ["code", "name_en"]

    def get_queryset(self) -> QuerySet[Party]:
        return party_list()

    @extend_schema(
        summary="Create a party (secretariat)",
        tags=["members"],
        request=PartyCreateSerializer,
        responses={201: PartySerializer},
    )
    def create(self, request: Request) -> Response:
        party = party_create(**validated_input(PartyCreateSerializer, request))
        data = PartySerializer(
            party_get(public_id=party.public_id), context=self.get_serializer_context()
        ).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Rename a party (secretariat)",
        tags=["members"],
        request=PartyUpdateSerializer,
        responses={200: PartySerializer},
    )
    def partial_update(self, request: Request, id: str) -> Response:
        party = party_update(
            party=self.get_object(), **validated_input(PartyUpdateSerializer, request)
        )
        fresh = party_get(public_id=party.public_id)
        return Response(PartySerializer(fresh, context=self.get_serializer_context()).data)


QUARTER_PARAMETER = OpenApiParameter(
    "quarter",
    QUARTER_SCHEMA,
    description="The quarter to describe, e.g. 2027Q1 (current by default).",
)


@extend_schema_view(
    list=extend_schema(
        summary="Seats with their arrangement and holders",
        tags=["members"],
        parameters=[QUARTER_PARAMETER],
    ),
    retrieve=extend_schema(summary="A seat", tags=["members"], parameters=[QUARTER_PARAMETER]),
)
class SeatViewSet(ReadOnlyApiViewSet):
    serializer_class = SeatSerializer
    filterset_class = SeatFilter
    ordering = ["order", "code"]
    ordering_fields = ["order", "code"]

    def _quarter(self) -> Quarter:
        text = self.request.query_params.get("quarter")
        if not text:
            return Quarter.current()
        try:
            return Quarter.parse(text)
        except ValueError as error:
            raise serializers.ValidationError({"quarter": [str(error)]}) from error

    def get_queryset(self) -> QuerySet[Seat]:
        return seat_list(quarter=self._quarter())

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "quarter": self._quarter()}

    def _answer(self, seat: Seat, code: int = status.HTTP_200_OK) -> Response:
        quarter = self._quarter()
        fresh = seat_get(public_id=seat.public_id, quarter=quarter)
        context = {**self.get_serializer_context(), "quarter": quarter}
        return Response(SeatSerializer(fresh, context=context).data, status=code)

    @extend_schema(
        summary="Create a seat with its first arrangement (secretariat)",
        tags=["members"],
        request=SeatCreateSerializer,
        responses={201: SeatSerializer},
    )
    def create(self, request: Request) -> Response:
        seat = seat_create(
            **validated_input(SeatCreateSerializer, request), created_by=request.user
        )
        return self._answer(seat, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change how a seat is held from a quarter on (secretariat)",
        tags=["members"],
        request=ArrangementInputSerializer,
        responses={200: SeatSerializer},
    )
    @action(detail=True, methods=["post"])
    def arrangement(self, request: Request, id: str) -> Response:
        seat = self.get_object()
        values = validated_input(ArrangementInputSerializer, request)
        values.setdefault("effective_from", Quarter.current())
        seat_arrangement_set(seat=seat, created_by=request.user, **values)
        return self._answer(seat)


@extend_schema_view(
    list=extend_schema(summary="Rotation terms: who holds a rotating seat", tags=["rotation"]),
    retrieve=extend_schema(summary="A rotation term", tags=["rotation"]),
)
class RotationTermViewSet(ReadOnlyApiViewSet):
    serializer_class = RotationTermSerializer
    filterset_class = RotationTermFilter
    ordering = ["quarter", "seat__order", "position"]
    ordering_fields = ["quarter"]

    def get_queryset(self) -> QuerySet[RotationTerm]:
        return rotation_term_list()

    @extend_schema(
        summary="Assign a term by hand (secretariat)",
        tags=["rotation"],
        request=RotationTermCreateSerializer,
        responses={201: RotationTermSerializer},
    )
    def create(self, request: Request) -> Response:
        values = validated_input(RotationTermCreateSerializer, request)
        term = rotation_term_create(**values)
        data = RotationTermSerializer(
            rotation_term_get(public_id=term.public_id),
            context=self.get_serializer_context(),
        ).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Swap a term to another eligible party (secretariat)",
        tags=["rotation"],
        request=RotationSwapInputSerializer,
        responses={200: RotationTermSerializer},
    )
    @action(detail=True, methods=["post"])
    def swap(self, request: Request, id: str) -> Response:
        term = rotation_term_swap(
            term=self.get_object(),
            swapped_by=request.user,
            **validated_input(RotationSwapInputSerializer, request),
        )
        return Response(
            RotationTermSerializer(
                rotation_term_get(public_id=term.public_id),
                context=self.get_serializer_context(),
            ).data
        )

    @extend_schema(
        summary="Plan the rotation and the chair (secretariat)",
        tags=["rotation"],
        request=RotationPlanInputSerializer,
        responses={200: RotationTermSerializer(many=True)},
    )
    @action(detail=False, methods=["post"], pagination_class=None, filterset_class=None)
    def plan(self, request: Request) -> Response:
        values = validated_input(RotationPlanInputSerializer, request)
        terms = rotation_plan(start=values.get("start"), count=values["count"])
        chair_plan(start=values.get("start"), count=values["count"])
        return Response(
            RotationTermSerializer(terms, many=True, context=self.get_serializer_context()).data
        )


@extend_schema_view(
    list=extend_schema(summary="Delegations and their members", tags=["members"]),
    retrieve=extend_schema(summary="A delegation", tags=["members"]),
)
class DelegationViewSet(ReadOnlyApiViewSet):
    serializer_class = DelegationSerializer
    filterset_class = DelegationFilter
    ordering = ["created_at"]
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[Delegation]:
        return delegation_list(user=self.request.user)

    def _answer(self, delegation: Delegation, code: int = status.HTTP_200_OK) -> Response:
        fresh = delegation_get(public_id=delegation.public_id, user=self.request.user)
        return Response(
            DelegationSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(
        summary="Create a delegation and its group (secretariat)",
        tags=["members"],
        request=DelegationCreateSerializer,
        responses={201: DelegationSerializer},
    )
    def create(self, request: Request) -> Response:
        values = validated_input(DelegationCreateSerializer, request)
        delegation = delegation_create(**values)
        return self._answer(delegation, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Add a member to the delegation (secretariat)",
        tags=["members"],
        request=DelegationMemberInputSerializer,
        responses={201: DelegationSerializer},
    )
    @action(detail=True, methods=["post"])
    def members(self, request: Request, id: str) -> Response:
        delegation = self.get_object()
        values = validated_input(DelegationMemberInputSerializer, request)
        delegation_member_add(delegation=delegation, user=values.pop("username"), **values)
        return self._answer(delegation, status.HTTP_201_CREATED)

    @extend_schema(
        summary="End a membership (secretariat); access ends with it",
        tags=["members"],
        request=MembershipEndSerializer,
        responses={200: DelegationSerializer},
    )
    @action(detail=True, methods=["post"], url_path=r"members/(?P<member_id>[0-9a-f-]{36})/end")
    def end_membership(self, request: Request, id: str, member_id: str) -> Response:
        delegation = self.get_object()
        membership = DelegationMembership.objects.filter(
            delegation=delegation, public_id=member_id
        ).first()
        if membership is None:
            raise Http404("Not found.")
        delegation_member_end(
            membership=membership, **validated_input(MembershipEndSerializer, request)
        )
        return self._answer(delegation)

    @extend_schema(
        summary="Accredit a delegate of a non-standing delegation (secretariat)",
        tags=["members"],
        request=AccreditationInputSerializer,
        responses={201: AccreditationSerializer},
    )
    @action(detail=True, methods=["post"])
    def accreditations(self, request: Request, id: str) -> Response:
        values = validated_input(AccreditationInputSerializer, request)
        accreditation = accreditation_grant(
            delegation=self.get_object(),
            user=values.pop("username"),
            accredited_by=request.user,
            **values,
        )
        return Response(AccreditationSerializer(accreditation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Revoke an accreditation now (secretariat)",
        tags=["members"],
        request=None,
        responses={200: AccreditationSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"accreditations/(?P<accreditation_id>[0-9a-f-]{36})/revoke",
    )
    def revoke_accreditation(self, request: Request, id: str, accreditation_id: str) -> Response:
        accreditation = Accreditation.objects.filter(
            delegation=self.get_object(), public_id=accreditation_id
        ).first()
        if accreditation is None:
            raise Http404("Not found.")
        accreditation = accreditation_revoke(accreditation=accreditation, revoked_by=request.user)
        return Response(AccreditationSerializer(accreditation).data)
