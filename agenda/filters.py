"""The agenda lists' filters, shared by the API and the pages (their selectors apply them)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from agenda.models import Agenda, AgendaItem, Document, Invitation, Objection, Session
from agenda.selectors.documents import SECRETARIAT_OWNER
from agenda.selectors.sessions import LIVE_STATUSES
from consult.access import Distribution
from consult.filters import (
    ApiFilterSet,
    ContainsFilter,
    DateRangeFilterSet,
    PartyCodeFilter,
    QuarterFilter,
    SessionDateFromFilter,
    SessionDateToFilter,
    SessionIdFilter,
)

SESSION_LEVELS = [choice for choice in Distribution.choices if choice[0] != Distribution.DELEGATION]


class SessionFilter(DateRangeFilterSet):
    quarter = QuarterFilter()
    date_from = SessionDateFromFilter("starts_at")
    date_to = SessionDateToFilter("starts_at")
    kind = django_filters.ChoiceFilter(choices=Session.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Session.Status.choices)
    distribution = django_filters.ChoiceFilter(choices=SESSION_LEVELS)
    party = django_filters.CharFilter(
        method="filter_party",
        help_text="A party's code: the sessions it is invited to as a whole (not ad hoc to one "
        "item, which would reveal the item).",
    )
    q = ContainsFilter(
        fields=["number", "title", "venue"], help_text="Text in the number, title or venue."
    )

    class Meta:
        model = Session
        fields = [
            "quarter",
            "date_from",
            "date_to",
            "kind",
            "status",
            "distribution",
            "party",
            "q",
        ]

    def filter_party(self, queryset: QuerySet[Session], name: str, value: str) -> QuerySet[Session]:
        invited = Invitation.objects.filter(
            session=OuterRef("pk"),
            item__isnull=True,
            status__in=LIVE_STATUSES,
            party__code=value.strip().upper(),
        )
        return queryset.filter(Exists(invited))


class InvitationFilter(DateRangeFilterSet):
    session = SessionIdFilter()
    quarter = QuarterFilter(field_name="session__quarter")
    date_from = SessionDateFromFilter()
    date_to = SessionDateToFilter()
    party = PartyCodeFilter()
    kind = django_filters.ChoiceFilter(choices=Invitation.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Invitation.Status.choices)
    q = ContainsFilter(
        fields=["reason", "party__name_en", "session__number"],
        help_text="Text in the reason, the party's name or the session's number.",
    )

    class Meta:
        model = Invitation
        fields = ["session", "quarter", "date_from", "date_to", "party", "kind", "status", "q"]


class DocumentFilter(DateRangeFilterSet):
    quarter = QuarterFilter(field_name="session__quarter")
    date_from = SessionDateFromFilter()
    date_to = SessionDateToFilter()
    session = SessionIdFilter()
    item = django_filters.UUIDFilter(field_name="item__public_id", help_text="An agenda item's id.")
    owner = django_filters.CharFilter(method="filter_owner", help_text="Party code or secretariat.")
    party = django_filters.CharFilter(method="filter_owner", help_text="Same as owner.")
    distribution = django_filters.ChoiceFilter(choices=Distribution.choices)
    language = django_filters.ChoiceFilter(choices=Document.Language.choices)
    category = django_filters.ChoiceFilter(choices=Document.Category.choices)
    kind = django_filters.ChoiceFilter(
        field_name="category",
        choices=Document.Category.choices,
        help_text="Same as category: the kind of paper.",
    )
    q = ContainsFilter(fields=["symbol", "title"], help_text="Text in the symbol or the title.")

    class Meta:
        model = Document
        fields = [
            "quarter",
            "date_from",
            "date_to",
            "session",
            "item",
            "owner",
            "party",
            "distribution",
            "language",
            "category",
            "kind",
            "q",
        ]

    def filter_owner(
        self, queryset: QuerySet[Document], name: str, value: str
    ) -> QuerySet[Document]:
        if value.lower() == SECRETARIAT_OWNER:
            return queryset.filter(owner__isnull=True)
        return queryset.filter(Q(owner__code=value.upper()))


class AgendaItemFilter(DateRangeFilterSet):
    session = SessionIdFilter()
    quarter = QuarterFilter(field_name="session__quarter")
    date_from = SessionDateFromFilter()
    date_to = SessionDateToFilter()
    party = PartyCodeFilter("proposer", help_text="The proposing party's code.")
    kind = django_filters.ChoiceFilter(choices=AgendaItem.Kind.choices)
    status = django_filters.ChoiceFilter(
        field_name="agenda__status",
        choices=Agenda.Status.choices,
        help_text="The agenda's status (draft, circulated, adopted).",
    )
    distribution = django_filters.ChoiceFilter(choices=Distribution.choices)
    chatham_house = django_filters.BooleanFilter()
    is_open = django_filters.BooleanFilter()
    q = ContainsFilter(
        fields=["title", "description"], help_text="Text in the title or the description."
    )

    class Meta:
        model = AgendaItem
        fields = [
            "session",
            "quarter",
            "date_from",
            "date_to",
            "party",
            "kind",
            "status",
            "distribution",
            "chatham_house",
            "is_open",
            "q",
        ]


class ObjectionFilter(ApiFilterSet):
    session = SessionIdFilter("agenda__session__public_id")
    quarter = QuarterFilter(field_name="agenda__session__quarter")
    party = PartyCodeFilter()
    answered = django_filters.BooleanFilter(
        field_name="answered_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Objection
        fields = ["session", "quarter", "party", "answered"]
