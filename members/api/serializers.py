"""Serializers of the members API: reads, and inputs whose answers use the reads."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from consult.api_base import AwareDateTimeField, DetailLinkField, PublicModelSerializer
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
from members.selectors.seats import seat_arrangement_in_force, seat_holders

# Reads


class PartySummarySerializer(PublicModelSerializer):
    """A party wherever another resource names it."""

    url = DetailLinkField("party-detail")

    class Meta:
        model = Party
        fields = ["id", "url", "code", "name_en"]
        read_only_fields = fields


class PartyCodeNameSerializer(PublicModelSerializer):
    url = DetailLinkField("party-detail")
    name = serializers.CharField(source="name_en", read_only=True)

    class Meta:
        model = Party
        fields = ["id", "url", "code", "name"]


class PartyMembershipSerializer(serializers.ModelSerializer[PartyMembership]):
    organisation = serializers.CharField(source="organisation.code", read_only=True)

    class Meta:
        model = PartyMembership
        fields = ["organisation", "since_year", "until_year"]


class PartySerializer(PublicModelSerializer):
    url = DetailLinkField("party-detail")
    memberships = PartyMembershipSerializer(many=True, read_only=True)

    class Meta:
        model = Party
        fields = ["id", "url", "code", "kind", "name_en", "name_fr", "name_ru", "memberships"]


class SeatArrangementSerializer(serializers.ModelSerializer[SeatArrangement]):
    class Meta:
        model = SeatArrangement
        fields = ["mode", "holders_per_term", "rotation_order", "effective_from"]


class SeatSerializer(PublicModelSerializer):
    url = DetailLinkField("seat-detail")
    party = PartyCodeNameSerializer(read_only=True)
    quarter = serializers.SerializerMethodField()
    arrangement = serializers.SerializerMethodField()
    holders = serializers.SerializerMethodField()
    arrangements = SeatArrangementSerializer(many=True, read_only=True)

    class Meta:
        model = Seat
        fields = [
            "id",
            "url",
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
        return seat_arrangement_in_force(seat.arrangements.all(), self.context["quarter"])

    def get_quarter(self, seat: Seat) -> str:
        """The quarter ``arrangement`` and ``holders`` describe."""
        return str(self.context["quarter"])

    @extend_schema_field(SeatArrangementSerializer(allow_null=True))
    def get_arrangement(self, seat: Seat) -> dict[str, Any] | None:
        """The arrangement in force that quarter (null before the first one)."""
        arrangement = self._arrangement(seat)
        return SeatArrangementSerializer(arrangement).data if arrangement else None

    @extend_schema_field(PartyCodeNameSerializer(many=True))
    def get_holders(self, seat: Seat) -> list[dict[str, Any]]:
        """Who holds the seat that quarter: the party itself, or its rotating holders."""
        arrangement = self._arrangement(seat)
        if arrangement is None:
            return []
        parties = seat_holders(seat, arrangement)
        return list(PartyCodeNameSerializer(parties, many=True, context=self.context).data)


class SeatRefSerializer(PublicModelSerializer):
    url = DetailLinkField("seat-detail")

    class Meta:
        model = Seat
        fields = ["id", "url", "code", "name"]


class RotationTermSerializer(PublicModelSerializer):
    url = DetailLinkField("rotation-detail")
    seat = SeatRefSerializer(read_only=True)
    holder = PartyCodeNameSerializer(read_only=True)

    class Meta:
        model = RotationTerm
        fields = ["id", "url", "seat", "quarter", "position", "holder", "source"]


class PersonSerializer(serializers.Serializer[User]):
    username = serializers.CharField(read_only=True)
    full_name = serializers.CharField(source="get_full_name", read_only=True)


class DelegationMemberSerializer(PublicModelSerializer):
    user = PersonSerializer(read_only=True)

    class Meta:
        model = DelegationMembership
        fields = ["id", "user", "role", "valid_from", "valid_until"]


class DelegationSerializer(PublicModelSerializer):
    url = DetailLinkField("delegation-detail")
    party = PartyCodeNameSerializer(read_only=True)
    members = DelegationMemberSerializer(
        source="visible_members",
        many=True,
        read_only=True,
        help_text="Current members. The secretariat and the delegation's own members see all "
        "of them; everyone else sees the head of delegation only.",
    )

    class Meta:
        model = Delegation
        fields = ["id", "url", "party", "is_standing", "members"]


class AccreditationSerializer(PublicModelSerializer):
    user = PersonSerializer(read_only=True)

    class Meta:
        model = Accreditation
        fields = ["id", "user", "reference", "valid_from", "valid_until", "revoked_at"]


# Writes (input only; answers use the read serializers)

# What a write reads from the request body, before a service gets it.
InputSerializer = serializers.Serializer[dict[str, Any]]


class PartyByCodeField(serializers.SlugRelatedField[Party]):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", queryset=Party.objects.all(), **kwargs)

    def to_internal_value(self, data: Any) -> Party:
        party: Party = super().to_internal_value(str(data).upper())
        return party


class QuarterInputField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=6, validators=[quarter_validator], **kwargs)


class PartyCreateSerializer(InputSerializer):
    # The model's rule, in the schema too (a pattern), so a schema-valid code is
    # accepted; typed in small letters it is stored in capitals ("mda" is MDA).
    code = serializers.RegexField(
        r"^[A-Za-z]{2,8}$",
        max_length=8,
        error_messages={"invalid": "Codes are 2 to 8 letters (stored in capitals)."},
    )
    kind = serializers.ChoiceField(choices=Party.Kind.choices)
    name_en = serializers.CharField(max_length=120)
    name_fr = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    name_ru = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class PartyUpdateSerializer(InputSerializer):
    name_en = serializers.CharField(max_length=120, required=False)
    name_fr = serializers.CharField(max_length=120, required=False, allow_blank=True)
    name_ru = serializers.CharField(max_length=120, required=False, allow_blank=True)


class ArrangementInputSerializer(InputSerializer):
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


class RotationTermCreateSerializer(InputSerializer):
    seat = serializers.SlugRelatedField(slug_field="code", queryset=Seat.objects.all())
    quarter = QuarterInputField()
    holder = PartyByCodeField()
    position = serializers.IntegerField(required=False, min_value=1)


class RotationSwapInputSerializer(InputSerializer):
    new_holder = PartyByCodeField()
    reason = serializers.CharField()


class RotationPlanInputSerializer(InputSerializer):
    start = QuarterInputField(required=False, help_text="First quarter (current by default).")
    count = serializers.IntegerField(default=8, min_value=1, max_value=40)


class DelegationCreateSerializer(InputSerializer):
    party = PartyByCodeField()
    is_standing = serializers.BooleanField(default=True)


class DelegationMemberInputSerializer(InputSerializer):
    username = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.filter(is_active=True)
    )
    role = serializers.CharField(help_text="head, deputy, adviser or expert.")
    valid_from = AwareDateTimeField(required=False)
    valid_until = AwareDateTimeField(required=False, allow_null=True)


class MembershipEndSerializer(InputSerializer):
    at = AwareDateTimeField(required=False, help_text="When it ends (now by default).")


class AccreditationInputSerializer(InputSerializer):
    username = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.filter(is_active=True)
    )
    reference = serializers.CharField(max_length=120)
    valid_from = AwareDateTimeField()
    valid_until = AwareDateTimeField()


def validated_input(serializer_class: type[InputSerializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
