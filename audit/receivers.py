"""Logins, failures and logouts, from Django's auth signals: every door that
authenticates (the login page, the admin, the token endpoint, a second-factor
flow) sends them, so none is missed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.context import client_ip
from audit.models import AuditEntry
from audit.services import audit_record


def _ip(request: Any) -> str | None:
    # A DRF request wraps the Django one; both carry META.
    return client_ip(request) if request is not None and hasattr(request, "META") else None


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    audit_record(kind=AuditEntry.Kind.LOGIN, user=user, ip=_ip(request), summary="Logged in.")


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(kind=AuditEntry.Kind.LOGOUT, user=user, ip=_ip(request), summary="Logged out.")


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any] | None = None, request: Any = None, **kwargs: Any
) -> None:
    # Credentials arrive cleansed (the password masked); only the name is kept.
    User = get_user_model()
    username = str((credentials or {}).get(User.USERNAME_FIELD) or "")
    account = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
    audit_record(
        kind=AuditEntry.Kind.LOGIN_FAILED,
        user=account,
        username=username,
        outcome=AuditEntry.Outcome.FAILURE,
        ip=_ip(request),
        summary="Wrong credentials." if account is not None else "Unknown account.",
    )
