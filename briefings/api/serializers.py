"""Serializers of the briefings API: a delegate's copy of a pack."""

from __future__ import annotations

from rest_framework import serializers

from agenda.api.serializers.summaries import SessionSummarySerializer
from briefings.models import BuildReason, BuildStatus, Pack
from consult.api_base import DetailLinkField, PublicModelSerializer, detail_url


class PackSerializer(PublicModelSerializer):
    url = DetailLinkField("pack-detail")
    session = SessionSummarySerializer(read_only=True)
    delegation = serializers.CharField(source="party.code", read_only=True)
    download_url = serializers.SerializerMethodField()
    reason = serializers.CharField(
        source="display_reason",
        read_only=True,
        help_text="Why the copy is not ready (or is made again), in the language served; "
        "empty when there is no reason.",
    )
    reason_code = serializers.ChoiceField(
        choices=BuildReason.choices,
        allow_blank=True,
        read_only=True,
        help_text="The same reason as a code; empty when there is none.",
    )

    class Meta:
        model = Pack
        fields = [
            "id",
            "url",
            "session",
            "delegation",
            "status",
            "reason",
            "reason_code",
            "content_version",
            "created_at",
            "stamped_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, pack: Pack) -> str | None:
        """Where the API serves the copy while ready (checked again at download)."""
        if pack.status != BuildStatus.READY:
            return None
        return detail_url("pack-download", pack.public_id, self.context.get("request"))
