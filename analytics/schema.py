"""OpenAPI description of the token authentication."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


# drf-spectacular registers extensions in an untyped __init_subclass__ (strict mypy only).
class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call,unused-ignore]
    target_class = "analytics.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "cc_<prefix>_<secret>",
            "description": (
                "A personal token from /account/tokens/ (or POST /api/v1/auth/token/), sent as "
                "`Authorization: Bearer <key>` or `Authorization: Token <key>`. Analysts' tokens "
                "are read-only. Each token is throttled (a burst and a sustained rate); over "
                "quota the API answers 429 with Retry-After."
            ),
        }
