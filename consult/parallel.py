"""Parallel texts: one authoritative version of a text and a translation per working language.

A text keeps its authoritative version where it always was (the model's own
fields, in the language named by its ``language`` field), so everything that
reads, signs, compares or searches the authoritative text is unchanged. Its
translations are fields registered with django-modeltranslation (each
``<model>/translation.py``): one column per working language on the model's
own table, e.g. ``title_translation_ru``, ``text_translation_fr`` and
``translation_state_ru``, so reading any language, and every language's
state, costs no join and no query per row. The columns of the text's own
authoritative language stay empty.

This module holds the rules every parallel text shares:

- which version a reader gets (``version_for``): their language when a
  translation exists and is current (unofficial or confirmed), otherwise the
  authoritative text with a note saying so;
- writing a translation (``translation_write``): refused in an unknown language
  or in the text's own authoritative language; a new or rewritten translation
  (also an outdated one written again) is an unofficial translation until the
  secretariat confirms it (``translation_confirm``, refused for a missing or
  outdated translation);
- editing the authoritative text marks every translation outdated
  (``translations_outdate``).

The functions change the instance and name the columns to save; the app's
service checks who may do it, locks the row, saves and audits, in one
transaction, so a refusal leaves nothing half-saved.

Modeltranslation's descriptor on a registered field (``obj.text_translation``)
answers in the active language with fallbacks; nothing here reads it, since
the rules above (no outdated text, a note instead of a silent fallback) are
not its rules: the per-language columns are read by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from consult.errors import ApplicationError

# The state reported for the authoritative version itself (never stored).
AUTHORITATIVE = "authoritative"


class TranslationState(models.TextChoices):
    """The state of one translation; empty when there is none."""

    UNOFFICIAL = "unofficial", gettext_lazy("Unofficial translation")
    CONFIRMED = "confirmed", gettext_lazy("Confirmed translation")
    OUTDATED = "outdated", gettext_lazy("Outdated: the authoritative text has changed")


# Every state a listed version may report, and those of a served one, for the API's enums.
VERSION_STATES = [AUTHORITATIVE, *TranslationState.values]
SERVED_STATES = [AUTHORITATIVE, TranslationState.UNOFFICIAL.value, TranslationState.CONFIRMED.value]
# The states whose text is served to readers.
CURRENT_STATES = frozenset({TranslationState.UNOFFICIAL, TranslationState.CONFIRMED})
# A translated title may run longer than an authoritative one of 200 characters: Russian
# and French take more words for the same thing.
TITLE_MAX_LENGTH = 240
# The working languages' codes, for the API's enums (field values are never translated).
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


def language_name_choices() -> list[tuple[str, str]]:
    """The working languages named in the reader's language: a form's choices."""
    return [(code, capfirst(language_name(code))) for code in LANGUAGE_CODES]


def language_name(code: str) -> str:
    """The language's name in the active language ("Russian", "русский", "russe"): Russian and
    French write it in lower case, in a sentence as in a list."""
    name = str(get_language_info(code)["name_translated"])
    return name if get_language() == "en" else name.lower()


def check_language(code: str | None, *, field_name: str = "language") -> str:
    """``code`` if it is a working language; refused otherwise."""
    code = (code or "").strip().lower()
    if code not in language_codes():
        allowed = ", ".join(language_codes())
        raise ApplicationError(
            _("“%(code)s” is not a working language; use one of %(allowed)s.")
            % {"code": code, "allowed": allowed},
            fields={field_name: [_("Choose one of %(allowed)s.") % {"allowed": allowed}]},
        )
    return code


@dataclass(frozen=True, slots=True)
class ParallelFields:
    """Where a model keeps its parallel texts.

    ``fields`` maps each authoritative field to its registered translation
    field: ``{"title": "title_translation"}`` reads ``title`` for the
    authoritative text and ``title_translation_<lang>`` for a translation.
    ``sources`` may name where the authoritative value is read instead of the
    field itself (a communiqué's text lives in its latest version).
    """

    fields: Mapping[str, str]
    language_field: str = "language"
    state_field: str = "translation_state"
    sources: Mapping[str, str] = field(default_factory=dict)

    def authoritative_language(self, obj: Any) -> str:
        return str(getattr(obj, self.language_field))

    def title_only(self) -> ParallelFields:
        """The same text's title alone: where a text is named in passing, its other
        fields (a description, a summary) are neither read nor loaded."""
        return ParallelFields(
            fields={"title": self.fields["title"]},
            language_field=self.language_field,
            state_field=self.state_field,
            sources={name: source for name, source in self.sources.items() if name == "title"},
        )

    def state(self, obj: Any, language: str) -> str:
        """``authoritative``, a ``TranslationState`` value, or "" when there is none."""
        if language == self.authoritative_language(obj):
            return AUTHORITATIVE
        return str(getattr(obj, f"{self.state_field}_{language}", "") or "")

    def authoritative_value(self, obj: Any, name: str) -> Any:
        value = obj
        for part in self.sources.get(name, name).split("."):
            value = getattr(value, part, None) if value is not None else None
        return value if value is not None else ""

    def translation_value(self, obj: Any, name: str, language: str) -> str:
        return str(getattr(obj, f"{self.fields[name]}_{language}", "") or "")


@dataclass(frozen=True, slots=True)
class Available:
    """One language a text exists in, with its state."""

    language: str
    state: str

    @property
    def authoritative(self) -> bool:
        return self.state == AUTHORITATIVE

    @property
    def current(self) -> bool:
        return self.state == AUTHORITATIVE or self.state in CURRENT_STATES

    @property
    def name(self) -> str:
        return language_name(self.language)

    @property
    def state_label(self) -> str:
        if self.authoritative:
            return _("Authoritative")
        return str(TranslationState(self.state).label)


@dataclass(frozen=True, slots=True)
class Version:
    """What a reader who asked for ``requested`` is given."""

    requested: str
    language: str
    state: str
    authoritative_language: str
    values: dict[str, Any]
    available: list[Available]
    note: str = ""

    @property
    def authoritative(self) -> bool:
        return self.state == AUTHORITATIVE

    @property
    def state_label(self) -> str:
        return Available(self.language, self.state).state_label

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def mark(self) -> str:
        """What a briefing pack says of this version beside the text: a translation's state,
        or why the authoritative text stands in for the language asked for; empty for the
        authoritative text read in its own language."""
        return self.note or ("" if self.authoritative else self.state_label)

    @property
    def short_note(self) -> str:
        """The note in a few words, for a row of a list or a heading: the authoritative
        text's language and why it stands in for the one asked for; empty otherwise."""
        if not self.note:
            return ""
        outdated = any(
            available.language == self.requested and available.state == TranslationState.OUTDATED
            for available in self.available
        )
        if outdated:
            wording = _("in %(language)s: the translation is outdated")
        else:
            wording = _("in %(language)s: not translated yet")
        return wording % {"language": self.language_name}

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


class ParallelLanguageModel(models.Model):
    """The columns every parallel text's model shares: its authoritative language and the
    translation's state. A text without a title (an exercise's inject) stands on this base
    alone; a titled one on ``ParallelTextModel``. Each model adds its own translated text
    (``text_translation``, ``summary_translation``) and registers the translated fields
    with django-modeltranslation (``<app>/translation.py``), which puts one column per
    working language beside each. Defined exactly as the communiqué's migration has them,
    so a model moved onto this base changes no schema."""

    language = models.CharField(
        max_length=2,
        choices=language_choices(),
        default="en",
        help_text="The language of the authoritative text.",
    )
    translation_state = models.CharField(
        max_length=10, choices=TranslationState.choices, blank=True
    )

    class Meta:
        abstract = True


class ParallelTextModel(ParallelLanguageModel):
    """A parallel text with a title: the translated title beside the shared columns."""

    title_translation = models.CharField(max_length=240, blank=True)

    class Meta:
        abstract = True


def available(obj: Any, spec: ParallelFields) -> list[Available]:
    """The authoritative language first, then each language with a translation (any state)."""
    authoritative = spec.authoritative_language(obj)
    languages = [Available(authoritative, AUTHORITATIVE)]
    for code in language_codes():
        if code == authoritative:
            continue
        state = spec.state(obj, code)
        if state:
            languages.append(Available(code, state))
    return languages


def version_for(obj: Any, spec: ParallelFields, language: str | None) -> Version:
    """The version of ``obj`` a reader asking for ``language`` gets.

    Their language when it is authoritative or a current translation;
    otherwise (an unknown code, no translation, an outdated one) the
    authoritative text with a note saying why.
    """
    authoritative = spec.authoritative_language(obj)
    requested = language if language in language_codes() else authoritative
    languages = available(obj, spec)
    state = spec.state(obj, requested)
    if state == AUTHORITATIVE or state in CURRENT_STATES:
        served = requested
        if state == AUTHORITATIVE:
            values = {name: spec.authoritative_value(obj, name) for name in spec.fields}
        else:
            values = {name: spec.translation_value(obj, name, served) for name in spec.fields}
        return Version(requested, served, state, authoritative, values, languages)
    values = {name: spec.authoritative_value(obj, name) for name in spec.fields}
    wording = {"language": language_name(requested), "authoritative": language_name(authoritative)}
    if state == TranslationState.OUTDATED:
        note = _(
            "The %(language)s translation is outdated: the authoritative text has changed "
            "since it was written. This is the authoritative %(authoritative)s text."
        )
    else:
        note = _(
            "This text has no %(language)s version yet. This is the authoritative "
            "%(authoritative)s text."
        )
    return Version(
        requested, authoritative, AUTHORITATIVE, authoritative, values, languages, note % wording
    )


def _check_translatable(obj: Any, spec: ParallelFields, language: str) -> str:
    language = check_language(language)
    if language == spec.authoritative_language(obj):
        raise ApplicationError(
            _(
                "%(language)s is this text's authoritative language: change the text itself, "
                "not a translation."
            )
            % {"language": language_name(language)},
            fields={"language": [_("Choose another language than the authoritative one.")]},
        )
    return language


def translation_write(
    obj: Any, spec: ParallelFields, *, language: str, values: Mapping[str, str]
) -> list[str]:
    """Set the translation of ``obj`` into ``language``: an unofficial translation until
    confirmed (also when it was confirmed or outdated). Returns the columns to save."""
    language = _check_translatable(obj, spec, language)
    unknown = set(values) - set(spec.fields)
    assert not unknown, f"Not parallel fields: {unknown}"
    changed = []
    for name, value in values.items():
        column = f"{spec.fields[name]}_{language}"
        setattr(obj, column, value)
        changed.append(column)
    state_column = f"{spec.state_field}_{language}"
    setattr(obj, state_column, TranslationState.UNOFFICIAL.value)
    return [*changed, state_column]


def translation_confirm(obj: Any, spec: ParallelFields, *, language: str) -> list[str]:
    """The secretariat confirms the translation into ``language``; refused when there is
    none or it is outdated. Confirming a confirmed translation changes nothing."""
    language = _check_translatable(obj, spec, language)
    state = spec.state(obj, language)
    if not state:
        raise ApplicationError(
            _("This text has no %(language)s translation to confirm.")
            % {"language": language_name(language)}
        )
    if state == TranslationState.OUTDATED:
        raise ApplicationError(
            _(
                "The %(language)s translation is outdated: the authoritative text has changed "
                "since it was written. Update the translation before confirming it."
            )
            % {"language": language_name(language)}
        )
    if state == TranslationState.CONFIRMED:
        return []
    state_column = f"{spec.state_field}_{language}"
    setattr(obj, state_column, TranslationState.CONFIRMED.value)
    return [state_column]


def translations_outdate(obj: Any, spec: ParallelFields) -> list[str]:
    """The authoritative text changed: every existing translation is outdated until rewritten."""
    changed = []
    for code in language_codes():
        if spec.state(obj, code) in CURRENT_STATES:
            column = f"{spec.state_field}_{code}"
            setattr(obj, column, TranslationState.OUTDATED.value)
            changed.append(column)
    return changed


def language_to_edit(asked: str | None, authoritative: str) -> str:
    """The translation a translations page's form opens on: ``asked`` (its ``?lang=``) when
    it names another working language than the authoritative one, else the first such."""
    codes = language_codes()
    if asked in codes and asked != authoritative:
        return asked
    return next(code for code in codes if code != authoritative)


def language_states(obj: Any, spec: ParallelFields) -> list[tuple[str, str, str]]:
    """Each working language of ``obj`` as (code, name, state): a translations page's table."""
    return [(code, language_name(code), spec.state(obj, code)) for code in language_codes()]


def translation_columns(spec: ParallelFields) -> list[str]:
    """Every per-language column of ``spec`` (for ``only()`` and tests)."""
    names = [*spec.fields.values(), spec.state_field]
    return [f"{name}_{code}" for name in names for code in language_codes()]


def served_title(obj: Any, spec: ParallelFields) -> str:
    """The title of ``obj`` in the active language when a current translation has it, else
    its authoritative title: where a text is named in passing (a row, a link, a line of a
    timeline), without the mark of its state."""
    return str(version_for(obj, spec.title_only(), get_language())["title"])


def served_title_marked(obj: Any, spec: ParallelFields) -> SafeString:
    """``served_title`` as HTML, marked with the language it is in (``<span lang="en">``):
    where a title named in passing sits in a sentence of the reader's language and may be
    the authoritative one in another."""
    version = version_for(obj, spec.title_only(), get_language())
    return format_html('<span lang="{}">{}</span>', version.language, version["title"])


def title_columns(spec: ParallelFields, prefix: str = "") -> list[str]:
    """What serving the title of ``spec`` (a column ``title``) reads, ``prefix`` before
    each (``item__`` for ``only()`` across a relation): the authoritative title and
    language, and each language's translated title and state."""
    names = [spec.fields["title"], spec.state_field]
    columns = ["title", spec.language_field]
    columns += [f"{name}_{code}" for name in names for code in language_codes()]
    return [prefix + column for column in columns]
