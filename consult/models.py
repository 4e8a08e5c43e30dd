"""Fields most records share, as abstract bases (no table of their own).

Each field is defined exactly as the apps' migrations already have it, so moving
a model onto these bases changes no schema."""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

from django.db import models
from django.utils.encoding import force_str


@cache
def _labels(field: models.Field[Any, Any]) -> dict[Any, Any]:
    """A field's choices as value -> (lazy) label, built once per field."""
    return dict(field.flatchoices)


class ChoiceLabelsModel(models.Model):
    """``get_FOO_display()`` in one dictionary lookup.

    Django's own rebuilds the field's choices on every call, evaluating each
    translated label to hash it: a list page of fifty rows showing two choice
    fields translated some five hundred labels to show a hundred."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        value = getattr(self, field.attname)
        try:
            label = _labels(field).get(value, value)
        except TypeError:  # an unhashable value (a list, a dict): Django's way
            return super()._get_FIELD_display(field)  # type: ignore[misc]
        return force_str(label, strings_only=True)


class PublicIdModel(ChoiceLabelsModel):
    """A record named in URLs and the API by a random UUID, never by its sequential id."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class CreatedAtModel(ChoiceLabelsModel):
    """A record that keeps when it was made."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class TimestampedModel(CreatedAtModel):
    """A record that keeps when it was made and when it last changed."""

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
