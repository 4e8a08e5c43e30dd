"""The form a secretariat writes a translation with (consult/parallel.py): the language
and the text's translated fields. Each app's page names its fields; the service
refuses the authoritative language and cleans the values as it cleans the text itself."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from consult.editor import RichTextWidget
from consult.parallel import language_name_choices


class TranslationForm(forms.Form):
    """A language, a title and, when ``text_label`` is given, a text under that label (a
    communiqué's text, an item's description): rich text, or plain text where the text
    itself is plain (``rich_text=False``); ``text_required`` as the text itself is.

    A text with a second, plain one (an exercise's objectives beside its scenario) names
    it with ``extra_text_label``: the ``extra_text`` field, required as
    ``extra_text_required`` says. A text without a title (an exercise's inject) is
    translated without one (``titled=False``)."""

    language = forms.ChoiceField(label=_("Language"), choices=language_name_choices)
    title = forms.CharField(label=_("Title"), max_length=240)
    text = forms.CharField(label=_("Text"), widget=RichTextWidget(attrs={"rows": 14}))

    def __init__(
        self,
        *args: Any,
        text_label: Any = None,
        text_required: bool = True,
        rich_text: bool = True,
        title_max_length: int = 240,
        extra_text_label: Any = None,
        extra_text_required: bool = False,
        titled: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if titled:
            self.fields["title"] = forms.CharField(label=_("Title"), max_length=title_max_length)
        else:
            del self.fields["title"]
        if extra_text_label is not None:
            self.fields["extra_text"] = forms.CharField(
                label=extra_text_label,
                required=extra_text_required,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
        if text_label is None:
            del self.fields["text"]
        else:
            self.fields["text"].label = text_label
            self.fields["text"].required = text_required
            if not rich_text:
                self.fields["text"].widget = forms.Textarea(attrs={"rows": 6})
