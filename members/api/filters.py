"""Filters of the members API (django-filter, documented in the schema)."""

from django_filters import rest_framework as filters

from members.models import Delegation, Party, RotationTerm, quarter_validator


class PartyFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Party.Kind.choices)
    code = filters.CharFilter(field_name="code", lookup_expr="iexact")
    organisation = filters.CharFilter(
        field_name="memberships__organisation__code",
        lookup_expr="iexact",
        label="Members of the organisation with this code (e.g. NATO).",
    )

    class Meta:
        model = Party
        fields = ["kind", "code", "organisation"]


class RotationTermFilter(filters.FilterSet):
    quarter = filters.CharFilter(validators=[quarter_validator], label="A quarter, e.g. 2027Q1.")
    seat = filters.CharFilter(
        field_name="seat__code", lookup_expr="iexact", label="A seat's code, e.g. NATO."
    )
    holder = filters.CharFilter(
        field_name="holder__code", lookup_expr="iexact", label="The holder's party code."
    )

    class Meta:
        model = RotationTerm
        fields = ["quarter", "seat", "holder"]


class DelegationFilter(filters.FilterSet):
    party = filters.CharFilter(field_name="party__code", lookup_expr="iexact")

    class Meta:
        model = Delegation
        fields = ["party", "is_standing"]
