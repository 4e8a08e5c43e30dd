"""Input checks the services share; a failed check is an ApplicationError worded for
the user, naming the field it is about."""

from __future__ import annotations

import unicodedata

from django.db import models
from django.utils.translation import gettext as _

from consult.errors import ApplicationError

# Characters that reorder or hide text: a title such as "Position of the
# \u202eASU" shows as "Position of the USA" reversed; a zero-width space makes
# two symbols look the same. Bidi embeddings, overrides, isolates and marks, and
# every other invisible format character (Unicode category Cf), are refused in
# the one-line texts that name things: titles, symbols, names.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)


def check_visible(value: str, *, field: str, label: str) -> str:
    """``value`` if every character of it shows; refused with the first hidden one named."""
    for position, character in enumerate(value, start=1):
        if (
            character in BIDI_CONTROLS
            or unicodedata.category(character) == "Cf"
            or (unicodedata.category(character) == "Cc" and character not in "\t")
        ):
            name = unicodedata.name(character, "a control character")
            code = f"U+{ord(character):04X}"
            raise ApplicationError(
                _(
                    "%(label)s contains an invisible character (%(code)s %(name)s) at position "
                    "%(position)s; such characters can reverse or hide text. Type it again "
                    "without it."
                )
                % {"label": label, "code": code, "name": name, "position": position},
                fields={
                    field: [_("Invisible character %(code)s is not allowed.") % {"code": code}]
                },
            )
    return value


def clean_text(
    value: str | None,
    *,
    field: str,
    label: str,
    max_length: int | None = None,
    visible: bool = False,
) -> str:
    """The text without surrounding blanks; refused when empty or longer than ``max_length``,
    and, for a name (``visible``), when it holds characters that do not show."""
    value = (value or "").strip()
    if visible:
        check_visible(value, field=field, label=label)
    if not value:
        raise ApplicationError(
            _("%(label)s is required.") % {"label": label},
            fields={field: [_("This field is required.")]},
        )
    if max_length is not None and len(value) > max_length:
        raise ApplicationError(
            _("%(label)s is longer than %(max)s characters.") % {"label": label, "max": max_length},
            fields={field: [_("At most %(max)s characters.") % {"max": max_length}]},
        )
    return value


def check_choice(value: str, choices: type[models.Choices], *, field: str, label: str) -> str:
    """``value`` if it is one of ``choices``; refused otherwise."""
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise ApplicationError(
            _("%(label)s “%(value)s” is not one of %(allowed)s.")
            % {"label": label, "value": value, "allowed": allowed},
            fields={field: [_("Choose one of %(allowed)s.") % {"allowed": allowed}]},
        )
    return value
