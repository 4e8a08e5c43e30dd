"""The filters of the audit trail, the same on the page and in the API."""

from __future__ import annotations

import django_filters

from audit.models import AuditEntry
from consult.filters import ApiFilterSet, MultipleChoiceFilter


class AuditEntryFilter(ApiFilterSet):
    user = django_filters.CharFilter(
        field_name="username", lookup_expr="iexact", help_text="A username, in any case."
    )
    kind = MultipleChoiceFilter(
        choices=AuditEntry.Kind.choices, help_text="One or more kinds of entry."
    )
    outcome = django_filters.ChoiceFilter(choices=AuditEntry.Outcome.choices)
    object_type = django_filters.CharFilter(
        help_text="The object's type as app.model, e.g. agenda.document."
    )
    object_id = django_filters.CharFilter(help_text="The object's id.")
    since = django_filters.IsoDateTimeFilter(
        field_name="at", lookup_expr="gte", help_text="Entries at or after this instant."
    )
    until = django_filters.IsoDateTimeFilter(
        field_name="at", lookup_expr="lt", help_text="Entries before this instant."
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []
