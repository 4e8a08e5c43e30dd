"""Translations of agenda items' titles and descriptions (consult/parallel.py).

The secretariat writes them at any point of the agenda's life: a translation
leaves the authoritative item, its agenda's state and revision untouched, so
an adopted agenda can be translated without a new circulation. Changing the
authoritative title or description (``agenda_item_update``) outdates them.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from agenda.models import AgendaItem
from agenda.models.agendas import AGENDA_ITEM_PARALLEL
from audit.models import AuditEntry
from audit.services import audit_record
from consult.access import require_secretariat
from consult.actors import Actor
from consult.errors import ApplicationError
from consult.parallel import translation_confirm, translation_write
from consult.validation import clean_text


def _item_locked(item: AgendaItem) -> AgendaItem:
    return (
        AgendaItem.objects.select_related("session").select_for_update(of=("self",)).get(pk=item.pk)
    )


@transaction.atomic
def agenda_item_translation_set(
    *, item: AgendaItem, user: Actor, language: str, title: str, description: str = ""
) -> AgendaItem:
    """Add or rewrite the translation of an item's title and description into ``language``:
    an unofficial translation until the secretariat confirms it. Cleaned as the item's own
    are; a description is required when the item has one, so a reader never gets a
    translated title over a description left out."""
    require_secretariat(user, gettext("translate agenda items"))
    item = _item_locked(item)
    values = {
        "title": clean_text(
            title, field="title", label=gettext("The title"), max_length=200, visible=True
        ),
        "description": (description or "").strip(),
    }
    if item.description and not values["description"]:
        raise ApplicationError(
            gettext("The item has a description: translate it too."),
            fields={"description": [gettext("This field is required.")]},
        )
    fields = translation_write(item, AGENDA_ITEM_PARALLEL, language=language, values=values)
    item.save(update_fields=fields)
    audit_record(
        kind=AuditEntry.Kind.CHANGE,
        user=user,
        obj=item,
        summary=f"Wrote the {language} translation of item {item.order} of "
        f"{item.session.number} (unofficial).",
    )
    return item


@transaction.atomic
def agenda_item_translation_confirm(*, item: AgendaItem, user: Actor, language: str) -> AgendaItem:
    """The secretariat confirms a current translation; a missing or outdated one is refused."""
    require_secretariat(user, gettext("confirm translations"))
    item = _item_locked(item)
    fields = translation_confirm(item, AGENDA_ITEM_PARALLEL, language=language)
    if fields:
        item.save(update_fields=fields)
        audit_record(
            kind=AuditEntry.Kind.CHANGE,
            user=user,
            obj=item,
            summary=f"Confirmed the {language} translation of item {item.order} of "
            f"{item.session.number}.",
        )
    return item
