"""``/api/v1/audit/``: the audit trail, read-only, filtered like its page."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from audit.filters import AuditEntryFilter
from audit.models import AuditEntry
from audit.selectors import audit_entry_list
from consult.pagination import CursorPagination


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "at",
            "kind",
            "outcome",
            "username",
            "object_type",
            "object_id",
            "summary",
            "ip",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields


class AuditPagination(CursorPagination):
    ordering = "-seq"


@extend_schema_view(
    list=extend_schema(
        summary="List audit entries",
        description=(
            "The append-only audit trail, newest first: logins, failures, token use, reads of "
            "confidential material and every secretariat action. The secretariat reads every "
            "entry; anyone else only the entries about their own account. Read-only: nobody "
            "changes or deletes an entry."
        ),
        tags=["audit"],
    ),
    retrieve=extend_schema(summary="One audit entry", tags=["audit"]),
)
class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet[AuditEntry]):
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter
    pagination_class = AuditPagination
    lookup_field = "seq"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[AuditEntry]:
        return audit_entry_list(user=self.request.user)
