"""The crisis toolkit's list filters (dossiers, threats, assessments and scores, alerts,
off-ramps and stances, norms, adherence and incidents, exercises and injects), shared by the
API, the exports and the pages.

Each FilterSet narrows a queryset its list's selector returned (already only
what the caller may read). The ``party`` filter of scores matches the party a
score is *shown* as (``display_party_code``, annotated by ``score_list``): on an
anonymised assessment another party's scores carry no code, so filtering by
that party finds none of them.
"""

# django-filter ships no types: its classes are Any to the type checker.
# mypy: allow-subclassing-any

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from consult.filters import (
    ApiFilterSet,
    ContainsFilter,
    PartyCodeFilter,
    QuarterFilter,
    SessionIdFilter,
)
from crises.models import (
    CRISIS_DISTRIBUTIONS,
    Adherence,
    Alert,
    Assessment,
    Crisis,
    Exercise,
    Incident,
    Inject,
    Norm,
    OffRamp,
    Score,
    Stance,
    Threat,
)


class CrisisFilter(ApiFilterSet):
    status = django_filters.ChoiceFilter(choices=Crisis.Status.choices)
    region = django_filters.CharFilter(
        lookup_expr="icontains", help_text="Text in the crisis's region."
    )
    quarter = QuarterFilter(
        field_name="session__quarter", help_text="Raised at a session of this quarter."
    )
    session = SessionIdFilter(help_text="Raised at this session (its id).")
    distribution = django_filters.ChoiceFilter(choices=CRISIS_DISTRIBUTIONS)
    q = ContainsFilter(
        fields=["title", "region", "summary"], help_text="Text in the title, region or summary."
    )

    class Meta:
        model = Crisis
        fields = ["status", "region", "quarter", "session", "distribution", "q"]


class ThreatFilter(ApiFilterSet):
    crisis = django_filters.UUIDFilter(field_name="crisis__public_id", help_text="A crisis's id.")
    region = django_filters.CharFilter(
        lookup_expr="icontains", help_text="Text in the threat's region."
    )
    retired = django_filters.BooleanFilter(
        field_name="retired_at",
        lookup_expr="isnull",
        exclude=True,
        help_text="true: retired threats only; false: threats still on the list.",
    )
    q = ContainsFilter(
        fields=["title", "description"], help_text="Text in the title or description."
    )

    class Meta:
        model = Threat
        fields = ["crisis", "region", "retired", "q"]


class AssessmentFilter(ApiFilterSet):
    quarter = QuarterFilter(field_name="session__quarter")
    session = SessionIdFilter()
    crisis = django_filters.UUIDFilter(
        field_name="threats__crisis__public_id",
        distinct=True,
        help_text="A crisis's id: assessments of its threats.",
    )
    attribution = django_filters.ChoiceFilter(choices=Assessment.Attribution.choices)

    class Meta:
        model = Assessment
        fields = ["quarter", "session", "crisis", "attribution"]


class ScoreFilter(ApiFilterSet):
    assessment = django_filters.UUIDFilter(
        field_name="round__assessment__public_id", help_text="An assessment's id."
    )
    quarter = QuarterFilter(field_name="round__assessment__session__quarter")
    crisis = django_filters.UUIDFilter(
        field_name="threat__crisis__public_id", help_text="A crisis's id: scores of its threats."
    )
    threat = django_filters.UUIDFilter(field_name="threat__public_id", help_text="A threat's id.")
    round = django_filters.NumberFilter(
        field_name="round__number", help_text="A round's number (1 for the first)."
    )
    released = django_filters.BooleanFilter(
        field_name="round__released_at",
        lookup_expr="isnull",
        exclude=True,
        help_text="true: scores of released rounds; false: the caller's own sealed scores.",
    )
    party = django_filters.CharFilter(
        method="filter_party",
        help_text="A party's code, e.g. USA. Matches only scores shown with that party: "
        "never another party's scores on an anonymised assessment.",
    )

    class Meta:
        model = Score
        fields = ["assessment", "quarter", "crisis", "threat", "round", "released", "party"]

    def filter_party(self, queryset: QuerySet[Score], name: str, value: str) -> QuerySet[Score]:
        code = value.strip().upper()
        if not code:
            return queryset
        # ``display_party_code``: the selector's, empty wherever the party is not shown.
        return queryset.filter(display_party_code=code)  # type: ignore[misc]


class AlertFilter(ApiFilterSet):
    crisis = django_filters.UUIDFilter(field_name="crisis__public_id", help_text="A crisis's id.")
    party = django_filters.CharFilter(
        method="filter_party", help_text="The raising party's code, e.g. USA."
    )
    acknowledged = django_filters.BooleanFilter(
        field_name="my_acknowledged_at",
        lookup_expr="isnull",
        exclude=True,
        help_text="true: alerts the caller has acknowledged; false: those addressed to the "
        "caller and not yet acknowledged.",
    )
    urgency = django_filters.ChoiceFilter(choices=Alert.Urgency.choices)

    class Meta:
        model = Alert
        fields = ["crisis", "party", "acknowledged", "urgency"]

    def filter_party(self, queryset: QuerySet[Alert], name: str, value: str) -> QuerySet[Alert]:
        code = value.strip().upper()
        return queryset.filter(party__code=code) if code else queryset

    def filter_queryset(self, queryset: QuerySet[Alert]) -> QuerySet[Alert]:
        # "Not acknowledged" means addressed to the caller and not yet acknowledged.
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("acknowledged") is False:
            queryset = queryset.filter(my_delivery__isnull=False)  # type: ignore[misc]
        return queryset


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


class ExerciseFilter(ApiFilterSet):
    status = django_filters.ChoiceFilter(choices=Exercise.Status.choices)
    crisis = django_filters.UUIDFilter(field_name="crisis__public_id", help_text="A crisis's id.")

    class Meta:
        model = Exercise
        fields = ["status", "crisis"]


class InjectFilter(ApiFilterSet):
    exercise = django_filters.UUIDFilter(
        field_name="exercise__public_id", help_text="An exercise's id."
    )
    released = django_filters.BooleanFilter(
        field_name="released_at", lookup_expr="isnull", exclude=True, help_text="Released yet."
    )
    recipient = PartyCodeFilter(
        field_name="recipient", help_text="Sent to this party alone, e.g. RUS."
    )

    class Meta:
        model = Inject
        fields = ["exercise", "released", "recipient"]


class AdherenceFilter(ApiFilterSet):
    norm = django_filters.UUIDFilter(field_name="norm__public_id", help_text="A norm's id.")
    party = PartyCodeFilter()
    level = django_filters.ChoiceFilter(choices=Adherence.Level.choices)

    class Meta:
        model = Adherence
        fields = ["norm", "party", "level"]
