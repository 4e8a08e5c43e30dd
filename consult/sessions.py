"""How long a signed-in session lasts.

A session ends after ``SESSION_IDLE_SECONDS`` without a request (30 minutes
by default) and, however busy, ``SESSION_ABSOLUTE_SECONDS`` after it began
(12 hours). Both are kept in the session itself, so ending one needs no
query; the last-seen time is written at most once a minute, so reading pages
does not turn every request into a write of the session row.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

STARTED_KEY = "consult_session_started_at"
SEEN_KEY = "consult_session_seen_at"
# Seconds between two writes of the last-seen time.
SEEN_RESOLUTION = 60


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
