"""Logins, failures and logouts, from Django's auth signals: every door that
authenticates (the login page, the admin, the token endpoint, a second-factor
flow) sends them, so none is missed. Locks come from django-axes's signal and
second-factor events (enrolled, removed, reset, given, refused) from allauth's."""

from __future__ import annotations

from typing import Any

from allauth.mfa import signals as mfa_signals
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.models import User
from django.dispatch import receiver

from audit.context import client_ip
from audit.models import AuditEntry
from audit.services import audit_record


def _ip(request: Any) -> str | None:
    # A DRF request wraps the Django one; both carry META.
    return client_ip(request) if request is not None and hasattr(request, "META") else None


def _account(username: str) -> User | None:
    """The account a login named, or None (an unknown name, or none)."""
    if not username:
        return None
    return User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()


def _factor(kwargs: dict[str, Any]) -> str:
    """The kind of second factor a signal of allauth's mfa names ("TOTP Authenticator")."""
    authenticator = kwargs.get("authenticator")
    return authenticator.get_type_display() if authenticator is not None else "unknown"


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender: Any, request: Any = None, user: User | None = None, **kwargs: Any) -> None:
    audit_record(kind=AuditEntry.Kind.LOGIN, user=user, ip=_ip(request), summary="Logged in.")


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender: Any, request: Any = None, user: User | None = None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(kind=AuditEntry.Kind.LOGOUT, user=user, ip=_ip(request), summary="Logged out.")


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any] | None = None, request: Any = None, **kwargs: Any
) -> None:
    # Credentials arrive cleansed (the password masked); only the name is kept.
    username = str((credentials or {}).get(get_user_model().USERNAME_FIELD) or "")
    account = _account(username)
    audit_record(
        kind=AuditEntry.Kind.LOGIN_FAILED,
        user=account,
        username=username,
        outcome=AuditEntry.Outcome.FAILURE,
        ip=_ip(request),
        summary="Wrong credentials." if account is not None else "Unknown account.",
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def _locked_out(
    sender: Any, request: Any = None, username: str | None = None, **kwargs: Any
) -> None:
    # Sent when the limit is reached and again for each login tried while locked.
    name = str(username or "")
    account = _account(name)
    audit_record(
        kind=AuditEntry.Kind.ACCOUNT_LOCKED,
        user=account,
        username=name or "?",
        outcome=AuditEntry.Outcome.REFUSED,
        ip=_ip(request),
        summary="Login refused: too many failed logins from this account or address.",
    )


_FACTOR_EVENTS = {
    "added": "Second factor enrolled",
    "removed": "Second factor removed",
    "reset": "Recovery codes regenerated",
    "used": "Second factor given",
}


def _second_factor(event: str) -> Any:
    def record(sender: Any, request: Any = None, user: User | None = None, **kwargs: Any) -> None:
        kind = _factor(kwargs)
        again = " again, before a sensitive step" if kwargs.get("reauthenticated") else ""
        audit_record(
            kind=AuditEntry.Kind.SECOND_FACTOR,
            user=user,
            ip=_ip(request),
            summary=f"{_FACTOR_EVENTS[event]}{again} ({kind}).",
        )

    return record


def _second_factor_refused(
    sender: Any, request: Any = None, user: User | None = None, **kwargs: Any
) -> None:
    kind = _factor(kwargs)
    audit_record(
        kind=AuditEntry.Kind.SECOND_FACTOR,
        user=user,
        outcome=AuditEntry.Outcome.FAILURE,
        ip=_ip(request),
        summary=f"Wrong second factor ({kind}).",
    )


for _event in _FACTOR_EVENTS:
    getattr(mfa_signals, f"authenticator_{_event}").connect(
        _second_factor(_event), dispatch_uid=f"audit_second_factor_{_event}", weak=False
    )
mfa_signals.authentication_failed.connect(
    _second_factor_refused, dispatch_uid="audit_second_factor_failed"
)
