"""The list filters of off-ramps, stances, norms and incidents, shared by the API and the
pages: each narrows a queryset its list's selector returned (only what the caller reads)."""

# django-filter ships no types: its classes are Any to the type checker.
# mypy: allow-subclassing-any

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from consult.filters import ApiFilterSet, ContainsFilter, PartyCodeFilter, SessionIdFilter
from crises.models import Incident, Norm, OffRamp, Stance


class OffRampFilter(ApiFilterSet):
    crisis = django_filters.UUIDFilter(field_name="crisis__public_id", help_text="A crisis's id.")
    status = django_filters.ChoiceFilter(choices=OffRamp.Status.choices)
    party = PartyCodeFilter(field_name="proposer", help_text="The proposer's code, e.g. USA.")
    q = ContainsFilter(fields=["title", "text"], help_text="Text in the title or text.")

    class Meta:
        model = OffRamp
        fields = ["crisis", "status", "party", "q"]


class StanceFilter(ApiFilterSet):
    crisis = django_filters.UUIDFilter(
        field_name="off_ramp__crisis__public_id", help_text="A crisis's id."
    )
    off_ramp = django_filters.UUIDFilter(
        field_name="off_ramp__public_id", help_text="An off-ramp's id."
    )
    party = PartyCodeFilter()
    position = django_filters.ChoiceFilter(choices=Stance.Position.choices)
    status = django_filters.ChoiceFilter(
        field_name="off_ramp__status",
        choices=OffRamp.Status.choices,
        help_text="The off-ramp's status.",
    )

    class Meta:
        model = Stance
        fields = ["crisis", "off_ramp", "party", "position", "status"]


class NormFilter(ApiFilterSet):
    session = SessionIdFilter(help_text="Registered at this session (its id).")
    party = PartyCodeFilter(
        field_name="adherences__party", help_text="Stated adherence by this party, e.g. USA."
    )
    q = ContainsFilter(fields=["title", "text", "source"], help_text="Text in the norm.")

    class Meta:
        model = Norm
        fields = ["session", "party", "q"]

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        filtered: QuerySet[Any] = super().filter_queryset(queryset)
        return filtered.distinct()


class IncidentFilter(ApiFilterSet):
    norm = django_filters.UUIDFilter(field_name="norm__public_id", help_text="A norm's id.")
    party = django_filters.CharFilter(
        method="reported_by_or_involving",
        help_text="A party's code, e.g. USA: incidents it reported or is involved in.",
    )
    occurred_from = django_filters.DateFilter(field_name="occurred_on", lookup_expr="gte")
    occurred_to = django_filters.DateFilter(field_name="occurred_on", lookup_expr="lte")

    class Meta:
        model = Incident
        fields = ["norm", "party", "occurred_from", "occurred_to"]

    def reported_by_or_involving(
        self, queryset: QuerySet[Incident], name: str, value: str
    ) -> QuerySet[Incident]:
        code = value.strip().upper()
        involved = Incident.objects.filter(parties_involved__code=code).values("pk")
        return queryset.filter(Q(reporting_party__code=code) | Q(pk__in=involved))
