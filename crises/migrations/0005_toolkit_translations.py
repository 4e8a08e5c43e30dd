# The parallel texts of the crisis toolkit (consult/parallel.py): a dossier's title and
# summary, an off-ramp's and a norm's title and text, each with its authoritative language,
# and the columns django-modeltranslation registers per working language (crises/translation.py).
# Written as a loop over the three models: the same thirteen columns each, as makemigrations
# would list them one by one.

from django.db import migrations, models

LANGUAGES = ("en", "fr", "ru")
STATES = [
    ("unofficial", "Unofficial translation"),
    ("confirmed", "Confirmed translation"),
    ("outdated", "Outdated: the authoritative text has changed"),
]


def _title(**null):
    return models.CharField(blank=True, max_length=240, **null)


def _text(**null):
    return models.TextField(blank=True, help_text="Sanitised rich text.", **null)


def _state(**null):
    return models.CharField(blank=True, choices=STATES, max_length=10, **null)


def _columns(model_name, text_name):
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
    translated = ((text_name, _text), ("title_translation", _title), ("translation_state", _state))
    for name, field in translated:
        yield migrations.AddField(model_name=model_name, name=name, field=field())
        for language in LANGUAGES:
            yield migrations.AddField(
                model_name=model_name, name=f"{name}_{language}", field=field(null=True)
            )


class Migration(migrations.Migration):

    dependencies = [
        ("crises", "0004_exercises"),
    ]

    operations = [
        *_columns("crisis", "summary_translation"),
        *_columns("norm", "text_translation"),
        *_columns("offramp", "text_translation"),
    ]
