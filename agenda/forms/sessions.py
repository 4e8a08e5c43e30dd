"""Forms of the session pages; the substance (overlaps, windows, roles) is the services'."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.models import ExtraordinaryRequest, Session
from consult.access import Distribution
from consult.times import known_timezones
from members.forms import PartyChoiceField
from members.models import Party

SESSION_LEVELS = [
    (value, label) for value, label in Distribution.choices if value != Distribution.DELEGATION
]
LOCAL_INPUT = "%Y-%m-%dT%H:%M"


@cache
def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(known_timezones())]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=LOCAL_INPUT, **kwargs)


def local_input_value(moment: datetime, zone: str) -> str:
    """An aware datetime as the venue's wall-clock time for a ``datetime-local`` input."""
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).strftime(LOCAL_INPUT)


def venue_time(value: datetime | None, zone: str) -> datetime | None:
    """A ``datetime-local`` value, which the field read in the active zone, as the same
    wall-clock time at the venue."""
    if value is None:
        return None
    return timezone.make_naive(value).replace(tzinfo=zoneinfo.ZoneInfo(zone))


class VenueTimesForm(forms.Form):
    """Start and end are typed in the venue's wall-clock time and stored aware."""

    venue = forms.CharField(max_length=200, label=_("Venue"))
    venue_timezone = forms.ChoiceField(
        choices=timezone_choices, initial="Europe/Vienna", label=_("Venue timezone")
    )
    starts_at = forms.DateTimeField(
        widget=LocalDateTimeInput(), input_formats=[LOCAL_INPUT], label=_("Starts (venue time)")
    )
    ends_at = forms.DateTimeField(
        widget=LocalDateTimeInput(), input_formats=[LOCAL_INPUT], label=_("Ends (venue time)")
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        zone_name = cleaned.get("venue_timezone")
        if zone_name:
            for name in ("starts_at", "ends_at"):
                cleaned[name] = venue_time(cleaned.get(name), zone_name)
        return cleaned


class SessionForm(VenueTimesForm):
    title = forms.CharField(max_length=200, required=False, label=_("Title"))
    distribution = forms.ChoiceField(choices=SESSION_LEVELS, label=_("Confidentiality level"))

    field_order = ["title", "venue", "venue_timezone", "starts_at", "ends_at", "distribution"]

    @classmethod
    def for_session(cls, session: Session) -> SessionForm:
        return cls(
            initial={
                "title": session.title,
                "venue": session.venue,
                "venue_timezone": session.venue_timezone,
                "starts_at": local_input_value(session.starts_at, session.venue_timezone),
                "ends_at": local_input_value(session.ends_at, session.venue_timezone),
                "distribution": session.distribution,
            }
        )


class SessionTransitionForm(forms.Form):
    status = forms.ChoiceField(choices=Session.Status.choices, label=_("Move to"))

    def __init__(self, *args: Any, allowed: frozenset[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allowed is not None:
            field = self.fields["status"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(v, label) for v, label in Session.Status.choices if v in allowed]


# Django's form fields take no type arguments at run time; django-stubs' do.
if TYPE_CHECKING:
    _RequestField = forms.ModelChoiceField[ExtraordinaryRequest]
else:
    _RequestField = forms.ModelChoiceField


class RequestChoiceField(_RequestField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.party.code}: {obj.display_reason[:80]}"


class ConveneForm(VenueTimesForm):
    request = RequestChoiceField(
        queryset=ExtraordinaryRequest.objects.none(),
        required=False,
        to_field_name="public_id",
        label=_("In answer to the request of"),
    )
    title = forms.CharField(max_length=200, required=False, label=_("Title"))
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Reason"),
        help_text=_("Left empty, the request's reason is used."),
    )
    distribution = forms.ChoiceField(
        choices=SESSION_LEVELS, initial=Distribution.PARTICIPANTS, label=_("Confidentiality level")
    )

    field_order = [
        "request",
        "title",
        "reason",
        "venue",
        "venue_timezone",
        "starts_at",
        "ends_at",
        "distribution",
    ]

    def __init__(self, *args: Any, pending: QuerySet[ExtraordinaryRequest], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["request"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = pending


class ExtraordinaryRequestForm(forms.Form):
    party = PartyChoiceField(
        queryset=Party.objects.none(),
        required=False,
        to_field_name="code",
        label=_("Party"),
        help_text=_("Only if you head more than one delegation."),
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label=_("Reason"))

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["party"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = parties
        if parties.count() <= 1:
            field.widget = forms.HiddenInput()
