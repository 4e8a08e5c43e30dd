"""The working languages: which one a request is answered in.

English, Russian and French (``settings.LANGUAGES``). A signed-in user's
preferred language (``members.models.Profile``) is copied into the session at
login and whenever they change it, so pages read it without a query; without
one, Django's order applies: the language cookie set by the switcher, then the
browser's ``Accept-Language``. The API answers in the language its
``Accept-Language`` asks for, whatever the session prefers, and translates only
its messages, never field names or enum values.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

# Where the signed-in user's preferred language is kept for the session.
PREFERRED_LANGUAGE_SESSION_KEY = "preferred_language"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def accepted_language(header: str) -> str:
    """The first working language an ``Accept-Language`` header accepts, else the default."""
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, with the signed-in user's preference first on pages."""

    def process_request(self, request: HttpRequest) -> None:
        preferred: str | None
        if is_api(request) and "HTTP_ACCEPT_LANGUAGE" in request.META:
            preferred = accepted_language(request.META["HTTP_ACCEPT_LANGUAGE"])
        else:
            preferred = request.session.get(PREFERRED_LANGUAGE_SESSION_KEY)
        if preferred in language_codes():
            translation.activate(preferred)
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)
