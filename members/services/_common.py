"""Helpers shared by the members services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from consult.errors import ApplicationError
from consult.quarters import Quarter


def validate(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Run the model's field, unique and constraint checks; refuse with their messages."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        fields = {
            name: [str(message) for message in messages]
            for name, messages in error.message_dict.items()
        }
        summary = " ".join(message for messages in fields.values() for message in messages)
        raise ApplicationError(summary, fields=fields) from error


def as_quarter(value: Quarter | str) -> Quarter:
    if isinstance(value, Quarter):
        return value
    try:
        return Quarter.parse(value)
    except ValueError as error:
        raise ApplicationError(str(error), fields={"quarter": [str(error)]}) from error
