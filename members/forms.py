from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import Language, Party

if TYPE_CHECKING:  # generic to the type checker only, not at run time
    _PartyField = forms.ModelChoiceField[Party]
    _PartiesField = forms.ModelMultipleChoiceField[Party]
else:
    _PartyField = forms.ModelChoiceField
    _PartiesField = forms.ModelMultipleChoiceField


class PartyChoiceField(_PartyField):
    """A choice of party, each named in the reader's language with its code."""

    def label_from_instance(self, obj: Party) -> str:
        return f"{obj.display_name} ({obj.code})"


class PartyMultipleChoiceField(_PartiesField):
    """A choice of parties, each named in the reader's language with its code."""

    def label_from_instance(self, obj: Party) -> str:
        return f"{obj.display_name} ({obj.code})"


class RotationSwapForm(forms.Form):
    new_holder = PartyChoiceField(
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
