"""What a login sets up for the person: their preferred language for the session."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import user_logged_in
from django.contrib.auth.models import User
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import translation

from consult.i18n import PREFERRED_LANGUAGE_SESSION_KEY
from members.services.profiles import profile_language_first


@receiver(user_logged_in, dispatch_uid="members_preferred_language")
def keep_preferred_language(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """The first login takes the language the browser asked for (``Accept-Language``, or the
    switcher's cookie); every login puts the preference in the session for the pages."""
    if request is None or not hasattr(request, "session"):
        return
    offered = translation.get_language_from_request(request)
    language = profile_language_first(user=user, offered=offered)
    request.session[PREFERRED_LANGUAGE_SESSION_KEY] = language
    translation.activate(language)
    request.LANGUAGE_CODE = language
