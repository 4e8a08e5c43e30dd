"""503 with ``Retry-After`` for a store that is briefly out of reach, never 500.

The embedded SQLite database lets one transaction write at a time; a writer
waits up to the busy timeout (settings ``SQLITE_BUSY_TIMEOUT``) and, when the
lock is still held, the request is refused as a temporary condition: JSON on
``/api/``, a page elsewhere. Nothing was written, because the failed
statement's transaction was rolled back.
"""

import logging
from collections.abc import Callable

from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
_LOCKED_MESSAGES = ("database is locked", "database table is locked")


# What the database drivers say when the server is out of reach: temporary,
# unlike a missing table or a bad query, which stay loud server errors.
_UNREACHABLE_MESSAGES = (
    "connection refused",
    "could not connect",
    "connection failed",
    "server closed the connection",
    "terminating connection",
    "connection timeout",
)


def is_database_unreachable(exception: BaseException) -> bool:
    """The database server is out of reach (or SQLite's lock still held): retry later."""
    text = str(exception).lower()
    return isinstance(exception, OperationalError) and (
        is_database_busy(exception) or any(message in text for message in _UNREACHABLE_MESSAGES)
    )


def is_database_busy(exception: BaseException) -> bool:
    """SQLite's lock still held after the busy timeout."""
    return isinstance(exception, OperationalError) and any(
        message in str(exception) for message in _LOCKED_MESSAGES
    )


def unavailable_response(request: HttpRequest, detail: str) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": detail}, status=503)
    else:
        response = render(request, "503.html", {"detail": detail}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


BUSY_DETAIL = gettext_lazy("The platform is busy with other changes; try again in a few seconds.")


class DatabaseBusyMiddleware:
    """Answer 503 instead of 500 when a view (page or API) finds the database locked."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_busy(exception):
            return None
        logger.warning("%s %s: database still locked, answered 503", request.method, request.path)
        return unavailable_response(request, str(BUSY_DETAIL))


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a session row that cannot be saved while the lock is held
    answers 503 like a view would (the save comes after the view, past ``process_exception``)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        try:
            return super().process_response(request, response)
        except OperationalError as error:
            if not is_database_busy(error):
                raise
            logger.warning(
                "%s %s: session not saved, database locked", request.method, request.path
            )
            return unavailable_response(request, str(BUSY_DETAIL))
