# The parallel texts of the threat list (consult/parallel.py): a threat's title and
# description with its authoritative language, and the columns django-modeltranslation
# registers per working language (crises/translation.py). Written as a loop, as
# 0005_toolkit_translations is: the same thirteen columns makemigrations would list.

from django.db import migrations, models

LANGUAGES = ("en", "fr", "ru")
STATES = [
    ("unofficial", "Unofficial translation"),
    ("confirmed", "Confirmed translation"),
    ("outdated", "Outdated: the authoritative text has changed"),
]


def _title(**null):
    return models.CharField(blank=True, max_length=240, **null)


def _description(**null):
    # Plain text, as the threat's own description is.
    return models.TextField(blank=True, **null)


def _state(**null):
    return models.CharField(blank=True, choices=STATES, max_length=10, **null)


def _columns():
    """The authoritative language, then each translated field and its column per language."""
    yield migrations.AddField(
        model_name="threat",
        name="language",
        field=models.CharField(
            choices=[("en", "English"), ("ru", "Русский"), ("fr", "Français")],
            default="en",
            help_text="The language of the authoritative text.",
            max_length=2,
        ),
    )
    translated = (
        ("description_translation", _description),
        ("title_translation", _title),
        ("translation_state", _state),
    )
    for name, field in translated:
        yield migrations.AddField(model_name="threat", name=name, field=field())
        for language in LANGUAGES:
            yield migrations.AddField(
                model_name="threat", name=f"{name}_{language}", field=field(null=True)
            )


class Migration(migrations.Migration):

    dependencies = [
        ("crises", "0005_toolkit_translations"),
    ]

    operations = [*_columns()]
