"""An agenda item's title and description in the reader's language (consult/parallel.py):
the current translation when there is one, else the authoritative text with a note
saying why. No query: the translations are columns of the item's own row.

``{% with version=item|item_version %}`` then ``version.values.title``,
``version.values.description``, ``version.language`` (the ``lang`` of both) and
``{% include "agenda/_item_version_mark.html" %}`` for its mark; ``version.note``
says why the authoritative text is served instead of the reader's language.
"""

from django import template
from django.utils import translation

from agenda.models import AgendaItem
from agenda.models.agendas import AGENDA_ITEM_PARALLEL
from consult import parallel

register = template.Library()


@register.filter
def item_version(item: AgendaItem) -> parallel.Version:
    return parallel.version_for(item, AGENDA_ITEM_PARALLEL, translation.get_language())


@register.filter
def item_translations(item: AgendaItem) -> list[parallel.Available]:
    """The languages the item is translated into, each with its state (for the secretariat)."""
    return [
        language
        for language in parallel.available(item, AGENDA_ITEM_PARALLEL)
        if not language.authoritative
    ]
