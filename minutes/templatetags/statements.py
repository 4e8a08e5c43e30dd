"""``{% statement_entry statement %}``: one statement as the minutes, the statements
list and the amendment form show it.

Attributed only through the selector's display fields (``display_party``,
``display_speaker``: the Chatham House rule), never the statement's own party
or speaker. Built in Python: the statements list shows fifty of them and the
minutes a session's worth, and through an included template each cost its
page more than reading it.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from minutes.models import Statement

register = template.Library()


@register.simple_tag
def statement_entry(statement: Any) -> SafeString:
    """``statement``: a Statement from a selector that annotated its display fields and
    prefetched its ``visible_documents``."""
    party = statement.display_party_name
    if statement.kind == Statement.Kind.INTERPRETATIVE:
        heading = _("Interpretative statement by %(party)s") % {"party": party}
    else:
        heading = party
    speaker = statement.display_speaker
    attribution = format_html(" ({})", speaker) if speaker and speaker != party else ""
    full_text = ""
    if statement.full_text:
        # Sanitised by consult.sanitize when stored.
        full_text = format_html(
            '<details><summary>{}</summary><div class="rich-text">{}</div></details>',
            _("Full text"),
            mark_safe(statement.full_text),  # noqa: S308 (sanitised on the way in)
        )
    documents = ""
    if statement.visible_documents:
        documents = format_html(
            '<p class="documents">{} {}</p>',
            _("Referring to:"),
            format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                (
                    (document.get_absolute_url(), document.symbol)
                    for document in statement.visible_documents
                ),
            ),
        )
    return format_html(
        '<li id="statement-{}"><p><strong>{}</strong>{}: {}</p>{}{}</li>',
        statement.public_id,
        heading,
        attribution,
        linebreaksbr(statement.summary, autoescape=True),
        full_text,
        documents,
    )
