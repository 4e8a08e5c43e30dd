"""``/api/v1/packs/``: the caller's own briefing-pack copies, their state and download link."""

from __future__ import annotations

from urllib.parse import urlencode

import django_filters
from django.db.models import QuerySet
from django.urls import reverse
from rest_framework import serializers

from agenda.api.items import SessionSummarySerializer
from briefings.models import BuildStatus, Pack
from briefings.selectors import pack_list
from consult.api_base import DetailLinkField, PublicModelSerializer, ReadOnlyApiViewSet
from consult.filters import (
    DateRangeFilterSet,
    PartyCodeFilter,
    QuarterFilter,
    SessionDateFromFilter,
    SessionDateToFilter,
    SessionIdFilter,
)


class PackSerializer(PublicModelSerializer):
    url = DetailLinkField("pack-detail")
    session = SessionSummarySerializer(read_only=True)
    delegation = serializers.CharField(source="party.code", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Pack
        fields = [
            "id",
            "url",
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


class PackFilter(DateRangeFilterSet):
    session = SessionIdFilter()
    quarter = QuarterFilter(field_name="session__quarter")
    date_from = SessionDateFromFilter()
    date_to = SessionDateToFilter()
    party = PartyCodeFilter(help_text="The code of the delegation the copy was made for.")
    status = django_filters.ChoiceFilter(choices=BuildStatus.choices)

    class Meta:
        model = Pack
        fields = ["session", "quarter", "date_from", "date_to", "party", "status"]


class PackViewSet(ReadOnlyApiViewSet):
    """Your briefing packs: one copy per session and content version, stamped with your name."""

    serializer_class = PackSerializer
    filterset_class = PackFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[Pack]:
        return pack_list(self.request.user)
