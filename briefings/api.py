"""``/api/v1/packs/``: the caller's own briefing-pack copies, their state and download link."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from rest_framework import serializers

from agenda.api.items import SessionSummarySerializer
from briefings.models import BuildStatus, Pack
from briefings.selectors import pack_list
from consult.api_base import PublicModelSerializer, ReadOnlyApiViewSet


class PackSerializer(PublicModelSerializer):
    session = SessionSummarySerializer(read_only=True)
    delegation = serializers.CharField(source="party.code", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Pack
        fields = [
            "id",
            "session",
            "delegation",
            "status",
            "reason",
            "content_version",
            "created_at",
            "stamped_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, pack: Pack) -> str | None:
        """Where the copy is downloaded while ready (checked again at download)."""
        if pack.status != BuildStatus.READY:
            return None
        path = reverse("briefings:pack_download", kwargs={"public_id": pack.session.public_id})
        path = f"{path}?{urlencode({'copy': str(pack.public_id)})}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class PackViewSet(ReadOnlyApiViewSet):
    """Your briefing packs: one copy per session and content version, stamped with your name."""

    serializer_class = PackSerializer
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]
    filterset_fields = ["status"]

    def get_queryset(self) -> QuerySet[Pack]:
        return pack_list(self.request.user)
