"""Where a request comes from and who sent it, for the audit entries its services record.

Services take no request; the middleware puts the request in a context
variable for its duration, and ``audit_record`` reads the client's address
(and, when a service does not name one, the signed-in user) from it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or, behind ``NUM_PROXIES`` trusted
    proxies (the REST framework setting, shared with the API's throttles), the
    address the outermost trusted proxy saw in ``X-Forwarded-For``. A header the
    client wrote itself is never believed past that count."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = int(str(settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            remote = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        return ""


def current_ip() -> str:
    request = _request.get()
    return client_ip(request) if request is not None else ""


def current_user() -> Any:
    """The request's signed-in user (by session or API token), or None."""
    request = _request.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
