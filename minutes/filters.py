"""The minutes lists' filters, shared by the API and the pages (their selectors apply them)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet

from agenda.models import AgendaItem, Session
from consult.access import Distribution
from consult.actors import Actor
from consult.filters import (
    AwareDateTimeFilter,
    ContainsFilter,
    DateRangeFilterSet,
    PartyCodeFilter,
    QuarterFilter,
    SessionDateFromFilter,
    SessionDateToFilter,
    SessionIdFilter,
)
from members.models import Party
from minutes.models import (
    ActionPoint,
    Attendance,
    Communique,
    Minutes,
    Position,
    Statement,
)
from minutes.selectors.record import statement_filter


class MinutesFilter(DateRangeFilterSet):
    session = SessionIdFilter()
    status = django_filters.ChoiceFilter(choices=Minutes.Status.choices)
    quarter = QuarterFilter(field_name="session__quarter")
    date_from = SessionDateFromFilter()
    date_to = SessionDateToFilter()
    distribution = django_filters.ChoiceFilter(choices=Distribution.choices)
    party = django_filters.CharFilter(
        method="filter_party", help_text="A party's code: minutes recording it as attending."
    )
    q = ContainsFilter(
        fields=["session__number", "session__title"],
        help_text="Text in the session's number or title.",
    )

    class Meta:
        model = Minutes
        fields = [
            "session",
            "status",
            "quarter",
            "date_from",
            "date_to",
            "distribution",
            "party",
            "q",
        ]

    def filter_party(self, queryset: QuerySet[Minutes], name: str, value: str) -> QuerySet[Minutes]:
        attended = Attendance.objects.filter(
            minutes=OuterRef("pk"), party__code=value.strip().upper()
        )
        return queryset.filter(Exists(attended))


class StatementFilter(DateRangeFilterSet):
    """Hands every filter to ``statement_filter`` (it applies the Chatham House rule)."""

    session = django_filters.UUIDFilter(help_text="A session's id.")
    item = django_filters.UUIDFilter(help_text="An agenda item's id.")
    quarter = QuarterFilter()
    party = django_filters.CharFilter(
        help_text="A party code; never matches a statement on a Chatham House item "
        "(outside the secretariat)."
    )
    kind = django_filters.ChoiceFilter(choices=Statement.Kind.choices)
    distribution = django_filters.ChoiceFilter(choices=Distribution.choices)
    date_from = django_filters.DateFilter(help_text="Sessions starting on or after this day (UTC).")
    date_to = django_filters.DateFilter(help_text="Sessions starting on or before this day (UTC).")
    q = django_filters.CharFilter(
        label="Words", help_text="Text in the summary, text, party or speaker."
    )

    class Meta:
        model = Statement
        fields: list[str] = []

    def __init__(self, *args: Any, user: Actor | None = None, **kwargs: Any) -> None:
        # The API's backend gives the request; a page's selector gives the reader.
        super().__init__(*args, **kwargs)
        self.user = user if user is not None else self.request.user

    def filter_queryset(self, queryset: QuerySet[Statement]) -> QuerySet[Statement]:
        values = self.form.cleaned_data
        params: dict[str, Any] = {
            "kind": values.get("kind") or None,
            "quarter": values.get("quarter") or None,
            "distribution": values.get("distribution") or None,
            "date_from": values.get("date_from"),
            "date_to": values.get("date_to"),
            "q": values.get("q") or None,
        }
        none = queryset.none()
        if values.get("session"):
            params["session"] = Session.objects.filter(public_id=values["session"]).first()
            if params["session"] is None:
                return none
        if values.get("item"):
            params["item"] = AgendaItem.objects.filter(public_id=values["item"]).first()
            if params["item"] is None:
                return none
        if values.get("party"):
            params["party"] = Party.objects.filter(code=values["party"].strip().upper()).first()
            if params["party"] is None:
                return none
        return statement_filter(queryset, self.user, **params)


class ActionPointFilter(DateRangeFilterSet):
    session = SessionIdFilter("minutes__session__public_id")
    quarter = QuarterFilter(field_name="minutes__session__quarter")
    date_from = SessionDateFromFilter("minutes__session__starts_at")
    date_to = SessionDateToFilter("minutes__session__starts_at")
    owner = PartyCodeFilter("owner", help_text="The owning party's code.")
    party = PartyCodeFilter("owner", help_text="Same as owner.")
    status = django_filters.ChoiceFilter(choices=ActionPoint.Status.choices)
    distribution = django_filters.ChoiceFilter(choices=Distribution.choices)
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", help_text="Due on or before this day."
    )
    q = ContainsFilter(fields=["description"], help_text="Text in the description.")

    class Meta:
        model = ActionPoint
        fields = [
            "session",
            "quarter",
            "date_from",
            "date_to",
            "owner",
            "party",
            "status",
            "distribution",
            "due_before",
            "q",
        ]


class CommuniqueFilter(DateRangeFilterSet):
    session = SessionIdFilter()
    quarter = QuarterFilter(field_name="session__quarter")
    date_from = SessionDateFromFilter()
    date_to = SessionDateToFilter()
    status = django_filters.ChoiceFilter(choices=Communique.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Communique.Kind.choices)
    distribution = django_filters.ChoiceFilter(choices=Distribution.choices)
    published_after = AwareDateTimeFilter(
        field_name="published_at", lookup_expr="gte", help_text="Published at or after this time."
    )
    q = ContainsFilter(
        fields=["title", "published_title"], help_text="Text in the title (draft or published)."
    )

    class Meta:
        model = Communique
        fields = [
            "session",
            "quarter",
            "date_from",
            "date_to",
            "status",
            "kind",
            "distribution",
            "published_after",
            "q",
        ]


class PositionFilter(DateRangeFilterSet):
    communique = django_filters.UUIDFilter(
        field_name="version__communique__public_id", help_text="A communiqué's id."
    )
    session = SessionIdFilter("version__communique__session__public_id")
    quarter = QuarterFilter(field_name="version__communique__session__quarter")
    date_from = SessionDateFromFilter("version__communique__session__starts_at")
    date_to = SessionDateToFilter("version__communique__session__starts_at")
    party = PartyCodeFilter()
    stance = django_filters.ChoiceFilter(choices=Position.Stance.choices)
    q = ContainsFilter(fields=["reservation"], help_text="Text in the reservation.")

    class Meta:
        model = Position
        fields = [
            "communique",
            "session",
            "quarter",
            "date_from",
            "date_to",
            "party",
            "stance",
            "q",
        ]
