"""Reads of the analysts' API: personal tokens."""

import hmac
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from analytics.keys import hash_key, split_key
from analytics.models import ApiToken
from consult.actors import Actor


def api_token_list(*, user: Actor) -> QuerySet[ApiToken]:
    """The user's own tokens, live ones first; nobody lists another user's tokens."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk).order_by("revoked_at", "-created_at")


def api_token_get(*, user: Actor, public_id: UUID | str) -> ApiToken:
    try:
        return api_token_list(user=user).get(public_id=public_id)
    except (ApiToken.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("Not found.") from exc


def api_token_for_key(*, key: str) -> ApiToken | None:
    """The live token of an active user that ``key`` opens, else None (one query)."""
    parts = split_key(key)
    if parts is None:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=parts[0], revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, hash_key(key)):
        return None
    return token
