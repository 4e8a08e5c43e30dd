"""Forms of the exercise pages: they parse input; the rules are the services'. Their
choices (players, recipients) come from selectors, handed in by the views."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from consult.editor import RichTextWidget
from crises.services.exercises import MAX_SCHEDULE_MINUTES, ImprovementInput
from members.models import Party

EVERYONE = ""


class InjectForm(forms.Form):
    text = forms.CharField(label=_("Inject"), widget=forms.Textarea(attrs={"rows": 3}))
    scenario_time = forms.CharField(
        label=_("Scenario time"),
        max_length=60,
        required=False,
        help_text=_('For example "D+1 06:00".'),
    )
    recipient = forms.ChoiceField(label=_("Goes to"), required=False)
    expected_response = forms.CharField(
        label=_("Expected response (facilitator only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    scheduled_after = forms.IntegerField(
        label=_("Release automatically after (minutes from the start)"),
        required=False,
        min_value=0,
        max_value=MAX_SCHEDULE_MINUTES,
    )

    def __init__(self, *args: Any, parties: list[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._parties = {party.code: party for party in parties}
        field = self.fields["recipient"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(EVERYONE, _("All participants"))] + [
            (party.code, _("%(party)s only, in secret") % {"party": party.display_name})
            for party in parties
        ]

    def clean_recipient(self) -> Party | None:
        code = self.cleaned_data.get("recipient") or EVERYONE
        return self._parties[code] if code else None


class ResponseForm(forms.Form):
    text = forms.CharField(label=_("Your response"), widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    text = forms.CharField(label=_("Report"), widget=RichTextWidget(), required=False)
    improvements = forms.CharField(
        label=_("Improvement plan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One item a line: what is to be done; due date (YYYY-MM-DD); "
            "party code (optional). For example: Test the hotline monthly; 2031-03-31; RUS"
        ),
    )
    publish = forms.BooleanField(
        label=_("Publish: open it to the players and the next briefing pack"), required=False
    )

    def __init__(self, *args: Any, parties: list[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._parties = {party.code: party for party in parties}

    def clean_improvements(self) -> list[ImprovementInput]:
        lines: list[ImprovementInput] = []
        raw = self.cleaned_data.get("improvements") or ""
        for number, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            if len(parts) not in (2, 3) or not parts[0]:
                raise forms.ValidationError(
                    _("Line %(number)s: write “what; due date; party code”, the party optional.")
                    % {"number": number}
                )
            try:
                due = date.fromisoformat(parts[1])
            except ValueError as exc:
                raise forms.ValidationError(
                    _("Line %(number)s: “%(value)s” is not a date as YYYY-MM-DD.")
                    % {"number": number, "value": parts[1]}
                ) from exc
            owner = None
            if len(parts) == 3 and parts[2]:
                owner = self._parties.get(parts[2].upper())
                if owner is None:
                    raise forms.ValidationError(
                        _("Line %(number)s: “%(value)s” is not a party of the exercise.")
                        % {"number": number, "value": parts[2]}
                    )
            lines.append(ImprovementInput(description=parts[0], due_date=due, owner=owner))
        return lines


def improvements_text(report: Any) -> str:
    """The improvement items not yet action points, as the form writes them."""
    return "\n".join(
        "; ".join(
            [line.description, line.due_date.isoformat()]
            + ([line.owner.code] if line.owner else [])
        )
        for line in report.improvements.all()
        if line.action_point_id is None
    )
