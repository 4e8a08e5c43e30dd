# The parallel texts of a tabletop exercise (consult/parallel.py): its title, scenario and
# objectives, and each inject's text, with their authoritative language, and the columns django-modeltranslation
# registers per working language (crises/translation.py). Written as a loop, as
# 0005_toolkit_translations is: the same columns makemigrations would list one by one.
# Follows 0006 (the threats' translations).

from django.db import migrations, models

LANGUAGES = ("en", "fr", "ru")
STATES = [
    ("unofficial", "Unofficial translation"),
    ("confirmed", "Confirmed translation"),
    ("outdated", "Outdated: the authoritative text has changed"),
]


def _title(**null):
    return models.CharField(blank=True, max_length=240, **null)


def _scenario(**null):
    return models.TextField(blank=True, help_text="Sanitised rich text.", **null)


def _plain(**null):
    return models.TextField(blank=True, **null)


def _state(**null):
    return models.CharField(blank=True, choices=STATES, max_length=10, **null)


def _columns(model_name, translated):
    """The authoritative language, then each translated field and its column per language."""
    yield migrations.AddField(
        model_name=model_name,
        name="language",
        field=models.CharField(
            choices=[("en", "English"), ("ru", "Русский"), ("fr", "Français")],
            default="en",
            help_text="The language of the authoritative text.",
            max_length=2,
        ),
    )
    for name, field in translated:
        yield migrations.AddField(model_name=model_name, name=name, field=field())
        for language in LANGUAGES:
            yield migrations.AddField(
                model_name=model_name, name=f"{name}_{language}", field=field(null=True)
            )


class Migration(migrations.Migration):

    dependencies = [
        ("crises", "0006_threat_translations"),
    ]

    operations = [
        *_columns(
            "exercise",
            (
                ("title_translation", _title),
                ("translation_state", _state),
                ("scenario_translation", _scenario),
                ("objectives_translation", _plain),
            ),
        ),
        # An inject's text, which has no title.
        *_columns(
            "inject",
            (("translation_state", _state), ("text_translation", _plain)),
        ),
    ]
