"""Where a request comes from and who sent it, for the audit entries its services record.

Services take no request; the middleware puts the request in a context
variable for its duration, and ``audit_record`` reads the client's address
(and, when a service does not name one, the signed-in user) from it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse

from consult.logins import client_ip as login_client_ip

_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def client_ip(request: HttpRequest) -> str:
    """The client's address as the login limits and the API's throttles read it
    (``X-Forwarded-For`` believed only as far as ``NUM_PROXIES``), or "" when it
    is not an address."""
    try:
        return str(ipaddress.ip_address(login_client_ip(request)))
    except ValueError:
        return ""


def current_ip() -> str:
    request = _request.get()
    return client_ip(request) if request is not None else ""


def current_user() -> User | None:
    """The request's signed-in user (by session or API token), or None."""
    request = _request.get()
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
