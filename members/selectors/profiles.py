"""A person's own choices, read for them or for what is sent to them."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from members.models import Profile


def profile_languages(*, user_ids: Iterable[int]) -> dict[int, str]:
    """Each user's preferred language, in one query; the site's default for those without one."""
    ids = list(user_ids)
    chosen = dict(Profile.objects.filter(user_id__in=ids).values_list("user_id", "language"))
    return {user_id: chosen.get(user_id, settings.LANGUAGE_CODE) for user_id in ids}
