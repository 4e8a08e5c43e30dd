"""Filters of the briefings API (django-filter, documented in the schema)."""

from __future__ import annotations

import django_filters

from briefings.models import BuildStatus, Pack
from consult.filters import (
    DateRangeFilterSet,
    PartyCodeFilter,
    QuarterFilter,
    SessionDateFromFilter,
    SessionDateToFilter,
    SessionIdFilter,
)


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
