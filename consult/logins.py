"""The doors: where a login comes from, what a locked one answers, and lifting a lock.

Failed logins are counted by django-axes on every door that checks a password
(the login page, which ``/admin/`` also goes through, and ``POST
/api/v1/auth/token/``): per account and, separately, per source address.
Past ``AXES_FAILURE_LIMIT`` failures the account or the source is locked for
``AXES_COOLOFF_TIME``; the secretariat lifts a lock earlier with
``login_locks_lift`` (the users' admin action, or Access attempts in the admin).

The source address is read one way everywhere (``client_ip``): the
connection's address, or, behind ``NUM_PROXIES`` proxies, the address the
outermost trusted proxy saw, so a client forging ``X-Forwarded-For`` changes
nothing.
"""

from collections.abc import Sequence
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from rest_framework.throttling import BaseThrottle

from consult.api_errors import is_api_request

LOCKED_DETAIL = _(
    "Too many failed logins from this account or address: logins are refused for a while. "
    "The secretariat can lift the lock."
)


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting ``X-Forwarded-For`` only as far as ``NUM_PROXIES``."""
    # DRF's throttles read the same setting the same way: one rule for every count.
    return BaseThrottle().get_ident(request)  # type: ignore[arg-type]


def login_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The username a login attempt names, as the account lookup matches it (any case)."""
    source: Any = credentials if credentials else getattr(request, "data", request.POST)
    return str(source.get("username") or source.get("login") or "").strip().lower()


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """What a locked login answers: 429, as JSON under ``/api/``, as a page elsewhere."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    headers = {"Retry-After": str(int(cool_off.total_seconds()))} if cool_off else {}
    if is_api_request(request):
        return JsonResponse(
            {"detail": LOCKED_DETAIL, "code": "login_locked"}, status=429, headers=headers
        )
    response = render(request, "account/locked.html", {"minutes": minutes}, status=429)
    for name, value in headers.items():
        response[name] = value
    return response


def login_failure_record(*, request: HttpRequest, username: str) -> None:
    """Count a refused second step (a wrong one-time code) as a failed login of ``username``."""
    AxesProxyHandler.user_login_failed(
        sender=login_failure_record, credentials={"username": username}, request=request
    )


def is_login_locked(*, request: HttpRequest, username: str) -> bool:
    locked: bool = AxesProxyHandler.is_locked(request, credentials={"username": username})
    return locked


@transaction.atomic
def login_locks_lift(*, usernames: Sequence[str] = (), ip_addresses: Sequence[str] = ()) -> int:
    """Forget the failed logins of these accounts and sources; returns how many were dropped."""
    # Here, not at the top: the audit trail reads the client's address from this module.
    from audit.models import AuditEntry
    from audit.services import audit_record

    lifted = 0
    locks = [("account", username, {"username": username.lower()}) for username in usernames]
    locks += [("address", address, {"ip_address": address}) for address in ip_addresses]
    for what, name, attempts in locks:
        dropped = AxesProxyHandler.reset_attempts(**attempts)
        lifted += dropped
        audit_record(
            kind=AuditEntry.Kind.ACCOUNT_UNLOCKED,
            object_type=what,
            object_id=name,
            summary=f"Lifted the login lock of {name} ({dropped} failed logins forgotten).",
        )
    return lifted


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc, unused-ignore]  # untyped package
    """Accounts are made by the secretariat; nobody signs up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_ip(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # A locked login is answered with the lock before allauth's own limits
        # (which count on, and would answer a plain form error instead).
        if AxesProxyHandler.is_locked(request, credentials=credentials):
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)
