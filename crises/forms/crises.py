"""Forms of the crisis toolkit's pages: they parse input; every rule of substance (the
statuses a crisis may move to, the seal, the deadline, the scale) is the services'.
Their choices come from selectors, handed in by the views."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agenda.models import Session
from consult.access import Distribution
from consult.editor import RichTextWidget
from consult.parallel import language_name_choices, served_title
from crises.models import (
    CRISIS_DISTRIBUTIONS,
    SCORE_MAX,
    SCORE_MIN,
    Alert,
    Assessment,
    Crisis,
    Score,
    Threat,
)
from crises.models.assessments import THREAT_PARALLEL
from crises.services.assessments import MAX_RATIONALE_CHARS
from members.models import Party
from minutes.forms import set_choices

if TYPE_CHECKING:  # generic to the type checker only, not at run time
    ModelChoiceField = forms.ModelChoiceField[Any]
    ModelMultipleChoiceField = forms.ModelMultipleChoiceField[Any]
else:
    ModelChoiceField = forms.ModelChoiceField
    ModelMultipleChoiceField = forms.ModelMultipleChoiceField

SCALE = [(value, str(value)) for value in range(SCORE_MIN, SCORE_MAX + 1)]


class SessionChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        return f"{obj.number} ({obj.quarter}){f': {obj.title}' if obj.title else ''}"


class CrisisFilterForm(forms.Form):
    """The crisis list's filters: the same names as ``crisis_list``'s keywords."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("any")), *Crisis.Status.choices], required=False
    )
    region = forms.CharField(label=_("Region"), max_length=120, required=False)


class CrisisForm(forms.Form):
    """A dossier's title, region, summary and distribution; when opened, also the session it
    was raised at, its first status and the day it took effect."""

    title = forms.CharField(label=_("Title"), max_length=200)
    region = forms.CharField(label=_("Region"), max_length=120)
    summary = forms.CharField(
        label=_("Summary"),
        widget=RichTextWidget(attrs={"rows": 10}),
        required=False,
        help_text=_("Basic formatting is kept, anything else removed."),
    )
    distribution = forms.ChoiceField(
        label=_("Distribution"),
        choices=CRISIS_DISTRIBUTIONS,
        initial=Distribution.PARTICIPANTS,
        help_text=_("Read against the session the crisis was raised at."),
    )

    def __init__(self, *args: Any, sessions: QuerySet[Session] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if sessions is not None:  # opening a dossier
            self.fields["session"] = SessionChoiceField(
                label=_("Session"),
                queryset=sessions,
                to_field_name="public_id",
                help_text=_("The session the crisis was raised at."),
            )
            self.fields["status"] = forms.ChoiceField(
                label=_("Status"), choices=Crisis.Status.choices, initial=Crisis.Status.WATCH
            )
            self.fields["on"] = forms.DateField(
                label=_("Status since"), help_text=_("The day it took effect, e.g. 2027-03-01.")
            )
            self.order_fields(
                ["session", "title", "region", "status", "on", "summary", "distribution"]
            )


class CrisisTransitionForm(forms.Form):
    """Moving a crisis on: only the statuses it may move to are offered."""

    to_status = forms.ChoiceField(label=_("New status"), choices=())
    on = forms.DateField(label=_("Since"), help_text=_("The day it took effect, e.g. 2027-03-01."))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, next_statuses: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(status, Crisis.Status(status).label) for status in next_statuses]


class CrisisLinkForm(forms.Form):
    """One record of a session to link to a dossier, its choices grouped by kind."""

    record = forms.ChoiceField(label=_("Record"), choices=())

    def __init__(
        self, *args: Any, groups: Sequence[tuple[str, list[tuple[str, str]]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["record"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(label, options) for label, options in groups if options]


class CrisisUnlinkForm(forms.Form):
    record = forms.CharField(label=_("Record"), max_length=80)


class ThreatForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_name_choices,
        initial="en",
        required=False,
        help_text=_(
            "The language the title and description are written in: the authoritative text, "
            "which translations into the other working languages follow."
        ),
    )
    region = forms.CharField(label=_("Region"), max_length=120, required=False)
    crisis = ModelChoiceField(
        label=_("Crisis"),
        queryset=Crisis.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("No crisis"),
    )

    def __init__(
        self, *args: Any, crises: QuerySet[Crisis], new: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "crisis", crises)
        if not new:
            # A listed threat keeps the language it was written in: its translations are
            # of that text.
            del self.fields["language"]

    def clean_language(self) -> str:
        # English unless named, as the API's default.
        return str(self.cleaned_data.get("language") or "en")


class ThreatChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Threat) -> str:
        title = served_title(obj, THREAT_PARALLEL)
        return f"{title}{f' ({obj.region})' if obj.region else ''}"


class AssessmentOpenForm(forms.Form):
    session = SessionChoiceField(
        label=_("Session"),
        queryset=Session.objects.none(),
        to_field_name="public_id",
        help_text=_("The regular session the assessment prepares."),
    )
    threats = ThreatChoiceField(
        label=_("Threats"),
        queryset=Threat.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateTimeField(
        label=_("First round's deadline"), help_text=_("UTC, e.g. 2027-03-20 12:00")
    )
    attribution = forms.ChoiceField(
        label=_("Attribution"),
        choices=Assessment.Attribution.choices,
        initial=Assessment.Attribution.ANONYMISED,
        widget=forms.RadioSelect,
    )
    convergence_threshold = forms.DecimalField(
        label=_("Convergence threshold"),
        initial=Decimal("1.0"),
        max_digits=3,
        decimal_places=1,
        help_text=_("A spread (interquartile range) below this counts as converged: 0 to 4."),
    )

    def __init__(
        self, *args: Any, sessions: QuerySet[Session], threats: QuerySet[Threat], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "session", sessions)
        set_choices(self, "threats", threats)


class NextRoundForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Next round's deadline"), help_text=_("UTC, e.g. 2027-03-20 12:00")
    )


def _scale_field(label: str, required: str, invalid: str) -> forms.TypedChoiceField:
    scale = {"min": SCORE_MIN, "max": SCORE_MAX}
    return forms.TypedChoiceField(
        label=label,
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": required % scale, "invalid_choice": invalid % scale},
    )


class ScoreForm(forms.Form):
    """The delegation's scores on every threat of the open round, on one form.

    Each threat has its fieldset (``rows``): likelihood and impact from 1 to 5,
    trend, confidence and a short rationale; ``party`` appears only for someone
    who speaks for several seat-holders."""

    def __init__(
        self,
        *args: Any,
        threats: Sequence[Threat],
        parties: Sequence[Party],
        own: dict[int, Score] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        own = own or {}
        self.threats = list(threats)
        if len(parties) > 1:
            self.fields["party"] = forms.ChoiceField(
                label=_("Scoring for"),
                choices=[(party.code, f"{party.display_name} ({party.code})") for party in parties],
            )
        self.rows: list[tuple[Threat, list[forms.BoundField]]] = []
        for threat in self.threats:
            prefix = self.prefix_of(threat)
            mine = own.get(threat.pk)
            self.fields[f"{prefix}likelihood"] = _scale_field(
                gettext("Likelihood"),
                gettext("Give the likelihood from %(min)s to %(max)s."),
                gettext("Likelihood is scored from %(min)s to %(max)s."),
            )
            self.fields[f"{prefix}impact"] = _scale_field(
                gettext("Impact"),
                gettext("Give the impact from %(min)s to %(max)s."),
                gettext("Impact is scored from %(min)s to %(max)s."),
            )
            self.fields[f"{prefix}trend"] = forms.ChoiceField(
                label=_("Trend"), choices=Score.Trend.choices, widget=forms.RadioSelect
            )
            self.fields[f"{prefix}confidence"] = forms.ChoiceField(
                label=_("Confidence"), choices=Score.Confidence.choices, widget=forms.RadioSelect
            )
            self.fields[f"{prefix}rationale"] = forms.CharField(
                label=_("Rationale"),
                required=False,
                max_length=MAX_RATIONALE_CHARS,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if mine is not None:
                for name in ("likelihood", "impact", "trend", "confidence", "rationale"):
                    self.initial.setdefault(f"{prefix}{name}", getattr(mine, name))
            self.rows.append(
                (
                    threat,
                    [
                        self[f"{prefix}{name}"]
                        for name in ("likelihood", "impact", "trend", "confidence", "rationale")
                    ],
                )
            )

    @staticmethod
    def prefix_of(threat: Threat) -> str:
        return f"t-{threat.public_id}-"

    def answers(self) -> list[dict[str, Any]]:
        """Per threat, the values typed (after ``is_valid``)."""
        return [
            {
                "threat": threat,
                **{
                    name: self.cleaned_data[f"{self.prefix_of(threat)}{name}"]
                    for name in ("likelihood", "impact", "trend", "confidence", "rationale")
                },
            }
            for threat in self.threats
        ]


class AlertForm(forms.Form):
    """A head of delegation raises an alert: what happened, how urgent, about which crisis."""

    text = forms.CharField(
        label=_("What has happened"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("An incident has occurred; say what, where and when, and what you request."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Alert.Urgency.choices, initial=Alert.Urgency.URGENT
    )
    crisis = forms.ChoiceField(label=_("Crisis"), choices=(), required=False)

    def __init__(self, *args: Any, crises: QuerySet[Crisis], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._crises = {str(c.public_id): c for c in crises}
        field = self.fields["crisis"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("None"))] + [(key, c.title) for key, c in self._crises.items()]

    def clean_crisis(self) -> Crisis | None:
        value = self.cleaned_data.get("crisis") or ""
        return self._crises.get(value)
