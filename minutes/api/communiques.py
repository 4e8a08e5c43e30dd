"""``/api/v1/communiques/`` (published texts open to anyone) and ``/api/v1/positions/``.

Published communiqués and chair's statements are read without credentials;
drafts are read by the session's seat-holders and the secretariat, per the
access rule. Seat-holder delegations state their positions by POSTing to
``/positions/`` (stating again before the deadline changes the position).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from consult.access import active_party_ids
from consult.api_base import DetailLinkField
from consult.filters import (
    ContainsFilter,
    DateRangeFilterSet,
    PartyCodeFilter,
    QuarterFilter,
    SessionDateFromFilter,
    SessionDateToFilter,
    SessionIdFilter,
)
from consult.permissions import AccessPolicy
from members.models import Party
from minutes import selectors, services
from minutes.api.record import RecordPartyRefSerializer, RecordSessionRefSerializer
from minutes.filters import CommuniqueFilter
from minutes.models import Communique, CommuniqueVersion, Position


class FootnoteSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    party = RecordPartyRefSerializer()
    text = serializers.CharField()


class CommuniqueRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    url = DetailLinkField("communique-detail")
    title = serializers.CharField()


class CommuniqueSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("communique-detail")
    session = RecordSessionRefSerializer(read_only=True)
    title = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    preamble = serializers.CharField(source="published_preamble", read_only=True)
    attribution = serializers.CharField(source="published_attribution", read_only=True)
    procedure = serializers.ChoiceField(
        choices=Communique.Procedure.choices,
        read_only=True,
        allow_null=True,
        help_text="How the published text was adopted; null until published.",
    )
    procedure_label = serializers.SerializerMethodField()
    footnotes = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Communique
        fields = [
            "id",
            "url",
            "session",
            "kind",
            "status",
            "title",
            "preamble",
            "version",
            "text",
            "footnotes",
            "attribution",
            "procedure",
            "procedure_label",
            "silence_procedure",
            "deadline",
            "silence_outcome",
            "published_at",
            "page_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _version(self, communique: Communique) -> CommuniqueVersion | None:
        if communique.published_version is not None:
            return communique.published_version
        if communique.circulated_version is not None:
            return communique.circulated_version
        latest = getattr(communique, "latest_versions", None)
        return latest[0] if latest else None

    def get_title(self, communique: Communique) -> str:
        return communique.published_title or communique.title

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_version(self, communique: Communique) -> int | None:
        version = self._version(communique)
        return version.number if version else None

    @extend_schema_field(serializers.CharField(help_text="Sanitised HTML."))
    def get_text(self, communique: Communique) -> str:
        version = self._version(communique)
        return version.text if version else ""

    @extend_schema_field(FootnoteSerializer(many=True))
    def get_footnotes(self, communique: Communique) -> list[dict[str, Any]]:
        return [
            {
                "number": note.number,
                "party": {"code": note.party_code, "name": note.party},
                "text": note.text,
            }
            for note in selectors.communique_footnotes(communique)
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_procedure_label(self, communique: Communique) -> str | None:
        procedure = communique.procedure
        return procedure.label if procedure is not None else None

    def get_page_url(self, communique: Communique) -> str:
        """The text's page on the site (public once published)."""
        request = self.context.get("request")
        path = communique.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class CommuniqueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Communiqués and chair's statements: published ones for anyone, drafts for seat-holders."""

    serializer_class = CommuniqueSerializer
    filterset_class = CommuniqueFilter
    # Anyone reads (the queryset shows anonymous readers published texts only).
    permission_classes = [IsAuthenticatedOrReadOnly, AccessPolicy]
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    ordering_fields = ["published_at", "created_at"]

    def get_queryset(self) -> QuerySet[Communique]:
        latest = CommuniqueVersion.objects.order_by("-number")
        return selectors.communique_list(self.request.user).prefetch_related(
            Prefetch("versions", queryset=latest, to_attr="latest_versions")
        )


class PositionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("position-detail")
    communique = CommuniqueRefSerializer(source="version.communique", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    party = serializers.SerializerMethodField()

    class Meta:
        model = Position
        fields = [
            "id",
            "url",
            "communique",
            "version",
            "party",
            "stance",
            "reservation",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(RecordPartyRefSerializer)
    def get_party(self, position: Position) -> dict[str, str]:
        return {"code": position.party.code, "name": position.party.name_en}


class PositionStateSerializer(serializers.Serializer):
    communique = serializers.UUIDField(help_text="The circulated communiqué's public id.")
    party = serializers.CharField(
        required=False,
        help_text="Your delegation's party code; needed only if you belong to several.",
    )
    stance = serializers.ChoiceField(choices=Position.Stance.choices)
    reservation = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="With associates_with_reservation: published as a footnote attributed to you.",
    )


class PositionFilter(DateRangeFilterSet):
    communique = django_filters.UUIDFilter(
        field_name="version__communique__public_id", help_text="A communiqué's id."
    )
    session = SessionIdFilter("version__communique__session__public_id")
    quarter = QuarterFilter(field_name="version__communique__session__quarter")
    date_from = SessionDateFromFilter("version__communique__session__starts_at")
    date_to = SessionDateToFilter("version__communique__session__starts_at")
    party = PartyCodeFilter()
    stance = django_filters.ChoiceFilter(choices=Position.Stance.choices)
    q = ContainsFilter(fields=["reservation"], help_text="Text in the reservation.")

    class Meta:
        model = Position
        fields = [
            "communique",
            "session",
            "quarter",
            "date_from",
            "date_to",
            "party",
            "stance",
            "q",
        ]


class PositionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Seat-holders' positions on communiqués (read by the seat-holders and the secretariat)."""

    serializer_class = PositionSerializer
    filterset_class = PositionFilter
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    ordering_fields = ["created_at", "updated_at"]
    delegate_write_actions = ("create",)

    def get_queryset(self) -> QuerySet[Position]:
        return selectors.position_list(self.request.user)

    def _party(self, code: str | None) -> Party:
        parties = Party.objects.filter(pk__in=active_party_ids(self.request.user))
        if code:
            party = Party.objects.filter(code=code.upper()).first()
            if party is None:
                raise serializers.ValidationError({"party": ["No party has this code."]})
            return party
        mine = list(parties[:2])
        if len(mine) != 1:
            raise serializers.ValidationError(
                {"party": ["Say for which party you state this position."]}
            )
        return mine[0]

    @extend_schema(request=PositionStateSerializer, responses={201: PositionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PositionStateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        communique = (
            selectors.communique_list(request.user).filter(public_id=values["communique"]).first()
        )
        if communique is None:
            # The same answer for a missing text and one the caller may not read.
            raise serializers.ValidationError({"communique": ["No such communiqué."]})
        position = services.position_state(
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
