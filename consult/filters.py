"""Filters the lists of ``/api/v1/`` share, so one parameter means one thing everywhere.

- ``quarter``: ``2027Q1``; anything else answers 400 with the reason.
- ``date_from`` / ``date_to``: the session's start date (UTC), both inclusive.
- ``party``: a party's code, in any case (``ukr`` or ``UKR``).
- ``session``: a session's id.
- ``q``: text contained (case-insensitive) in the resource's text fields.
- yes/no filters (``is_open``, ``answered``, ...): ``true`` or ``false``;
  anything else answers 400 with the reason (django-filter reads it as no
  filter at all).
- ``ordering``: the fields a viewset lists in ``ordering_fields``; others answer 400.

Each FilterSet narrows the queryset its viewset's selector returned, which
already holds only what the caller may read.
"""

# django-filter ships no types: its classes are Any to the type checker, and subclassing
# them is this module's purpose.
# mypy: allow-subclassing-any

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_filters.utils import label_for_filter
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from consult.errors import ApplicationError
from consult.quarters import Quarter
from consult.times import AWARE_DATETIME_SCHEMA, EARLIEST_YEAR, LATEST_YEAR


class QuarterFormField(forms.CharField):
    """A quarter, normalised to ``2027Q1``."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        try:
            return str(Quarter.parse(text))
        except ValueError as error:
            # The reason quotes the input: a "%" in it must not be read as a placeholder.
            raise forms.ValidationError(
                "%(reason)s", code="invalid", params={"reason": str(error)}
            ) from error


# What ``Quarter.parse`` reads: any case, surrounding blanks ignored.
QUARTER_SCHEMA = {
    "type": "string",
    "pattern": r"^\s*\d{4}[Qq][1-4]\s*$",
    "example": "2027Q1",
    "description": "A quarter, e.g. 2027Q1.",
}


@extend_schema_field(QUARTER_SCHEMA)
class QuarterFilter(django_filters.CharFilter):
    field_class = QuarterFormField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Quarter"))
        super().__init__(*args, **kwargs)


class SessionIdFilter(django_filters.UUIDFilter):
    """A session's id; ``field_name`` is the path to the session's ``public_id``."""

    def __init__(self, field_name: str = "session__public_id", **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "A session's id.")
        kwargs.setdefault("label", _("Session"))
        super().__init__(field_name=field_name, **kwargs)


class PartyCodeFilter(django_filters.CharFilter):
    """A party code on ``field_name`` (a foreign key to Party), matched in any case."""

    def __init__(self, field_name: str = "party", **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "A party's code, e.g. USA.")
        kwargs.setdefault("label", _("Party"))
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in EMPTY_VALUES:
            return qs
        return qs.filter(**{f"{self.field_name}__code": value.strip().upper()})


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


class SessionDateFromFilter(django_filters.DateFilter):
    """Sessions starting on or after a day (UTC); ``field_name`` is the session's ``starts_at``."""

    def __init__(self, field_name: str = "session__starts_at", **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "Sessions starting on or after this day (UTC).")
        kwargs.setdefault("label", _("Starting from"))
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in EMPTY_VALUES:
            return qs
        # A range on the column itself, not its date, so an index on it still serves.
        return qs.filter(**{f"{self.field_name}__gte": _start_of(value)})


class SessionDateToFilter(django_filters.DateFilter):
    """Sessions starting on or before a day (UTC); ``field_name`` is the session's ``starts_at``."""

    def __init__(self, field_name: str = "session__starts_at", **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "Sessions starting on or before this day (UTC).")
        kwargs.setdefault("label", _("Starting until"))
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in EMPTY_VALUES or value == date.max:
            return qs
        return qs.filter(**{f"{self.field_name}__lt": _start_of(value + timedelta(days=1))})


class ContainsFilter(django_filters.CharFilter):
    """Text contained in any of ``fields`` (forward relations only, so no row repeats)."""

    def __init__(self, *, fields: Sequence[str], help_text: str, **kwargs: Any) -> None:
        # No model field to name it after: the form's label says what it does.
        kwargs.setdefault("label", _("Text contains"))
        super().__init__(help_text=help_text, **kwargs)
        self.fields = tuple(fields)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        value = (value or "").strip()
        if not value:
            return qs
        condition = Q()
        for field in self.fields:
            condition |= Q(**{f"{field}__icontains": value})
        return qs.filter(condition)


class StrictBooleanFormField(forms.Field):
    """``true`` or ``false``, as the schema's boolean is written in a query; empty is no value."""

    widget = forms.TextInput
    VALUES = {"true": True, "false": False}

    def to_python(self, value: Any) -> bool | None:
        if value in EMPTY_VALUES:
            return None
        if isinstance(value, bool):
            return value
        try:
            return self.VALUES[str(value)]
        except KeyError:
            # django-filter formats the message with its params: the input goes in as one.
            raise forms.ValidationError(
                gettext("%(value)r is not a boolean; give true or false."),
                code="invalid",
                params={"value": str(value)},
            ) from None


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter that refuses what it cannot read (django-filter's reads it as no filter)."""

    field_class = StrictBooleanFormField


class OptionalMultipleChoiceField(django_filters.fields.MultipleChoiceField):
    """Several choices, where an empty value (``?kind=``, as a form sends it) is none."""

    def clean(self, value: Any) -> Any:
        return super().clean([item for item in (value or []) if item != ""])


class MultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    """django-filter's, reading ``?kind=`` as no value rather than an unknown choice."""

    field_class = OptionalMultipleChoiceField


# A filter's label by parameter, in the reader's language: the same parameter is
# labelled alike on every list. A parameter not named here takes its model field's
# verbose name, or (a method's, an annotation's) its own name.
FILTER_LABELS = {
    "answered": _("Answered"),
    "assessment": _("Assessment"),
    "attribution": _("Attribution"),
    "category": _("Category"),
    "chatham_house": _("Chatham House rule"),
    "code": _("Code"),
    "communique": _("Communiqué"),
    "crisis": _("Crisis"),
    "distribution": _("Confidentiality level"),
    "due_before": _("Due before"),
    "exercise": _("Exercise"),
    "is_observer": _("Observer"),
    "is_open": pgettext_lazy("agenda item", "Open"),
    "is_standing": _("Standing"),
    "item": _("Agenda item"),
    "kind": _("Kind"),
    "language": _("Language"),
    "level": _("Level"),
    "norm": _("Norm"),
    "object_id": _("Object"),
    "object_type": _("Type of object"),
    "occurred_from": _("Occurred from"),
    "occurred_to": _("Occurred until"),
    "off_ramp": _("Off-ramp"),
    "outcome": _("Outcome"),
    "owner": pgettext_lazy("paper", "Owner"),
    "party": _("Party"),
    "position": _("Position"),
    "published_after": _("Published after"),
    "region": _("Region"),
    "released": _("Released"),
    "retired": _("Retired"),
    "round": _("Round"),
    "acknowledged": _("Acknowledged"),
    "session": _("Session"),
    "since": _("Since"),
    "source": _("Source"),
    "stance": _("Stance"),
    "status": _("Status"),
    "threat": _("Threat"),
    "until": _("Until"),
    "urgency": _("Urgency"),
    "user": _("User"),
}


class ApiFilterSet(django_filters.FilterSet):
    """The base of every FilterSet under ``/api/v1/``: yes/no filters are strict.

    A filter declared as django-filter's ``BooleanFilter`` (or generated for a
    boolean model field) is replaced by ``StrictBooleanFilter`` on the same
    field and lookup, so no list reads ``is_open=banana`` as "no filter". A
    filter is labelled from its parameter (``FILTER_LABELS``, in the reader's
    language), else from its model field, never django-filter's "[invalid name]".
    """

    @classmethod
    def get_filters(cls) -> dict[str, django_filters.Filter]:
        filters: dict[str, django_filters.Filter] = super().get_filters()
        model = cls._meta.model
        for name, declared in list(filters.items()):
            if declared._label is None and name in FILTER_LABELS:
                declared.label = FILTER_LABELS[name]
            elif declared._label is None and model is not None:
                derived = label_for_filter(
                    model, declared.field_name, declared.lookup_expr, declared.exclude
                )
                if "[invalid name]" in str(derived):
                    declared.label = capfirst(name.replace("_", " "))
            if isinstance(declared, django_filters.BooleanFilter) and not isinstance(
                declared, StrictBooleanFilter
            ):
                # django-filter's widgets read what they cannot as "no value".
                extra = {key: value for key, value in declared.extra.items() if key != "widget"}
                filters[name] = StrictBooleanFilter(
                    field_name=declared.field_name,
                    lookup_expr=declared.lookup_expr,
                    label=declared._label,
                    method=declared._method,
                    distinct=declared.distinct,
                    exclude=declared.exclude,
                    **extra,
                )
        return filters


class DateRangeFilterSet(ApiFilterSet):
    """Refuses a ``date_from`` later than ``date_to`` with a message rather than no rows.

    A rule across two parameters, which no schema can state: a domain refusal
    (``{"detail", "fields"}``, as the schema's 400 documents it).
    """

    def is_valid(self) -> bool:
        valid: bool = super().is_valid()
        if valid:
            start = self.form.cleaned_data.get("date_from")
            end = self.form.cleaned_data.get("date_to")
            if start and end and start > end:
                raise ApplicationError(
                    gettext("date_from must not be after date_to."),
                    fields={"date_from": [gettext("Must not be after date_to.")]},
                )
        return valid


class StrictOrderingFilter(OrderingFilter):
    """``ordering`` over the fields a viewset lists in ``ordering_fields``, each also with ``-``.

    DRF's filter drops a field it does not know and orders by the default,
    so ``ordering=requested_by__password`` looked accepted; here it is a 400
    naming the fields allowed, and the schema lists them.
    """

    def allowed_terms(self, view: Any) -> list[str]:
        fields = getattr(view, "ordering_fields", None) or []
        return [term for field in fields for term in (field, f"-{field}")]

    def get_ordering(self, request: Any, queryset: QuerySet[Any], view: Any) -> Any:
        value = request.query_params.get(self.ordering_param)
        if not value:
            return self.get_default_ordering(view)
        allowed = self.allowed_terms(view)
        terms = [term.strip() for term in value.split(",")]
        unknown = [term for term in terms if term not in allowed]
        if unknown:
            choices = ", ".join(allowed) if allowed else "none: this list has a fixed order"
            message = f"Cannot order by {', '.join(map(repr, unknown))}; choose from {choices}."
            raise ValidationError({self.ordering_param: [message]})
        return terms

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        allowed = self.allowed_terms(view)
        if not allowed:
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Fields to order by, comma-separated; `-` reverses one.",
                "schema": {"type": "array", "items": {"type": "string", "enum": allowed}},
                "style": "form",
                "explode": False,
            }
        ]


class AwareDateTimeFormField(forms.DateTimeField):
    """A time with its offset, within the years the API accepts (consult.api_base)."""

    def to_python(self, value: Any) -> datetime | None:
        result = super().to_python(value)
        if result is not None and not EARLIEST_YEAR <= result.year <= LATEST_YEAR:
            raise forms.ValidationError(
                gettext("Give a year from %(first)s to %(last)s.")
                % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
                code="invalid",
            )
        return result


@extend_schema_field(AWARE_DATETIME_SCHEMA)
class AwareDateTimeFilter(django_filters.DateTimeFilter):
    field_class = AwareDateTimeFormField
