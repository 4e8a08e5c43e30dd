"""The session resource: reads (with chair, troika and readable items) and inputs."""

from __future__ import annotations

from typing import Any, cast

from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agenda.filters import SESSION_LEVELS
from agenda.models import Session
from agenda.models.agendas import AGENDA_ITEM_PARALLEL
from agenda.selectors.sessions import session_troikas
from consult import parallel
from consult.api_base import AwareDateTimeField, DetailLinkField, detail_url
from members.models import ChairTerm, Seat


def _seat(seat: Seat | None) -> dict[str, str] | None:
    if seat is None:
        return None
    return {"seat": seat.code, "name": seat.name, "party": seat.party.code}


class SessionItemSerializer(serializers.Serializer[Any]):
    """The schema of a line of ``SessionSerializer.items``: the item's summary with its kind and
    level (the lines are written by hand there, a session page being read often)."""

    id = serializers.UUIDField()
    url = serializers.URLField()
    order = serializers.IntegerField()
    title = serializers.CharField(
        help_text="In the language Accept-Language asks for when a current translation has "
        "it (title_language says which), else the authoritative title."
    )
    title_language = serializers.ChoiceField(
        choices=parallel.LANGUAGE_CODES, help_text="The language of the title served."
    )
    title_authoritative = serializers.BooleanField(
        help_text="Whether the title served is the authoritative one."
    )
    kind = serializers.CharField()
    distribution = serializers.CharField()
    chatham_house = serializers.BooleanField()


class SessionListSerializer(serializers.ListSerializer[Session]):
    """Looks up the troikas of every quarter on the page in one query."""

    def to_representation(self, data: Any) -> list[Any]:
        sessions = list(data.all() if hasattr(data, "all") else data)
        # The child reads the root's context; the troikas travel in it.
        cast(dict[str, Any], self._context)["troikas"] = session_troikas(
            {session.quarter for session in sessions}
        )
        return super().to_representation(sessions)


class SessionSerializer(serializers.ModelSerializer[Session]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("session-detail")
    chair = serializers.SerializerMethodField()
    troika = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()
    requested_by = serializers.CharField(
        source="requested_by.code", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Session
        list_serializer_class = SessionListSerializer
        fields = [
            "id",
            "url",
            "number",
            "kind",
            "quarter",
            "title",
            "starts_at",
            "ends_at",
            "venue",
            "venue_timezone",
            "status",
            "distribution",
            "chair",
            "troika",
            "items",
            "requested_by",
            "request_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "object", "nullable": True})
    def get_chair(self, session: Session) -> dict[str, str] | None:
        return _seat(session.chair)

    @extend_schema_field(
        {
            "type": "array",
            "description": "Previous, current and next chair; null where none is planned.",
            "items": {
                "type": "object",
                "nullable": True,
                "properties": {
                    "quarter": {"type": "string"},
                    "seat": {"type": "string"},
                    "party": {"type": "string"},
                },
                "required": ["quarter", "seat", "party"],
            },
        }
    )
    def get_troika(self, session: Session) -> list[dict[str, str] | None]:
        known = self.context.get("troikas") or {}
        triple: list[ChairTerm | None] = (
            known[session.quarter]
            if session.quarter in known
            else session_troikas([session.quarter])[session.quarter]
        )
        return [
            None
            if term is None
            else {"quarter": term.quarter, "seat": term.seat.code, "party": term.seat.party.code}
            for term in triple
        ]

    @extend_schema_field(SessionItemSerializer(many=True))
    def get_items(self, session: Session) -> list[dict[str, Any]]:
        """Only the items the caller may read (an ad hoc guest sees its item only)."""
        request = self.context.get("request")
        language = translation.get_language()
        spec = AGENDA_ITEM_PARALLEL.title_only()
        lines = []
        for item in getattr(session, "visible_items", []):
            served = parallel.version_for(item, spec, language)
            lines.append(
                {
                    "id": item.public_id,
                    "url": detail_url("agenda-item-detail", item.public_id, request),
                    "order": item.order,
                    "title": served["title"],
                    "title_language": served.language,
                    "title_authoritative": served.authoritative,
                    "kind": item.kind,
                    "distribution": item.distribution,
                    "chatham_house": item.chatham_house,
                }
            )
        return lines


class SessionWriteSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Session.Kind.choices, required=False)
    starts_at = AwareDateTimeField(required=False)
    ends_at = AwareDateTimeField(required=False)
    venue = serializers.CharField(max_length=200, required=False)
    venue_timezone = serializers.CharField(max_length=64, required=False)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    distribution = serializers.ChoiceField(choices=SESSION_LEVELS, required=False)
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Why an extraordinary session is convened."
    )


class SessionCreateSerializer(SessionWriteSerializer):
    """A new session: its kind, times and venue are required (the schema says so too)."""

    kind = serializers.ChoiceField(choices=Session.Kind.choices)
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()
    venue = serializers.CharField(max_length=200)


class TransitionSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=Session.Status.choices)
