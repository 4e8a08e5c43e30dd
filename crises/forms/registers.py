"""Forms of the off-ramp board and the register of norms: they parse input; every rule of
substance (who is at the table, the statuses, the seal) is the services'. Their choices
come from selectors, handed in by the views."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from consult.access import Distribution
from consult.editor import RichTextWidget
from consult.pages import choose_the_only_one
from crises.forms.crises import SessionChoiceField
from crises.models import CRISIS_DISTRIBUTIONS, Adherence, OffRamp, Stance
from members.forms import PartyChoiceField, PartyMultipleChoiceField
from members.models import Party
from minutes.forms import set_choices


class OffRampEditForm(forms.Form):
    """An option as the secretariat edits it (its status moves on its own form)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"), widget=RichTextWidget(attrs={"rows": 6}), required=False
    )
    proposer = PartyChoiceField(
        label=_("Proposer"),
        queryset=Party.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("The secretariat"),
    )
    preconditions = forms.CharField(
        label=_("Preconditions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "proposer", parties)


class OffRampForm(OffRampEditForm):
    on = forms.DateField(label=_("Proposed on"), help_text=_("e.g. 2027-03-01."))


class OffRampTransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=())
    on = forms.DateField(label=_("Since"), help_text=_("e.g. 2027-03-01."))
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, next_statuses: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(status, OffRamp.Status(status).label) for status in next_statuses]


class StanceForm(forms.Form):
    party = PartyChoiceField(
        label=_("Party"), queryset=Party.objects.none(), to_field_name="public_id", required=False
    )
    position = forms.ChoiceField(label=_("Stance"), choices=Stance.Position.choices)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    private = forms.BooleanField(
        required=False, label=_("Keep to our delegation and the secretariat")
    )

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "party", parties)
        choose_the_only_one(self.fields["party"])


class NormEditForm(forms.Form):
    """A norm as the secretariat edits it (the session it was registered at stays)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=RichTextWidget(attrs={"rows": 6}))
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("e.g. the 1972 US-Soviet Incidents at Sea agreement, CUES."),
    )
    distribution = forms.ChoiceField(
        label=_("Distribution"),
        choices=CRISIS_DISTRIBUTIONS,
        initial=Distribution.PARTICIPANTS,
        help_text=_("Read against the session the norm is registered at."),
    )


class NormForm(NormEditForm):
    session = SessionChoiceField(
        label=_("Session"),
        queryset=None,
        to_field_name="public_id",
        help_text=_("The session it is registered at."),
    )

    def __init__(self, *args: Any, sessions: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "session", sessions)


class AdherenceForm(forms.Form):
    party = PartyChoiceField(
        label=_("Party"), queryset=Party.objects.none(), to_field_name="public_id", required=False
    )
    level = forms.ChoiceField(label=_("Adherence"), choices=Adherence.Level.choices)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "party", parties)
        choose_the_only_one(self.fields["party"])


class IncidentForm(forms.Form):
    party = PartyChoiceField(
        queryset=Party.objects.none(),
        to_field_name="public_id",
        label=_("Reporting party"),
        required=False,
    )
    occurred_on = forms.DateField(label=_("Occurred on"), help_text=_("e.g. 2027-03-01."))
    place = forms.CharField(label=_("Place"), max_length=200)
    parties_involved = PartyMultipleChoiceField(
        label=_("Parties involved"), queryset=Party.objects.none(), to_field_name="public_id"
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    distribution = forms.ChoiceField(
        label=_("Distribution"), choices=CRISIS_DISTRIBUTIONS, initial=Distribution.PARTICIPANTS
    )

    def __init__(
        self, *args: Any, parties: QuerySet[Party], all_parties: QuerySet[Party], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "party", parties)
        set_choices(self, "parties_involved", all_parties)
        choose_the_only_one(self.fields["party"])


class IncidentResponseForm(forms.Form):
    party = PartyChoiceField(
        label=_("Party"), queryset=Party.objects.none(), to_field_name="public_id", required=False
    )
    text = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "party", parties)
        choose_the_only_one(self.fields["party"])
