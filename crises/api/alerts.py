"""The read API of crisis alerts: /api/v1/alerts/ (filters crisis, party, acknowledged,
urgency). What a reader sees follows ``crises.selectors.alerts``; a recipient sees whether
they acknowledged, the counts are everyone's, and who acknowledged is the secretariat's page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from consult.api_base import AwareDateTimeField, PublicModelSerializer, ReadOnlyApiViewSet
from crises.api.serializers import CrisisSummarySerializer
from crises.filters import AlertFilter
from crises.models import Alert
from crises.selectors.alerts import alert_list
from members.api.serializers import PartySummarySerializer


class AlertSerializer(PublicModelSerializer):
    party = PartySummarySerializer(read_only=True)
    crisis = serializers.SerializerMethodField()
    raised_at = AwareDateTimeField(read_only=True)
    recipients = serializers.IntegerField(source="recipient_count", read_only=True)
    acknowledged = serializers.IntegerField(source="acknowledged_count", read_only=True)
    addressed_to_me = serializers.SerializerMethodField()
    acknowledged_by_me_at = AwareDateTimeField(
        source="my_acknowledged_at", read_only=True, allow_null=True
    )
    extraordinary_request = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = [
            "id",
            "party",
            "crisis",
            "urgency",
            "text",
            "raised_at",
            "recipients",
            "acknowledged",
            "addressed_to_me",
            "acknowledged_by_me_at",
            "extraordinary_request",
        ]
        read_only_fields = fields

    def get_addressed_to_me(self, alert: Any) -> bool:
        return alert.my_delivery is not None

    @extend_schema_field(CrisisSummarySerializer(allow_null=True))
    def get_crisis(self, alert: Alert) -> dict[str, Any] | None:
        """The alert's crisis, named only to a reader of its dossier."""
        if alert.crisis is None or not alert.crisis_readable:  # type: ignore[attr-defined]
            return None
        return CrisisSummarySerializer(alert.crisis, context=self.context).data

    def get_extraordinary_request(self, alert: Alert) -> str | None:
        """The status of the request for an extraordinary session the alert became."""
        request = alert.extraordinary_request
        return request.status if request is not None else None


class AlertViewSet(ReadOnlyApiViewSet):
    """Alerts the caller reads: addressed to them, or raised by their delegation (the
    secretariat: all)."""

    serializer_class = AlertSerializer
    filterset_class = AlertFilter
    ordering_fields = ["raised_at"]
    ordering = ["-raised_at"]

    def get_queryset(self) -> QuerySet[Alert]:
        return alert_list(user=self.request.user)
