"""Secret calendar URLs: a token is shown once, only its hash is stored; rotating revokes."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from agenda.models import CalendarFeed
from consult.actors import Actor


def calendar_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_rotate(*, user: Actor) -> str:
    """Issue a new secret token for ``user``'s feed; the previous URL stops working at once."""
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDenied(_("Only an active user has a calendar feed."))
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.filter(user=user).delete()
    CalendarFeed.objects.create(user=user, token_hash=calendar_token_hash(token))
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: Actor) -> None:
    """Switch the feed off: no URL answers until a new token is issued."""
    if isinstance(user, User):
        CalendarFeed.objects.filter(user=user).delete()
