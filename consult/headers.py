"""Response headers the whole platform shares."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

PRIVATE = "private, no-store"


class PrivateResponseMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in caller.

    What a delegate reads must not stay in a shared proxy or in the browser's
    cache after the session ends, pages and JSON alike. A session user or a
    token user counts (DRF sets the user it authenticated on the underlying
    request); a response already marked ``no-store`` (downloads, feeds) keeps its
    own header. Anonymous answers keep theirs, so public pages stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if _signed_in(request) and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = PRIVATE
        return response


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    # A refused token still marks the answer as meant for one caller.
    return "HTTP_AUTHORIZATION" in request.META
