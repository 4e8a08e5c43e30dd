"""The second factor in tests: enrol a user, compute their code, sign a session in with it.

Every ``Client.force_login`` of the suite goes through ``force_login_with_second_factor``
(an autouse fixture in conftest.py): a user who must have a second factor is
enrolled on ``TEST_TOTP_SECRET``, and the session is marked as having given
it just now, as the login page would after the code. Tests of the refusals
sign in without it through ``force_login_without_second_factor``.
"""

import time
from typing import Any

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt
from django.core.cache import cache
from django.test import Client

from consult.mfa import must_use_second_factor, totp_current_code, totp_enrol

TEST_TOTP_SECRET = "TESTSECRETFORTHESUITEONLYAAAAAAA"

force_login_without_second_factor = Client.force_login


def enrol(user: Any, secret: str = TEST_TOTP_SECRET) -> Authenticator:
    """The user's TOTP authenticator, made on ``secret`` if they have none."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or totp_enrol(user=user, secret=secret)


def current_code(user: Any) -> str:
    """The user's code now, usable again: a test may sign the same user in twice."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    code = totp_current_code(decrypt(authenticator.data["secret"]))
    # allauth accepts each code once per period; a second login of the same user
    # within 30 seconds is a test's repetition, not a replay.
    cache.delete(TOTP(authenticator)._get_used_cache_key(code))
    return code


def mark_second_factor_given(client: Client, user: Any, *, at: float | None = None) -> None:
    """Record in the client's session that the second factor was given (at ``at``, or now)."""
    authenticator = Authenticator.objects.filter(user=user).first()
    now = time.time() if at is None else at
    session = client.session
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "username": user.get_username()},
        {
            "method": "mfa",
            "at": now,
            "id": authenticator.pk if authenticator else None,
            "type": "totp",
        },
    ]
    session.save()


def force_login_with_second_factor(self: Client, user: Any, backend: str | None = None) -> None:
    force_login_without_second_factor(self, user, backend)
    if must_use_second_factor(user):
        enrol(user)
    mark_second_factor_given(self, user)
