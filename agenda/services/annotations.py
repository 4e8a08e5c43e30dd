"""Private notes anchored to a passage of a paper written on the platform.

A note is a delegation paper like any other (filed by ``document_create``),
pointing at the paper and the words it is about, so it stays when the
briefing pack is rebuilt."""

from __future__ import annotations

import textwrap

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from agenda.models import (
    Document,
    DocumentVersion,
)
from agenda.services.documents import document_create
from consult.access import Distribution
from consult.actors import Actor
from consult.diff import html_to_text
from consult.errors import ApplicationError
from consult.sanitize import sanitize_html
from consult.validation import check_visible
from members.models import Party

PASSAGE_MAX_LENGTH = 2000


def _words(text: str) -> str:
    # A selection in the browser and the stored text differ in spaces and line breaks only.
    return " ".join(text.split())


@transaction.atomic
def note_annotate(
    *, user: Actor, paper: Document, passage: str, body_html: str, owner: Party | None = None
) -> Document:
    """A private note of the user's delegation on a passage of ``paper`` (one the user reads).

    The passage must be words of the paper's current text; the note is a note
    like any other (its delegation's alone, in its own copies of the pack and
    no one else's), anchored to the paper and the words, so it stays when the
    briefing pack is rebuilt.
    """
    if paper.category == Document.Category.NOTE:
        raise ApplicationError(
            _("A private note is not annotated: edit it instead."),
            fields={"paper": [_("Choose a paper, not a note.")]},
        )
    current = paper.versions.get(number=paper.current_version)
    if current.format != DocumentVersion.Format.RICH_TEXT:
        raise ApplicationError(
            _(
                "%(symbol)s is an uploaded file: only papers written on the platform are "
                "annotated; write a note on the session instead."
            )
            % {"symbol": paper.symbol},
            fields={"paper": [_("Not written on the platform.")]},
        )
    quoted = _words(passage or "")
    if not quoted:
        raise ApplicationError(
            _("Choose the passage the note is about."),
            fields={"passage": [_("This field is required.")]},
        )
    if len(quoted) > PASSAGE_MAX_LENGTH:
        raise ApplicationError(
            _("The passage is longer than %(max)s characters: choose fewer words.")
            % {"max": PASSAGE_MAX_LENGTH},
            fields={"passage": [_("At most %(max)s characters.") % {"max": PASSAGE_MAX_LENGTH}]},
        )
    check_visible(quoted, field="passage", label=_("The passage"))
    if quoted.casefold() not in _words(html_to_text(current.body_html)).casefold():
        raise ApplicationError(
            _(
                "The passage is not in the current text of %(symbol)s: "
                "choose words of the paper as it reads now."
            )
            % {"symbol": paper.symbol},
            fields={"passage": [_("Not words of this paper.")]},
        )
    if not html_to_text(sanitize_html(body_html or "").html).strip():
        raise ApplicationError(
            _("Write the note."), fields={"body_html": [_("This field is required.")]}
        )
    # The note's title is in its paper's language, as are the words it quotes and the
    # title's own language (``language``): a translation of it is a person's to write.
    with translation.override(paper.language):
        title = pgettext("private note's title", "On %(symbol)s: %(passage)s") % {
            "symbol": paper.symbol,
            "passage": quoted,
        }
    note = document_create(
        user=user,
        session=paper.session,
        item=paper.item,
        title=textwrap.shorten(title, width=200, placeholder="…"),
        language=paper.language,
        category=Document.Category.NOTE,
        distribution=Distribution.DELEGATION,
        owner=owner,
        body_html=body_html,
    )
    note.annotates = paper
    note.passage = quoted
    note.save(update_fields=["annotates", "passage", "updated_at"])
    return note
