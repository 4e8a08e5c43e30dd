"""Fields most records share, as abstract bases (no table of their own).

Each field is defined exactly as the apps' migrations already have it, so moving
a model onto these bases changes no schema."""

import uuid

from django.db import models


class PublicIdModel(models.Model):
    """A record named in URLs and the API by a random UUID, never by its sequential id."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class CreatedAtModel(models.Model):
    """A record that keeps when it was made."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class TimestampedModel(CreatedAtModel):
    """A record that keeps when it was made and when it last changed."""

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
