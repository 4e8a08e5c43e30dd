"""The secretariat's page of an agenda item's translations (consult/parallel_views.py):
each language's state, a form to add or update one (an unofficial translation until
confirmed) and the confirm buttons. Open at any point of the agenda's life: a
translation changes neither the item nor its agenda."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from agenda.models import AgendaItem
from agenda.models.agendas import AGENDA_ITEM_PARALLEL
from agenda.selectors.agendas import agenda_item_get
from agenda.services import translations as services
from consult.parallel_views import TranslatedText, translation_pages


def _agenda_url(item: AgendaItem) -> str:
    return reverse("agenda:agenda_build", kwargs={"public_id": item.session.public_id})


agendaitem_translations, agendaitem_translation_confirm = translation_pages(
    TranslatedText(
        "agenda:agendaitem",
        agenda_item_get,
        AGENDA_ITEM_PARALLEL,
        # Required when the item has one (the service says so too); plain text, as the
        # item's own description is.
        "description",
        gettext_lazy("Description"),
        rich_text=False,
        back=_agenda_url,
        keyword="item",
        note=gettext_lazy(
            "One language is authoritative; a translation is unofficial until the "
            "secretariat confirms it, and outdated once the item's title or "
            "description changes."
        ),
        title_max_length=200,
    ),
    write=services.agenda_item_translation_set,
    confirm=services.agenda_item_translation_confirm,
)
