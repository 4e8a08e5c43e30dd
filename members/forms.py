from typing import Any

from django import forms
from django.db.models import QuerySet

from members.models import Party


class RotationSwapForm(forms.Form):
    new_holder = forms.ModelChoiceField(
        queryset=Party.objects.none(),
        label="New holder",
        help_text="Members of the seat's organisation eligible that quarter.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Recorded with the swap, e.g. the note verbale that asked for it.",
    )

    def __init__(self, *args: Any, candidates: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        new_holder = self.fields["new_holder"]
        assert isinstance(new_holder, forms.ModelChoiceField)
        new_holder.queryset = candidates
