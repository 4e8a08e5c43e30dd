"""The agenda item's translated columns (django-modeltranslation; consult/parallel.py).

Registering a field adds one column per working language beside it
(``title_translation_ru`` ...); the authoritative title and description are not
registered and stay as they are.
"""

from modeltranslation.translator import TranslationOptions, register

from agenda.models import AgendaItem


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = ("title_translation", "description_translation", "translation_state")
