"""The second factor: who must have one, and what it guards.

django-allauth's ``mfa`` app asks for the factor at login (TOTP, passkeys,
recovery codes). This module adds the platform's rule on top:

- the secretariat, every staff or admin user and the delegates of a
  delegation that requires it (``Delegation.requires_second_factor``) must
  have one: a session of theirs without it reaches only the account pages,
  which lead them to enrol (none yet) or to give it (``SecondFactorMiddleware``);
- sensitive steps (publishing a communiqué, revoking an invitation or an
  accreditation, issuing an API token) ask for it again unless it was given
  in the last ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` seconds
  (``second_factor_required``).
"""

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import suspend_request
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt, is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from consult.access import current_memberships, is_secretariat
from consult.api_errors import is_api_request

# Where a user who still owes the second factor may go: allauth's pages
# (login, logout, enrolment, giving the factor) and static files.
OPEN_PREFIXES = ("/accounts/",)
POLICY_SESSION_KEY = "consult_second_factor_required"
ENROL_DETAIL = _("Your account must have a second factor: enrol one at /accounts/2fa/ first.")
GIVE_DETAIL = _("Give your second factor at /accounts/2fa/reauthenticate/ first.")


def must_use_second_factor(user: Any) -> bool:
    """The secretariat, staff and admins, and delegates of a delegation that requires it."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser or is_secretariat(user):
        return True
    return current_memberships(user).filter(delegation__requires_second_factor=True).exists()


def _second_factor_given_at(request: HttpRequest) -> float | None:
    """When this session last gave the second factor (at login or since), if it did."""
    given = [
        record["at"]
        for record in get_authentication_records(request, request.user)
        if record.get("method") == "mfa"
    ]
    return max(given, default=None)


def _required_for_session(request: HttpRequest) -> bool:
    """The rule, read once per login: a change applies from the user's next login."""
    cached = request.session.get(POLICY_SESSION_KEY)
    if isinstance(cached, list) and len(cached) == 2 and cached[0] == str(request.user.pk):
        return bool(cached[1])
    return _read_policy(request, request.user)


def _read_policy(request: HttpRequest, user: Any) -> bool:
    required = must_use_second_factor(user)
    request.session[POLICY_SESSION_KEY] = [str(user.pk), required]
    return required


@receiver(user_logged_in, dispatch_uid="consult_second_factor_policy")
def read_policy_at_login(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """Reads the rule with the login, so the session row is not written again on the first page."""
    if request is not None and hasattr(request, "session"):
        _read_policy(request, user)


def _with_next(url: str, request: HttpRequest) -> str:
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


class SecondFactorMiddleware:
    """Holds a session that owes the second factor at the enrolment or second-factor page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        path = request.path_info
        if path.startswith(OPEN_PREFIXES) or path.startswith(f"/{settings.STATIC_URL}"):
            return None
        if _second_factor_given_at(request) is not None:
            return None
        if not _required_for_session(request):
            return None
        enrolled = is_mfa_enabled(request.user)
        if is_api_request(request):
            return JsonResponse(
                {"detail": GIVE_DETAIL if enrolled else ENROL_DETAIL, "code": "second_factor"},
                status=403,
            )
        if enrolled:
            return HttpResponseRedirect(_with_next(reverse("mfa_reauthenticate"), request))
        messages.info(
            request, _("Your account must have a second factor: set up an authenticator app.")
        )
        return HttpResponseRedirect(_with_next(reverse("mfa_activate_totp"), request))


def second_factor_refusal(request: HttpRequest) -> HttpResponse | None:
    """Where a POST goes instead of its step until the second factor is given again."""
    if request.method != "POST" or not request.user.is_authenticated:
        return None
    if not is_mfa_enabled(request.user):
        messages.info(request, _("This step needs a second factor: set one up first."))
        return HttpResponseRedirect(_with_next(reverse("mfa_activate_totp"), request))
    given_at = _second_factor_given_at(request)
    if given_at is None or time.time() - given_at >= settings.ACCOUNT_REAUTHENTICATION_TIMEOUT:
        suspended: HttpResponse = suspend_request(request, reverse("mfa_reauthenticate"))
        return suspended
    return None


def second_factor_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Asks for the second factor again before a POST to ``view``, unless given just now.

    The POST is kept while the factor is asked for and carried out once it is
    given (allauth's reauthentication). A user with no second factor is sent
    to enrol one.
    """

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refusal = second_factor_refusal(request)
        return refusal if refusal is not None else view(request, *args, **kwargs)

    return guarded


def second_factor_action(action: Callable[..., Any]) -> Callable[..., Any]:
    """``second_factor_required`` for an admin action."""

    @wraps(action)
    def guarded(modeladmin: Any, request: HttpRequest, queryset: Any) -> Any:
        refusal = second_factor_refusal(request)
        return refusal if refusal is not None else action(modeladmin, request, queryset)

    return guarded


def one_time_code_check(*, user: Any, code: str) -> bool:
    """Whether ``code`` is the user's current TOTP code or an unused recovery code.

    Each code is accepted once: a TOTP code is remembered for its period, a
    recovery code is spent.
    """
    code = code.strip().replace(" ", "")
    if not code:
        return False
    for authenticator in Authenticator.objects.filter(user=user):
        wrapped: TOTP | RecoveryCodes
        if authenticator.type == Authenticator.Type.TOTP:
            wrapped = TOTP(authenticator)
        elif authenticator.type == Authenticator.Type.RECOVERY_CODES:
            wrapped = RecoveryCodes(authenticator)
        else:
            continue
        if wrapped.validate_code(code):
            authenticator.record_usage()
            return True
    return False


def totp_secret_matches(*, user: Any, secret: str) -> bool:
    """Whether the user's TOTP authenticator runs on ``secret``."""
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return totp is not None and decrypt(totp.data["secret"]) == secret


def totp_current_code(secret: str, *, at: float | None = None) -> str:
    """The code an authenticator app on ``secret`` shows now (or at ``at``, a timestamp)."""
    moment = time.time() if at is None else at
    code: str = format_hotp_value(hotp_value(secret, int(moment) // mfa_settings.TOTP_PERIOD))
    return code


def totp_enrol(*, user: Any, secret: str) -> Authenticator:
    """Enrol ``user`` with a TOTP authenticator on ``secret`` (base32), replacing any other."""
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    return TOTP.activate(user, secret).instance
