"""Quotas: per token (a burst and a sustained rate) and per sign-in attempt.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (set from the
environment in settings) and are read per request, not at import. Counters
live in the default cache (Redis in production, so every web process shares
them). Requests without a token (browser sessions) are not counted per token.

When Redis is out of reach, counting goes on in each process's memory
(logged as a warning) rather than refusing every request: quotas hold per
process until Redis answers again.
"""

import hashlib
import logging
from collections.abc import Mapping
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import RedisError
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from analytics.models import ApiToken

logger = logging.getLogger(__name__)

_IN_PROCESS = LocMemCache("throttles-while-redis-is-down", {})


class _SettingsRateThrottle(SimpleRateThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        try:
            return super().allow_request(request, view)
        except RedisError as error:
            logger.warning(
                "Throttle %s counts in this process: Redis unreachable (%s)", self.scope, error
            )
            self.cache = _IN_PROCESS
            return super().allow_request(request, view)

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(str(self.scope))
        return None if rate is None else str(rate)


class _TokenRateThrottle(_SettingsRateThrottle):
    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.public_id.hex}


class TokenBurstRateThrottle(_TokenRateThrottle):
    scope = "token_burst"


class TokenSustainedRateThrottle(_TokenRateThrottle):
    scope = "token_sustained"


class LoginRateThrottle(_SettingsRateThrottle):
    """Password attempts per client address and username (scope ``login``)."""

    scope = "login"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        data = request.data if isinstance(request.data, Mapping) else {}
        username = str(data.get("username", "")).strip().lower()
        digest = hashlib.sha256(username.encode()).hexdigest()[:16]
        return self.cache_format % {
            "scope": self.scope,
            "ident": f"{self.get_ident(request)}:{digest}",
        }
