"""The agenda's translated columns (django-modeltranslation; consult/parallel.py).

Registering a field adds one column per working language beside it
(``title_translation_ru`` ...); the authoritative texts are not registered and
stay as they are. A paper's title is a parallel text; its body is not.
"""

from modeltranslation.translator import TranslationOptions, register

from agenda.models import Document


@register(Document)
class DocumentTranslationOptions(TranslationOptions):
    fields = ("title_translation", "translation_state")
