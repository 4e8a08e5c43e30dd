"""Every page, as every demo role, in Russian and in French, shows no string the
catalogs translate left in English.

The walk follows the links each role is shown from its dashboard, one page per
URL name, as ``tests/browser/test_every_page.py`` does, but through Django's
client. On each page, every text node and every label a reader is given
(``aria-label``, ``title``, ``placeholder``, ``alt``, a button's ``value``) is
compared with the catalog of the page's language: one that is, word for word, an
English ``msgid`` whose translation differs is a string the page forgot to
translate (rendered outside ``translation.override``, read once at import time,
or cached in another language). The page must also say its language in
``<html lang>``.

Not the interface, so not compared: text inside an element that declares another
language (``lang``: a paper's own text, a communiqué's authoritative version), a
word the catalog itself uses as a translation (French "Close", the session
status, is also the English verb), and the demo's own records whose wording
happens to match an interface string (``DEMO_RECORDS``).
"""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import trans_real

from tests.browser.test_every_page import ACCOUNT_PAGES, OUTSIDE, pages_behind_forms
from tests.mfa import force_login_with_second_factor

LANGUAGES = ("ru", "fr")
ROLES = (None, "secretariat", "delegate-usa", "delegate-rus", "delegate-ukr", "analyst")
LABELS = ("aria-label", "title", "placeholder", "alt")
# Records of the demo (seed_demo) worded like an interface string, and where they come from.
DEMO_RECORDS = {
    "Any other business": "the title of the last item of each demo agenda",
    "Background paper": "the heading of the demo's background papers' own text",
    "Objectives": "a heading of the demo exercise's after-action report, stored as drafted",
    "Timeline": "a heading of the demo exercise's after-action report, stored as drafted",
    "Expected:": "a line of the demo exercise's after-action report, stored as drafted",
}
SPACES = re.compile(r"\s+")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Texts(HTMLParser):
    """The page's language, the texts a reader sees, and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.language = ""
        self.texts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        # The open elements' languages (None: as their parent), to skip other-language text.
        self._languages: list[str | None] = []

    def _foreign(self) -> bool:
        declared = [language for language in self._languages if language]
        return bool(declared) and declared[-1] != self.language

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in ("script", "style"):
            self._hidden += 1
        if tag == "html":
            self.language = values.get("lang", "")
        if tag not in VOID:
            self._languages.append(values.get("lang") or None)
        if self._foreign():
            return
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        self.texts.extend(values[name] for name in LABELS if values.get(name))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.texts.append(values["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1
        if tag not in VOID and self._languages:
            self._languages.pop()

    def handle_data(self, data: str) -> None:
        if not self._hidden and not self._foreign() and data.strip():
            self.texts.append(data)


def _english_strings(language: str) -> dict[str, str]:
    """The catalog's English msgids (whole sentences or words, no placeholders) whose
    translation into ``language`` differs, with that translation."""
    catalog = trans_real.translation(language)._catalog  # type: ignore[attr-defined]
    native = {str(msgstr) for _msgid, msgstr in catalog.items()}
    return {
        msgid: str(msgstr)
        for msgid, msgstr in catalog.items()
        if isinstance(msgid, str)
        and msgid
        and msgid != msgstr
        and "%" not in msgid
        and "{" not in msgid
        and "\x04" not in msgid
        and any(letter.isalpha() for letter in msgid)
        and msgid not in native
        and msgid not in DEMO_RECORDS
    }


def _page_name(path: str) -> str | None:
    if path.startswith(OUTSIDE):
        return None
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _walk(
    client: Client, starts: list[str], language: str, english: dict[str, str]
) -> tuple[set[str], list[str]]:
    """The URL names visited, and every English string found, as "path: string"."""
    visited: set[str] = set()
    found: list[str] = []
    queue = list(starts)
    seen: set[str] = set()
    while queue:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc and parts.netloc not in ("testserver",):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        name = _page_name(parts.path)
        if name is None or name in visited or path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if (
            response.status_code != 200
            or response.streaming  # a file (a paper's own HTML, say), not a page
            or "text/html" not in response.get("Content-Type", "")
        ):
            continue
        visited.add(name)
        page = _Texts()
        page.feed(response.content.decode())
        if page.language != language:
            found.append(f"{path}: <html lang={page.language!r}>")
        for text in page.texts:
            plain = SPACES.sub(" ", text).strip()
            if plain in english:
                found.append(f"{path}: {plain!r} (should read {english[plain]!r})")
        queue.extend(page.links)
    return visited, found


@pytest.mark.django_db(transaction=False)
def test_every_page_speaks_the_readers_language(django_user_model):
    call_command("seed_demo", "--demo", stdout=io.StringIO())
    report: dict[str, list[str]] = {}
    reached: dict[str, int] = {}
    for language in LANGUAGES:
        english = _english_strings(language)
        assert len(english) > 400, f"the {language} catalog is nearly empty"
        for username in ROLES:
            client = Client()
            if username is None:
                # A visitor: the language switcher's cookie, as the login page sets it.
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                starts = ["/accounts/login/", "/communiques/"]
            else:
                user = django_user_model.objects.get(username=username)
                force_login_with_second_factor(client, user)
                # The language switcher, as the user would: the page and the preference.
                client.post("/language/", {"language": language})
                starts = ["/", *pages_behind_forms(), *ACCOUNT_PAGES]
            role = f"{username or 'visitor'} in {language}"
            visited, found = _walk(client, starts, language, english)
            reached[role] = len(visited)
            if found:
                report[role] = sorted(set(found))
    translation.activate("en")
    assert report == {}, json.dumps(report, indent=1, ensure_ascii=False)
    # The walk saw the platform, not a login page: each signed-in role reached its pages.
    assert min(count for role, count in reached.items() if "visitor" not in role) >= 20, reached
