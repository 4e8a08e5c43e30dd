"""The communiqué's translated columns (django-modeltranslation; consult/parallel.py).

Registering a field adds one column per working language beside it
(``title_translation_ru`` ...); the authoritative title and text are not
registered and stay as they are.
"""

from modeltranslation.translator import TranslationOptions, register

from minutes.models import Communique


@register(Communique)
class CommuniqueTranslationOptions(TranslationOptions):
    fields = ("title_translation", "text_translation", "translation_state")
