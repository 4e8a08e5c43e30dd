"""How long a signed-in session lasts.

A session ends after ``SESSION_IDLE_SECONDS`` without a request (30 minutes
by default) and, however busy, ``SESSION_ABSOLUTE_SECONDS`` after it began
(12 hours). Both are kept in the session itself, so ending one needs no
query; they are stamped at login and the last-seen time is written at most
once a minute, so reading pages does not turn every request into a write of
the session row.
"""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout, user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

STARTED_KEY = "consult_session_started_at"
SEEN_KEY = "consult_session_seen_at"
# Seconds between two writes of the last-seen time.
SEEN_RESOLUTION = 60


@receiver(user_logged_in, dispatch_uid="consult_session_started")
def stamp_session_start(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """A session begins at login: both clocks start there, saved with the login."""
    if request is not None and hasattr(request, "session"):
        request.session[STARTED_KEY] = request.session[SEEN_KEY] = time.time()


class SessionLifetimeMiddleware:
    """Logs out a session past its idle timeout or its absolute lifetime."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._expire_or_touch(request)
        return self.get_response(request)

    def _expire_or_touch(self, request: HttpRequest) -> None:
        now = time.time()
        session = request.session
        started = session.get(STARTED_KEY)
        seen = session.get(SEEN_KEY)
        if started is None or seen is None:
            session[STARTED_KEY] = session[SEEN_KEY] = now
            return
        if (
            now - seen >= settings.SESSION_IDLE_SECONDS
            or now - started >= settings.SESSION_ABSOLUTE_SECONDS
        ):
            # Flushes the session (its row too) and leaves the request anonymous.
            logout(request)
            return
        if now - seen >= SEEN_RESOLUTION:
            session[SEEN_KEY] = now
