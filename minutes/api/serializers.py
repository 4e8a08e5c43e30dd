"""Serializers of the record's API: minutes, statements, action points, communiqués, positions.

Statements carry only the display fields of the selector: on a Chatham House
item, anyone outside the secretariat reads "a participant" with no party code.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agenda.api.serializers.summaries import (
    DocumentSummarySerializer,
    ItemSummarySerializer,
    SessionSummarySerializer,
)
from agenda.models.agendas import AGENDA_ITEM_PARALLEL
from consult import parallel
from consult.api_base import ApiModelSerializer, DetailLinkField, DirectReadMixin
from consult.parallel_api import PARALLEL_TEXT_FIELDS, ParallelTextFields
from minutes.models import (
    ActionPoint,
    Attendance,
    Communique,
    CommuniqueVersion,
    Minutes,
    Position,
    Statement,
)
from minutes.models.communiques import COMMUNIQUE_PARALLEL
from minutes.selectors import communiques as communiques_selectors
from minutes.selectors.publication import PublishedWording, published_wording


class RecordPartyRefSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(allow_null=True, help_text="Empty when not attributed.")
    name = serializers.CharField()


class RecordMinutesRefSerializer(DirectReadMixin, serializers.Serializer[Any]):
    id = serializers.UUIDField(source="public_id")
    url = DetailLinkField("minutes-detail")
    status = serializers.CharField()


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    party = serializers.SerializerMethodField()
    delegates = serializers.SerializerMethodField()

    class Meta:
        model = Attendance
        fields = ["party", "delegates", "arrived_at", "left_at"]
        read_only_fields = fields

    @extend_schema_field(RecordPartyRefSerializer)
    def get_party(self, attendance: Attendance) -> dict[str, str]:
        return {"code": attendance.party.code, "name": attendance.party.name_en}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_delegates(self, attendance: Attendance) -> list[str]:
        return sorted(
            user.get_full_name() or user.get_username() for user in attendance.delegates.all()
        )


class MinutesSerializer(serializers.ModelSerializer[Minutes]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("minutes-detail")
    session = SessionSummarySerializer(read_only=True)
    attendance = AttendanceSerializer(source="attendances", many=True, read_only=True)

    class Meta:
        model = Minutes
        fields = [
            "id",
            "url",
            "session",
            "status",
            "revision",
            "circulated_at",
            "approved_at",
            "attendance",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class StatementSerializer(DirectReadMixin, ApiModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("statement-detail")
    minutes = RecordMinutesRefSerializer(read_only=True)
    session = SessionSummarySerializer(source="minutes.session", read_only=True)
    item = ItemSummarySerializer(read_only=True)
    party = serializers.SerializerMethodField()
    speaker = serializers.CharField(
        source="display_speaker",
        read_only=True,
        help_text="“a participant” on Chatham House items.",
    )
    documents = DocumentSummarySerializer(source="visible_documents", many=True, read_only=True)

    class Meta:
        model = Statement
        fields = [
            "id",
            "url",
            "minutes",
            "session",
            "item",
            "kind",
            "order",
            "party",
            "speaker",
            "summary",
            "full_text",
            "documents",
            "distribution",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(RecordPartyRefSerializer)
    def get_party(self, statement: Any) -> dict[str, str | None]:
        # Only the selector's display fields: never the statement's own party.
        return {"code": statement.display_party_code or None, "name": statement.display_party}


# The columns ``StatementSerializer`` reads, and all a statements page loads:
# the selector's joins would otherwise bring every column of the item, the
# minutes and the session into four model instances per row.
STATEMENT_COLUMNS = (
    "public_id",
    "kind",
    "order",
    "summary",
    "full_text",
    "distribution",
    "created_at",
    "updated_at",
    "minutes__public_id",
    "minutes__status",
    "minutes__session__public_id",
    "minutes__session__number",
    "minutes__session__quarter",
    "item__public_id",
    "item__order",
    *parallel.title_columns(AGENDA_ITEM_PARALLEL, "item__"),
    "item__chatham_house",
)


class ActionPointSerializer(serializers.ModelSerializer[ActionPoint]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("action-point-detail")
    session = SessionSummarySerializer(source="minutes.session", read_only=True)
    item = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()

    class Meta:
        model = ActionPoint
        fields = [
            "id",
            "url",
            "session",
            "item",
            "owner",
            "description",
            "due_date",
            "status",
            "done_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ItemSummarySerializer(allow_null=True))
    def get_item(self, point: ActionPoint) -> dict[str, Any] | None:
        if point.item is None:
            return None
        return ItemSummarySerializer(point.item, context=self.context).data

    @extend_schema_field(RecordPartyRefSerializer(allow_null=True))
    def get_owner(self, point: ActionPoint) -> dict[str, str] | None:
        if point.owner is None:
            return None
        return {"code": point.owner.code, "name": point.owner.name_en}


class ActionPointStatusSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ActionPoint.Status.choices)


class FootnoteSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    party = RecordPartyRefSerializer()
    text = serializers.CharField()


class CommuniqueRefSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="public_id")
    url = DetailLinkField("communique-detail")
    title = serializers.CharField()


class CommuniqueSerializer(ParallelTextFields, serializers.ModelSerializer[Communique]):
    parallel_spec = COMMUNIQUE_PARALLEL

    id = serializers.UUIDField(source="public_id", read_only=True)
    url = DetailLinkField("communique-detail")
    session = SessionSummarySerializer(read_only=True)
    title = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    preamble = serializers.SerializerMethodField()
    attribution = serializers.SerializerMethodField()
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
            *PARALLEL_TEXT_FIELDS,
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

    def _words(self, communique: Communique) -> PublishedWording:
        served = self._parallel(communique)
        return published_wording(communique, served.language, str(served["title"]))

    def get_title(self, communique: Communique) -> str:
        return self._words(communique).title

    @extend_schema_field(
        serializers.CharField(
            help_text="How the published text is introduced (its procedure), in the language "
            "served; empty until published."
        )
    )
    def get_preamble(self, communique: Communique) -> str:
        return self._words(communique).preamble

    @extend_schema_field(
        serializers.CharField(help_text="Who issued the published text, in the language served.")
    )
    def get_attribution(self, communique: Communique) -> str:
        return self._words(communique).attribution

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_version(self, communique: Communique) -> int | None:
        version = self._version(communique)
        return version.number if version else None

    @extend_schema_field(serializers.CharField(help_text="Sanitised HTML."))
    def get_text(self, communique: Communique) -> str:
        served = self._parallel(communique)
        if not served.authoritative:
            return str(served["text"])
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
            for note in communiques_selectors.communique_footnotes(communique)
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_procedure_label(self, communique: Communique) -> str | None:
        procedure = communique.procedure
        return str(procedure.label) if procedure is not None else None

    def get_page_url(self, communique: Communique) -> str:
        """The text's page on the site (public once published)."""
        request = self.context.get("request")
        path = communique.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class PositionSerializer(serializers.ModelSerializer[Position]):
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


class PositionStateSerializer(serializers.Serializer[Any]):
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
