"""The filters of the audit trail, the same on the page and in the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from consult.filters import ApiFilterSet, MultipleChoiceFilter


class AuditEntryFilter(ApiFilterSet):
    user = django_filters.CharFilter(
        field_name="username",
        lookup_expr="iexact",
        label=_("User"),
        help_text=_("A username, in any case."),
    )
    kind = MultipleChoiceFilter(
        choices=AuditEntry.Kind.choices,
        label=_("Kind"),
        help_text=_("One or more kinds of entry."),
    )
    outcome = django_filters.ChoiceFilter(choices=AuditEntry.Outcome.choices, label=_("Outcome"))
    object_type = django_filters.CharFilter(
        label=_("Object type"),
        help_text=_("The object's type as app.model, e.g. agenda.document."),
    )
    object_id = django_filters.CharFilter(label=_("Object id"), help_text=_("The object's id."))
    since = django_filters.IsoDateTimeFilter(
        field_name="at",
        lookup_expr="gte",
        label=_("Since"),
        help_text=_("Entries at or after this instant."),
    )
    until = django_filters.IsoDateTimeFilter(
        field_name="at",
        lookup_expr="lt",
        label=_("Until"),
        help_text=_("Entries before this instant."),
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []
