"""Forms for filing papers, adding versions and keeping private notes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from agenda.models import AgendaItem, Document, Session
from agenda.uploads import max_upload_bytes
from consult.access import Distribution
from consult.editor import RichTextWidget
from members.forms import PartyChoiceField
from members.models import Party

RICH_TEXT_HELP = _(
    "Rich text (HTML): headings, lists, tables, links and emphasis are kept; scripts, "
    "frames, styles, images and event handlers are removed."
)

FILE_HELP = _("Or upload a PDF, DOCX or ODT file (checked by its content).")

# A delegation always reads its own papers, whatever their distribution.
DELEGATION_LABELS: dict[str, str | Promise] = {
    Distribution.DELEGATION: _("My delegation only (private note)"),
    Distribution.SECRETARIAT: _("The secretariat (and my delegation)"),
}


class DocumentContentMixin(forms.Form):
    body_html = forms.CharField(
        label=_("Text"),
        widget=RichTextWidget(attrs={"rows": 14}),
        required=False,
        strip=False,
        help_text=RICH_TEXT_HELP,
    )
    file = forms.FileField(required=False, label=_("File"), help_text=FILE_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_mb = max_upload_bytes() // (1024 * 1024)
        self.fields["file"].help_text = format_lazy(
            "{} {}", FILE_HELP, _("At most %(size)s MB.") % {"size": limit_mb}
        )


class DocumentForm(DocumentContentMixin):
    title = forms.CharField(max_length=200, label=_("Title"))
    category = forms.ChoiceField(choices=Document.Category.choices, label=_("Category"))
    item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("The whole session"),
        label=_("Item"),
    )
    distribution = forms.ChoiceField(choices=Distribution.choices, label=_("Distribution"))
    language = forms.ChoiceField(choices=Document.Language.choices, label=_("Language"))
    owner = PartyChoiceField(
        queryset=Party.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("The secretariat"),
        label=_("Filed by"),
    )
    symbol = forms.CharField(
        max_length=40,
        required=False,
        label=_("Symbol"),
        help_text=_("Leave empty to issue the next symbol."),
    )

    field_order = [
        "title", "category", "item", "distribution", "language", "owner", "symbol",
        "body_html", "file",
    ]  # fmt: skip

    def __init__(
        self,
        *args: Any,
        items: QuerySet[AgendaItem],
        owners: QuerySet[Party],
        secretariat: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        item_field = self.fields["item"]
        owner_field = self.fields["owner"]
        assert isinstance(item_field, forms.ModelChoiceField)
        assert isinstance(owner_field, forms.ModelChoiceField)
        item_field.queryset = items
        owner_field.queryset = owners
        distribution_field = self.fields["distribution"]
        assert isinstance(distribution_field, forms.ChoiceField)
        if secretariat:
            distribution_field.choices = [
                (value, label)
                for value, label in Distribution.choices
                if value != Distribution.DELEGATION
            ]
        else:
            # Delegations file in their own name, under an issued symbol.
            del self.fields["symbol"]
            owner_field.required = True
            owner_field.empty_label = None
            distribution_field.choices = [
                (value, DELEGATION_LABELS.get(value, label))
                for value, label in Distribution.choices
            ]


class DocumentVersionForm(DocumentContentMixin):
    title = forms.CharField(max_length=200, label=_("Title"))


class NoteForm(forms.Form):
    session = forms.ModelChoiceField(
        queryset=Session.objects.none(), to_field_name="public_id", label=_("For the session")
    )
    title = forms.CharField(max_length=200, label=_("Title"))
    language = forms.ChoiceField(choices=Document.Language.choices, label=_("Language"))
    body_html = forms.CharField(
        label=_("Note"),
        widget=RichTextWidget(attrs={"rows": 14}),
        strip=False,
        help_text=RICH_TEXT_HELP,
    )

    def __init__(
        self, *args: Any, sessions: QuerySet[Session] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        session_field = self.fields["session"]
        assert isinstance(session_field, forms.ModelChoiceField)
        if sessions is None:
            del self.fields["session"]
        else:
            session_field.queryset = sessions


class AnnotationForm(forms.Form):
    """A note on a passage of a paper, from the briefing pack in the browser."""

    passage = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=False,
        label=_("Passage"),
        help_text=_("Words of the paper, as it reads now."),
    )
    body_html = forms.CharField(label=_("Your note"), widget=forms.Textarea(attrs={"rows": 6}))
