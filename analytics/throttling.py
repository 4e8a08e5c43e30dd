"""Per-token quotas: a burst rate and a sustained rate, counted per token.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (set from the
environment in settings) and are read per request, not at import. Counters
live in the default cache (Redis in production, so every web process shares
them). Requests without a token (browser sessions) are not counted here.
"""

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from analytics.models import ApiToken


class _TokenRateThrottle(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(str(self.scope))
        return None if rate is None else str(rate)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.public_id.hex}


class TokenBurstRateThrottle(_TokenRateThrottle):
    scope = "token_burst"


class TokenSustainedRateThrottle(_TokenRateThrottle):
    scope = "token_sustained"
