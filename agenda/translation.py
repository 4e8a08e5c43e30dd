"""The agenda's translated columns (django-modeltranslation; consult/parallel.py).

Registering a field adds one column per working language beside it
(``title_translation_ru`` ...); the authoritative texts are not registered and
stay as they are. An item's title and description are parallel texts; a paper's
title is, its body is not.
"""

from modeltranslation.translator import TranslationOptions, register

from agenda.models import AgendaItem, Document


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = ("title_translation", "description_translation", "translation_state")


@register(Document)
class DocumentTranslationOptions(TranslationOptions):
    fields = ("title_translation", "translation_state")
