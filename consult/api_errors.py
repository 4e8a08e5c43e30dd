"""Every answer under ``/api/`` is JSON, errors included.

DRF's views already answer ``{"detail": ...}`` (consult/errors.py); this
middleware covers what happens outside them: a path no route matches (a
malformed id), a body past the size limits, a server error, the database
being unavailable. It sits first in ``MIDDLEWARE`` so that it sees every
response, and leaves pages (anything outside ``/api/``) alone.
"""

import logging
from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from rest_framework.response import Response as DrfResponse

from consult.errors import NOT_FOUND_DETAIL
from consult.unavailable import is_database_unreachable

logger = logging.getLogger("django.request")

API_PREFIX = "/api/"
# Seconds a client is asked to wait when the database is unavailable.
UNAVAILABLE_RETRY_AFTER = 30
# Headers an error keeps when its body is rewritten as JSON.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary", "Cache-Control")


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def error_response(status: int, detail: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def body_limit(request: HttpRequest) -> int:
    """The largest body an API request may send: form fields, plus one paper when multipart."""
    limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if request.content_type == "multipart/form-data":
        limit += int(settings.DOCUMENT_MAX_UPLOAD_BYTES)
    return limit


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _detail_for(status: int) -> str:
    if status == HTTPStatus.NOT_FOUND:
        # The same body as a refused read (consult/errors.py): existence is never revealed.
        return str(NOT_FOUND_DETAIL)
    try:
        return f"{HTTPStatus(status).phrase}."  # the HTTP reason phrase, as the RFC names it
    except ValueError:
        return "Error."


class ApiErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api_request(request):
            return self.get_response(request)
        limit = body_limit(request)
        if declared_length(request) > limit:
            # Refused before anything reads the body (DRF's JSON parser reads it
            # whole, past DATA_UPLOAD_MAX_MEMORY_SIZE).
            return error_response(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                _("The request body is larger than the limit of %(limit)d bytes.")
                % {"limit": limit},
            )
        return self.as_json(self.get_response(request))

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_api_request(request):
            return None
        if isinstance(exception, RequestDataTooBig):
            return error_response(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                _("The request body is larger than the limit."),
            )
        if isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
            return error_response(HTTPStatus.BAD_REQUEST, str(exception))
        if is_database_unreachable(exception):
            logger.error(
                "Database unavailable: %s",
                request.path,
                exc_info=exception,
                extra={"status_code": 503, "request": request},
            )
            return error_response(
                HTTPStatus.SERVICE_UNAVAILABLE,
                _("The service is unavailable for a moment; retry later."),
                Retry_After=str(UNAVAILABLE_RETRY_AFTER),
            )
        return None

    @staticmethod
    def as_json(response: HttpResponse) -> HttpResponse:
        """An error answered outside DRF (Django's 404, 400 and 500 pages) rewritten as JSON."""
        if response.status_code < 400 or isinstance(response, DrfResponse):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        rewritten = error_response(response.status_code, _detail_for(response.status_code))
        for name in KEPT_HEADERS:
            if name in response:
                rewritten[name] = response[name]
        return rewritten
