"""Translations of agenda items' titles and descriptions (consult/parallel.py).

The secretariat writes them at any point of the agenda's life: a translation
leaves the authoritative item, its agenda's state and revision untouched, so
an adopted agenda can be translated without a new circulation. Changing the
authoritative title or description (``agenda_item_update``) outdates them.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy

from agenda.models import AgendaItem
from agenda.models.agendas import AGENDA_ITEM_PARALLEL
from consult import parallel_services
from consult.actors import Actor
from consult.errors import ApplicationError
from consult.validation import clean_text


def _item_locking() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.select_related("session").select_for_update(of=("self",))


def _item_named(item: AgendaItem) -> str:
    return f"item {item.order} of {item.session.number}"


@transaction.atomic
def agenda_item_translation_set(
    *, item: AgendaItem, user: Actor, language: str, title: str, description: str = ""
) -> AgendaItem:
    """Add or rewrite the translation of an item's title and description into ``language``:
    an unofficial translation until the secretariat confirms it. Cleaned as the item's own
    are; a description is required when the item has one, so a reader never gets a
    translated title over a description left out."""

    def values(locked: AgendaItem) -> dict[str, str]:
        cleaned = {
            "title": clean_text(
                title, field="title", label=gettext("The title"), max_length=200, visible=True
            ),
            "description": (description or "").strip(),
        }
        if locked.description and not cleaned["description"]:
            raise ApplicationError(
                gettext("The item has a description: translate it too."),
                fields={"description": [gettext("This field is required.")]},
            )
        return cleaned

    return parallel_services.translation_record(
        item,
        AGENDA_ITEM_PARALLEL,
        user=user,
        language=language,
        values=values,
        may=parallel_services.secretariat(gettext_lazy("translate agenda items")),
        locking=_item_locking(),
        named=_item_named,
    )


@transaction.atomic
def agenda_item_translation_confirm(*, item: AgendaItem, user: Actor, language: str) -> AgendaItem:
    """The secretariat confirms a current translation; a missing or outdated one is refused."""
    return parallel_services.translation_confirm_record(
        item,
        AGENDA_ITEM_PARALLEL,
        user=user,
        language=language,
        may=parallel_services.secretariat(gettext_lazy("confirm translations")),
        locking=_item_locking(),
        named=_item_named,
    )
