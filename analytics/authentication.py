"""``Authorization: Token <key>`` (or ``Bearer <key>``) for the API.

A token's scope is enforced here, where it is recognised, so no view can
forget it: a read-only token (every analyst's) is refused any unsafe method
with 403 whatever the view's own permission classes.
"""

from typing import Any

from django.utils.translation import gettext, gettext_noop
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from analytics.models import ApiToken
from analytics.selectors.tokens import api_token_for_key
from consult.access import is_analyst, is_secretariat

KEYWORDS = (b"token", b"bearer")
INVALID = gettext_noop("Invalid or revoked token.")  # worded per reader: gettext(INVALID)


def token_is_read_only(token: ApiToken) -> bool:
    user = token.user
    return token.read_only or (is_analyst(user) and not is_secretariat(user))


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(gettext("Send 'Authorization: Token <key>'."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(gettext(INVALID)) from exc
        token = api_token_for_key(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(gettext(INVALID))
        if request.method not in SAFE_METHODS and token_is_read_only(token):
            raise exceptions.PermissionDenied(gettext("This token is read-only."))
        # Imported here: DRF imports this module while ``rest_framework.views`` is
        # still loading, and services import ``consult.errors``, which needs it.
        from analytics.services.tokens import api_token_record_use

        api_token_record_use(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
