"""API of the members app: parties, seats, rotation, delegations, and the token endpoint.

Reads are open to every authenticated user (delegation member lists are
narrowed by the selector); writes are the secretariat's (the default
``AccessPolicy``) and call the services, whose refusals answer 400.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from consult.api_base import PublicModelSerializer
from members import selectors, services
from members.models import (
    Accreditation,
    Delegation,
    DelegationMembership,
    Party,
    PartyMembership,
    RotationTerm,
    Seat,
    SeatArrangement,
    quarter_validator,
)
from members.quarters import Quarter

# Reads


class PartySummarySerializer(PublicModelSerializer):
    name = serializers.CharField(source="name_en", read_only=True)

    class Meta:
        model = Party
        fields = ["id", "code", "name"]


class PartyMembershipSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code", read_only=True)

    class Meta:
        model = PartyMembership
        fields = ["organisation", "since_year", "until_year"]


class PartySerializer(PublicModelSerializer):
    memberships = PartyMembershipSerializer(many=True, read_only=True)

    class Meta:
        model = Party
        fields = ["id", "code", "kind", "name_en", "name_fr", "name_ru", "memberships"]


class SeatArrangementSerializer(serializers.ModelSerializer):
    class Meta:
        model = SeatArrangement
        fields = ["mode", "holders_per_term", "rotation_order", "effective_from"]


class SeatSerializer(PublicModelSerializer):
    party = PartySummarySerializer(read_only=True)
    quarter = serializers.SerializerMethodField()
    arrangement = serializers.SerializerMethodField()
    holders = serializers.SerializerMethodField()
    arrangements = SeatArrangementSerializer(many=True, read_only=True)

    class Meta:
        model = Seat
        fields = [
            "id",
            "code",
            "name",
            "party",
            "is_observer",
            "order",
            "quarter",
            "arrangement",
            "holders",
            "arrangements",
        ]

    def _arrangement(self, seat: Seat) -> SeatArrangement | None:
        return selectors.arrangement_in_force(seat.arrangements.all(), self.context["quarter"])

    def get_quarter(self, seat: Seat) -> str:
        """The quarter ``arrangement`` and ``holders`` describe."""
        return str(self.context["quarter"])

    @extend_schema_field(SeatArrangementSerializer(allow_null=True))
    def get_arrangement(self, seat: Seat) -> dict | None:
        """The arrangement in force that quarter (null before the first one)."""
        arrangement = self._arrangement(seat)
        return SeatArrangementSerializer(arrangement).data if arrangement else None

    @extend_schema_field(PartySummarySerializer(many=True))
    def get_holders(self, seat: Seat) -> list:
        """Who holds the seat that quarter: the party itself, or its rotating holders."""
        arrangement = self._arrangement(seat)
        if arrangement is None:
            return []
        if arrangement.mode == SeatArrangement.Mode.ROTATING:
            parties = [term.holder for term in seat.current_terms]  # type: ignore[attr-defined]
        else:
            parties = [seat.party]
        return list(PartySummarySerializer(parties, many=True).data)


class SeatRefSerializer(PublicModelSerializer):
    class Meta:
        model = Seat
        fields = ["id", "code", "name"]


class RotationTermSerializer(PublicModelSerializer):
    seat = SeatRefSerializer(read_only=True)
    holder = PartySummarySerializer(read_only=True)

    class Meta:
        model = RotationTerm
        fields = ["id", "seat", "quarter", "position", "holder", "source"]


class PersonSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    full_name = serializers.CharField(source="get_full_name", read_only=True)


class DelegationMemberSerializer(PublicModelSerializer):
    user = PersonSerializer(read_only=True)

    class Meta:
        model = DelegationMembership
        fields = ["id", "user", "role", "valid_from", "valid_until"]


class DelegationSerializer(PublicModelSerializer):
    party = PartySummarySerializer(read_only=True)
    members = DelegationMemberSerializer(
        source="visible_members",
        many=True,
        read_only=True,
        help_text="Current members. The secretariat and the delegation's own members see all "
        "of them; everyone else sees the head of delegation only.",
    )

    class Meta:
        model = Delegation
        fields = ["id", "party", "is_standing", "members"]


class AccreditationSerializer(PublicModelSerializer):
    user = PersonSerializer(read_only=True)

    class Meta:
        model = Accreditation
        fields = ["id", "user", "reference", "valid_from", "valid_until", "revoked_at"]


# Writes (input only; answers use the read serializers)


class PartyByCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", queryset=Party.objects.all(), **kwargs)

    def to_internal_value(self, data: Any) -> Party:
        return super().to_internal_value(str(data).upper())


class QuarterInputField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=6, validators=[quarter_validator], **kwargs)


class PartyCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=8)
    kind = serializers.ChoiceField(choices=Party.Kind.choices)
    name_en = serializers.CharField(max_length=120)
    name_fr = serializers.CharField(max_length=120, required=False, default="")
    name_ru = serializers.CharField(max_length=120, required=False, default="")


class PartyUpdateSerializer(serializers.Serializer):
    name_en = serializers.CharField(max_length=120, required=False)
    name_fr = serializers.CharField(max_length=120, required=False, allow_blank=True)
    name_ru = serializers.CharField(max_length=120, required=False, allow_blank=True)


class ArrangementInputSerializer(serializers.Serializer):
    mode = serializers.CharField(help_text="own, institution or rotating.")
    holders_per_term = serializers.IntegerField(default=1)
    rotation_order = serializers.CharField(default="en", help_text="en, fr or ru.")
    effective_from = QuarterInputField(
        required=False, help_text="The quarter it takes effect (current by default)."
    )


class SeatCreateSerializer(ArrangementInputSerializer):
    code = serializers.CharField(max_length=12)
    name = serializers.CharField(max_length=120)
    party = PartyByCodeField(help_text="The party's code, e.g. NATO.")
    is_observer = serializers.BooleanField(default=False)
    order = serializers.IntegerField(default=0, min_value=0)


class RotationTermCreateSerializer(serializers.Serializer):
    seat = serializers.SlugRelatedField(slug_field="code", queryset=Seat.objects.all())
    quarter = QuarterInputField()
    holder = PartyByCodeField()
    position = serializers.IntegerField(required=False, min_value=1)


class RotationSwapInputSerializer(serializers.Serializer):
    new_holder = PartyByCodeField()
    reason = serializers.CharField()


class RotationPlanInputSerializer(serializers.Serializer):
    start = QuarterInputField(required=False, help_text="First quarter (current by default).")
    count = serializers.IntegerField(default=8, min_value=1, max_value=40)


class DelegationCreateSerializer(serializers.Serializer):
    party = PartyByCodeField()
    is_standing = serializers.BooleanField(default=True)


class DelegationMemberInputSerializer(serializers.Serializer):
    username = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.filter(is_active=True)
    )
    role = serializers.CharField(help_text="head, deputy, adviser or expert.")
    valid_from = serializers.DateTimeField(required=False)
    valid_until = serializers.DateTimeField(required=False, allow_null=True)


class MembershipEndSerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False, help_text="When it ends (now by default).")


class AccreditationInputSerializer(serializers.Serializer):
    username = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.filter(is_active=True)
    )
    reference = serializers.CharField(max_length=120)
    valid_from = serializers.DateTimeField()
    valid_until = serializers.DateTimeField()


def _input(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# Filters


class PartyFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Party.Kind.choices)
    code = filters.CharFilter(field_name="code", lookup_expr="iexact")
    organisation = filters.CharFilter(
        field_name="memberships__organisation__code",
        lookup_expr="iexact",
        label="Members of the organisation with this code (e.g. NATO).",
    )

    class Meta:
        model = Party
        fields = ["kind", "code", "organisation"]


class RotationTermFilter(filters.FilterSet):
    quarter = filters.CharFilter(validators=[quarter_validator], label="A quarter, e.g. 2027Q1.")
    seat = filters.CharFilter(
        field_name="seat__code", lookup_expr="iexact", label="A seat's code, e.g. NATO."
    )
    holder = filters.CharFilter(
        field_name="holder__code", lookup_expr="iexact", label="The holder's party code."
    )

    class Meta:
        model = RotationTerm
        fields = ["quarter", "seat", "holder"]


class DelegationFilter(filters.FilterSet):
    party = filters.CharFilter(field_name="party__code", lookup_expr="iexact")

    class Meta:
        model = Delegation
        fields = ["party", "is_standing"]


# Viewsets


class MembersViewSet(viewsets.GenericViewSet):
    lookup_field = "public_id"
    lookup_url_kwarg = "id"


@extend_schema_view(
    list=extend_schema(summary="Parties: states and organisations", tags=["members"]),
    retrieve=extend_schema(summary="A party with its memberships", tags=["members"]),
)
class PartyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MembersViewSet):
    serializer_class = PartySerializer
    filterset_class = PartyFilter
    ordering = ["code"]
    ordering_fields = ["code", "name_en"]

    def get_queryset(self) -> QuerySet[Party]:
        return selectors.party_list()

    @extend_schema(
        summary="Create a party (secretariat)",
        tags=["members"],
        request=PartyCreateSerializer,
        responses={201: PartySerializer},
    )
    def create(self, request: Request) -> Response:
        party = services.party_create(**_input(PartyCreateSerializer, request))
        data = PartySerializer(selectors.party_get(public_id=party.public_id)).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Rename a party (secretariat)",
        tags=["members"],
        request=PartyUpdateSerializer,
        responses={200: PartySerializer},
    )
    def partial_update(self, request: Request, id: str) -> Response:
        party = services.party_update(
            party=self.get_object(), **_input(PartyUpdateSerializer, request)
        )
        return Response(PartySerializer(selectors.party_get(public_id=party.public_id)).data)


QUARTER_PARAMETER = OpenApiParameter(
    "quarter", str, description="The quarter to describe, e.g. 2027Q1 (current by default)."
)


@extend_schema_view(
    list=extend_schema(
        summary="Seats with their arrangement and holders",
        tags=["members"],
        parameters=[QUARTER_PARAMETER],
    ),
    retrieve=extend_schema(summary="A seat", tags=["members"], parameters=[QUARTER_PARAMETER]),
)
class SeatViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MembersViewSet):
    serializer_class = SeatSerializer
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
        return selectors.seat_list(quarter=self._quarter())

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "quarter": self._quarter()}

    def _answer(self, seat: Seat, code: int = status.HTTP_200_OK) -> Response:
        quarter = self._quarter()
        fresh = selectors.seat_get(public_id=seat.public_id, quarter=quarter)
        context = {**self.get_serializer_context(), "quarter": quarter}
        return Response(SeatSerializer(fresh, context=context).data, status=code)

    @extend_schema(
        summary="Create a seat with its first arrangement (secretariat)",
        tags=["members"],
        request=SeatCreateSerializer,
        responses={201: SeatSerializer},
    )
    def create(self, request: Request) -> Response:
        seat = services.seat_create(
            **_input(SeatCreateSerializer, request), created_by=request.user
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
        values = _input(ArrangementInputSerializer, request)
        values.setdefault("effective_from", Quarter.current())
        services.seat_arrangement_set(seat=seat, created_by=request.user, **values)
        return self._answer(seat)


@extend_schema_view(
    list=extend_schema(summary="Rotation terms: who holds a rotating seat", tags=["rotation"]),
    retrieve=extend_schema(summary="A rotation term", tags=["rotation"]),
)
class RotationTermViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MembersViewSet):
    serializer_class = RotationTermSerializer
    filterset_class = RotationTermFilter
    ordering = ["quarter", "seat__order", "position"]
    ordering_fields = ["quarter"]

    def get_queryset(self) -> QuerySet[RotationTerm]:
        return selectors.rotation_term_list()

    @extend_schema(
        summary="Assign a term by hand (secretariat)",
        tags=["rotation"],
        request=RotationTermCreateSerializer,
        responses={201: RotationTermSerializer},
    )
    def create(self, request: Request) -> Response:
        term = services.rotation_term_create(**_input(RotationTermCreateSerializer, request))
        data = RotationTermSerializer(selectors.rotation_term_get(public_id=term.public_id)).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Swap a term to another eligible party (secretariat)",
        tags=["rotation"],
        request=RotationSwapInputSerializer,
        responses={200: RotationTermSerializer},
    )
    @action(detail=True, methods=["post"])
    def swap(self, request: Request, id: str) -> Response:
        term = services.rotation_term_swap(
            term=self.get_object(),
            swapped_by=request.user,
            **_input(RotationSwapInputSerializer, request),
        )
        return Response(
            RotationTermSerializer(selectors.rotation_term_get(public_id=term.public_id)).data
        )

    @extend_schema(
        summary="Plan the rotation and the chair (secretariat)",
        tags=["rotation"],
        request=RotationPlanInputSerializer,
        responses={200: RotationTermSerializer(many=True)},
    )
    @action(detail=False, methods=["post"], pagination_class=None, filterset_class=None)
    def plan(self, request: Request) -> Response:
        values = _input(RotationPlanInputSerializer, request)
        terms = services.rotation_plan(start=values.get("start"), count=values["count"])
        services.chair_plan(start=values.get("start"), count=values["count"])
        return Response(RotationTermSerializer(terms, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Delegations and their members", tags=["members"]),
    retrieve=extend_schema(summary="A delegation", tags=["members"]),
)
class DelegationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MembersViewSet):
    serializer_class = DelegationSerializer
    filterset_class = DelegationFilter
    ordering = ["created_at"]
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[Delegation]:
        return selectors.delegation_list(user=self.request.user)

    def _answer(self, delegation: Delegation, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.delegation_get(public_id=delegation.public_id, user=self.request.user)
        return Response(DelegationSerializer(fresh).data, status=code)

    @extend_schema(
        summary="Create a delegation and its group (secretariat)",
        tags=["members"],
        request=DelegationCreateSerializer,
        responses={201: DelegationSerializer},
    )
    def create(self, request: Request) -> Response:
        delegation = services.delegation_create(**_input(DelegationCreateSerializer, request))
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
        values = _input(DelegationMemberInputSerializer, request)
        services.delegation_member_add(delegation=delegation, user=values.pop("username"), **values)
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
        services.delegation_member_end(
            membership=membership, **_input(MembershipEndSerializer, request)
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
        values = _input(AccreditationInputSerializer, request)
        accreditation = services.accreditation_grant(
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
        accreditation = services.accreditation_revoke(
            accreditation=accreditation, revoked_by=request.user
        )
        return Response(AccreditationSerializer(accreditation).data)


class TokenObtainView(ObtainAuthToken):
    """Exchange a username and password for the account's API token."""

    @extend_schema(
        summary="Obtain an API token",
        description="Send a username and password; the answer holds the account's token, to be "
        "sent as `Authorization: Token <key>`. Analysts' tokens are read-only.",
        tags=["auth"],
        auth=[],
        request=AuthTokenSerializer,
        responses={
            200: inline_serializer("TokenObtained", fields={"token": serializers.CharField()})
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)
