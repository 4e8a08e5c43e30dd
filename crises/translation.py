"""The crisis toolkit's translated columns (django-modeltranslation; consult/parallel.py).

Registering a field adds one column per working language beside it
(``title_translation_ru`` ...); the authoritative title, summary, text and
description are not registered and stay as they are. An exercise translates its title,
scenario and objectives; an inject and an after-action report their text alone; a threat
its title and description.
"""

from modeltranslation.translator import TranslationOptions, register

from crises.models import AfterActionReport, Crisis, Exercise, Inject, Norm, OffRamp, Threat


@register(Crisis)
class CrisisTranslationOptions(TranslationOptions):
    fields = ("title_translation", "summary_translation", "translation_state")


@register(Exercise)
class ExerciseTranslationOptions(TranslationOptions):
    fields = (
        "title_translation",
        "scenario_translation",
        "objectives_translation",
        "translation_state",
    )


@register(Inject)
class InjectTranslationOptions(TranslationOptions):
    fields = ("text_translation", "translation_state")


@register(AfterActionReport)
class AfterActionReportTranslationOptions(TranslationOptions):
    fields = ("text_translation", "translation_state")


@register(Norm)
class NormTranslationOptions(TranslationOptions):
    fields = ("title_translation", "text_translation", "translation_state")


@register(OffRamp)
class OffRampTranslationOptions(TranslationOptions):
    fields = ("title_translation", "text_translation", "translation_state")


@register(Threat)
class ThreatTranslationOptions(TranslationOptions):
    fields = ("title_translation", "description_translation", "translation_state")
