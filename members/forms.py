from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import Language, Party


class RotationSwapForm(forms.Form):
    new_holder = forms.ModelChoiceField(
        queryset=Party.objects.none(),
        label=_("New holder"),
        help_text=_("Members of the seat's organisation eligible that quarter."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Recorded with the swap, e.g. the note verbale that asked for it."),
    )

    def __init__(self, *args: Any, candidates: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        new_holder = self.fields["new_holder"]
        assert isinstance(new_holder, forms.ModelChoiceField)
        new_holder.queryset = candidates


class LanguageForm(forms.Form):
    """The language switcher's and the account page's choice of working language."""

    # Each language named in itself, so a reader finds their own whatever the page's language.
    language = forms.ChoiceField(
        choices=Language.choices,
        label=_("Language"),
        error_messages={"invalid_choice": _("Choose one of the working languages.")},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput())
