"""The API's side of parallel texts (consult/parallel.py): the fields every serializer of
a parallel text carries, saying which language was served, whether it is authoritative,
and which languages exist.

A serializer of a parallel text inherits ``ParallelTextFields`` before its own
base, names its model's ``ParallelFields`` as ``parallel_spec``, lists the six
fields in its ``Meta.fields`` and reads the served values from
``self._parallel(obj)`` (``served["title"]``). The language served is the one
``Accept-Language`` asked for (LocaleMiddleware has activated it) when it is
authoritative or a current translation; otherwise the authoritative text, with
``language_note`` saying why.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from consult import parallel

PARALLEL_TEXT_FIELDS = [
    "language",
    "authoritative",
    "translation_state",
    "authoritative_language",
    "available_languages",
    "language_note",
]


def _last_version(
    serializer: serializers.Serializer[Any], key: str, obj: Any, spec: parallel.ParallelFields
) -> parallel.Version:
    """``obj``'s version of ``spec`` in the active language, kept under ``key`` on
    ``serializer`` for the last object only (a list's rows share the serializer): its
    fields read it one after the other."""
    last = serializer.__dict__.get(key)
    if last is not None and last[0] is obj:
        return cast(parallel.Version, last[1])
    version = parallel.version_for(obj, spec, translation.get_language())
    serializer.__dict__[key] = (obj, version)
    return version


class AvailableLanguageSerializer(serializers.Serializer[Any]):
    language = serializers.ChoiceField(choices=parallel.LANGUAGE_CODES)
    state = serializers.ChoiceField(
        choices=parallel.VERSION_STATES,
        help_text="authoritative, or the translation's state: unofficial (until the "
        "secretariat confirms it), confirmed, outdated (the authoritative text changed since).",
    )


class ParallelTextFields(serializers.Serializer[Any]):
    """The served language and the available ones, for a model with parallel texts."""

    parallel_spec: ClassVar[parallel.ParallelFields]

    language = serializers.SerializerMethodField()
    authoritative = serializers.SerializerMethodField()
    translation_state = serializers.SerializerMethodField()
    authoritative_language = serializers.SerializerMethodField()
    available_languages = serializers.SerializerMethodField()
    language_note = serializers.SerializerMethodField()

    def _parallel(self, obj: Any) -> parallel.Version:
        """The version served: the language ``Accept-Language`` asked for when it is current,
        else the authoritative text.

        Worked out once per object: the six fields above and the served texts all read
        it, one after the other (a list's rows share this serializer, so the last
        object's version is kept, not every row's).
        """
        return _last_version(self, "_parallel_last", obj, self.parallel_spec)

    @extend_schema_field(
        serializers.ChoiceField(
            choices=parallel.LANGUAGE_CODES, help_text="The language of the texts served."
        )
    )
    def get_language(self, obj: Any) -> str:
        return self._parallel(obj).language

    @extend_schema_field(
        serializers.BooleanField(help_text="Whether the text served is the authoritative one.")
    )
    def get_authoritative(self, obj: Any) -> bool:
        return self._parallel(obj).authoritative

    @extend_schema_field(
        serializers.ChoiceField(
            choices=parallel.SERVED_STATES,
            help_text="authoritative, or the served translation's state: unofficial or confirmed.",
        )
    )
    def get_translation_state(self, obj: Any) -> str:
        return self._parallel(obj).state

    @extend_schema_field(
        serializers.ChoiceField(
            choices=parallel.LANGUAGE_CODES, help_text="The language of the authoritative text."
        )
    )
    def get_authoritative_language(self, obj: Any) -> str:
        return self.parallel_spec.authoritative_language(obj)

    @extend_schema_field(AvailableLanguageSerializer(many=True))
    def get_available_languages(self, obj: Any) -> list[dict[str, str]]:
        return [
            {"language": available.language, "state": available.state}
            for available in self._parallel(obj).available
        ]

    @extend_schema_field(
        serializers.CharField(
            help_text="Why the authoritative text was served instead of the language asked "
            "for (in that language's words); empty otherwise."
        )
    )
    def get_language_note(self, obj: Any) -> str:
        return self._parallel(obj).note


class ServedTitleFields(serializers.Serializer[Any]):
    """The title of a parallel text wherever another resource names it (a summary): served
    in the language ``Accept-Language`` asks for when a current translation has it, else
    the authoritative title, with ``title_language`` and ``title_authoritative`` saying
    which. The translations are columns of the row itself: no query."""

    parallel_spec: ClassVar[parallel.ParallelFields]

    title = serializers.SerializerMethodField()
    title_language = serializers.SerializerMethodField()
    title_authoritative = serializers.SerializerMethodField()

    def _served(self, obj: Any) -> parallel.Version:
        # Worked out once per object, as ``ParallelTextFields._parallel`` does.
        return _last_version(self, "_served_last", obj, self.parallel_spec.title_only())

    @extend_schema_field(
        serializers.CharField(
            help_text="In the language Accept-Language asks for when a current translation "
            "has it (title_language says which), else the authoritative title."
        )
    )
    def get_title(self, obj: Any) -> str:
        return str(self._served(obj)["title"])

    @extend_schema_field(
        serializers.ChoiceField(
            choices=parallel.LANGUAGE_CODES, help_text="The language of the title served."
        )
    )
    def get_title_language(self, obj: Any) -> str:
        return self._served(obj).language

    @extend_schema_field(
        serializers.BooleanField(help_text="Whether the title served is the authoritative one.")
    )
    def get_title_authoritative(self, obj: Any) -> bool:
        return self._served(obj).authoritative
