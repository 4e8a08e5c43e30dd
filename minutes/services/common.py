"""Checks shared by the record's services; each refusal is an ApplicationError."""

from __future__ import annotations

from typing import Any

from consult.access import current_memberships, is_secretariat
from consult.errors import ApplicationError
from members.models import Party

User = Any


def require_secretariat(user: User, doing: str) -> None:
    if not is_secretariat(user):
        raise ApplicationError(f"Only the secretariat may {doing}.")


def require_delegate(user: User, party: Party, doing: str) -> None:
    """The user speaks for ``party`` now: a current (accredited) member of its delegation."""
    if not current_memberships(user).filter(delegation__party=party).exists():
        raise ApplicationError(
            f"Only a current member of the delegation of {party.name_en} may {doing}.",
            fields={"party": ["You do not belong to this delegation."]},
        )


def clean_text(value: str | None, *, field: str, label: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(f"{label} is required.", fields={field: ["This field is required."]})
    if max_length is not None and len(value) > max_length:
        raise ApplicationError(
            f"{label} is longer than {max_length} characters.",
            fields={field: [f"At most {max_length} characters."]},
        )
    return value


def check_choice(value: str, choices: Any, *, field: str, label: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise ApplicationError(
            f"{label} “{value}” is not one of {allowed}.",
            fields={field: [f"Choose one of {allowed}."]},
        )
    return value
