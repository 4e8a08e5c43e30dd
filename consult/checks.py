"""Input checks the services share; a failed check is an ApplicationError worded for
the user, naming the field it is about."""

from __future__ import annotations

from django.db import models

from consult.errors import ApplicationError


def clean_text(value: str | None, *, field: str, label: str, max_length: int | None = None) -> str:
    """The text without surrounding blanks; refused when empty or longer than ``max_length``."""
    value = (value or "").strip()
    if not value:
        raise ApplicationError(f"{label} is required.", fields={field: ["This field is required."]})
    if max_length is not None and len(value) > max_length:
        raise ApplicationError(
            f"{label} is longer than {max_length} characters.",
            fields={field: [f"At most {max_length} characters."]},
        )
    return value


def check_choice(value: str, choices: type[models.Choices], *, field: str, label: str) -> str:
    """``value`` if it is one of ``choices``; refused otherwise."""
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise ApplicationError(
            f"{label} “{value}” is not one of {allowed}.",
            fields={field: [f"Choose one of {allowed}."]},
        )
    return value
