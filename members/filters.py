"""Filters of the members API (django-filter, documented in the schema)."""

from django_filters import rest_framework as filters

from consult.filters import ApiFilterSet, ContainsFilter, PartyCodeFilter, QuarterFilter
from members.models import Delegation, Party, RotationTerm, Seat


class PartyFilter(ApiFilterSet):
    kind = filters.ChoiceFilter(choices=Party.Kind.choices)
    code = filters.CharFilter(field_name="code", lookup_expr="iexact")
    organisation = filters.CharFilter(
        field_name="memberships__organisation__code",
        lookup_expr="iexact",
        label="Members of the organisation with this code (e.g. NATO).",
    )
    q = ContainsFilter(
        fields=["code", "name_en", "name_fr", "name_ru"],
        help_text="Text in the code or a name (English, French or Russian).",
    )

    class Meta:
        model = Party
        fields = ["kind", "code", "organisation", "q"]


class SeatFilter(ApiFilterSet):
    party = PartyCodeFilter(help_text="The code of the seat's own party, e.g. NATO.")
    is_observer = filters.BooleanFilter()
    q = ContainsFilter(fields=["code", "name"], help_text="Text in the seat's code or name.")

    class Meta:
        model = Seat
        fields = ["party", "is_observer", "q"]


class RotationTermFilter(ApiFilterSet):
    quarter = QuarterFilter()
    seat = filters.CharFilter(
        field_name="seat__code", lookup_expr="iexact", label="A seat's code, e.g. NATO."
    )
    holder = PartyCodeFilter("holder", help_text="The holder's party code.")
    party = PartyCodeFilter("holder", help_text="Same as holder.")
    source = filters.ChoiceFilter(choices=RotationTerm.Source.choices)

    class Meta:
        model = RotationTerm
        fields = ["quarter", "seat", "holder", "party", "source"]


class DelegationFilter(ApiFilterSet):
    party = PartyCodeFilter()
    is_standing = filters.BooleanFilter()
    q = ContainsFilter(
        fields=["party__code", "party__name_en"], help_text="Text in the party's code or name."
    )

    class Meta:
        model = Delegation
        fields = ["party", "is_standing", "q"]
