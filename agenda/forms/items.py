"""Forms of the agenda builder and the objection form; validation of substance is the services'."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from agenda.forms.sessions import LOCAL_INPUT, LocalDateTimeInput, venue_time
from agenda.models import AgendaItem, Session
from agenda.services.agendas import MAX_OBJECTION_WINDOW_DAYS, OBJECTIONS_CLOSE_BEFORE_OPENING
from consult.access import Distribution
from members.forms import PartyChoiceField
from members.models import Party

ITEM_DISTRIBUTIONS = [
    (value, label) for value, label in Distribution.choices if value != Distribution.DELEGATION
]


class AgendaItemForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    kind = forms.ChoiceField(choices=AgendaItem.Kind.choices, label=_("Kind"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label=_("Description")
    )
    proposer = PartyChoiceField(
        queryset=Party.objects.none(), required=False, to_field_name="code", label=_("Proposer")
    )
    distribution = forms.ChoiceField(
        choices=ITEM_DISTRIBUTIONS,
        label=_("Distribution"),
        help_text=_("Overrides the session's level for this item."),
    )
    chatham_house = forms.BooleanField(
        required=False, label=_("Chatham House rule (speakers are never attributed)")
    )
    starts_at = forms.DateTimeField(
        required=False, widget=LocalDateTimeInput(), input_formats=[LOCAL_INPUT]
    )
    duration_minutes = forms.IntegerField(
        required=False, min_value=1, max_value=24 * 60, label=_("Length (minutes)")
    )

    def __init__(self, *args: Any, parties: QuerySet[Party], zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["proposer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = parties
        self.zone = zone
        self.fields["starts_at"].label = gettext("Taken up at (venue time, %(zone)s)") % {
            "zone": zone
        }
        self.fields["starts_at"].help_text = _("The session's timetable; leave empty if not set.")

    def clean_starts_at(self) -> datetime | None:
        return venue_time(self.cleaned_data.get("starts_at"), self.zone)


class AgendaItemEditForm(AgendaItemForm):
    is_open = forms.BooleanField(required=False, label=_("Still under consideration"))


def _hours(span: timedelta) -> int:
    return int(span.total_seconds() // 3600)


def _window_help() -> str:
    """The window's limits, worded when the form is shown (the hours take plural forms)."""
    return ngettext(
        "The window closes at the latest %(regular)d hour before the session opens "
        "(%(extraordinary)d for an extraordinary session); a longer one is shortened.",
        "The window closes at the latest %(regular)d hours before the session opens "
        "(%(extraordinary)d for an extraordinary session); a longer one is shortened.",
        _hours(OBJECTIONS_CLOSE_BEFORE_OPENING[Session.Kind.REGULAR]),
    ) % {
        "regular": _hours(OBJECTIONS_CLOSE_BEFORE_OPENING[Session.Kind.REGULAR]),
        "extraordinary": _hours(OBJECTIONS_CLOSE_BEFORE_OPENING[Session.Kind.EXTRAORDINARY]),
    }


class CirculateForm(forms.Form):
    window_days = forms.IntegerField(
        min_value=1,
        max_value=MAX_OBJECTION_WINDOW_DAYS,
        label=_("Objection window (days)"),
        help_text=lazy(_window_help, str)(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["window_days"].initial = settings.AGENDA_OBJECTION_WINDOW_DAYS


class CarryOverForm(forms.Form):
    from_session = forms.ModelChoiceField(
        queryset=Session.objects.none(),
        to_field_name="public_id",
        label=_("Carry the open items of"),
    )

    def __init__(self, *args: Any, earlier: QuerySet[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["from_session"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = earlier


class ObjectionForm(forms.Form):
    item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("The agenda as a whole"),
        label=_("Item"),
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), max_length=5000, label=_("Text")
    )

    def __init__(self, *args: Any, items: QuerySet[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = items


class ObjectionAnswerForm(forms.Form):
    response = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, label=_("Response")
    )
