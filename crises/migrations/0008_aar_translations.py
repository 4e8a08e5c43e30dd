# The parallel text of an after-action report (consult/parallel.py): its text, with its
# authoritative language, and the columns django-modeltranslation registers per working
# language (crises/translation.py). Written as a loop, as 0007_exercise_translations is:
# the same columns makemigrations would list one by one.

from django.db import migrations, models

LANGUAGES = ("en", "fr", "ru")
STATES = [
    ("unofficial", "Unofficial translation"),
    ("confirmed", "Confirmed translation"),
    ("outdated", "Outdated: the authoritative text has changed"),
]


def _text(**null):
    return models.TextField(blank=True, help_text="Sanitised rich text.", **null)


def _state(**null):
    return models.CharField(blank=True, choices=STATES, max_length=10, **null)


def _columns():
    """The authoritative language, then each translated field and its column per language."""
    yield migrations.AddField(
        model_name="afteractionreport",
        name="language",
        field=models.CharField(
            choices=[("en", "English"), ("ru", "Русский"), ("fr", "Français")],
            default="en",
            help_text="The language of the authoritative text.",
            max_length=2,
        ),
    )
    for name, field in (("translation_state", _state), ("text_translation", _text)):
        yield migrations.AddField(model_name="afteractionreport", name=name, field=field())
        for language in LANGUAGES:
            yield migrations.AddField(
                model_name="afteractionreport",
                name=f"{name}_{language}",
                field=field(null=True),
            )


class Migration(migrations.Migration):

    dependencies = [
        ("crises", "0007_exercise_translations"),
    ]

    operations = [*_columns()]
