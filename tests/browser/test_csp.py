"""Every page, as every demo role, under the strict Content-Security-Policy.

The pages a role can reach are found by following the links of its pages with
Django's test client from the dashboard (plus the API references and the login
page); each kind of page (one URL per view) is then opened once in Chromium as
that role. The header must be there, with a nonce and without
``'unsafe-inline'``, and the ``page`` fixture fails the test on any violation
the browser reports.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.conftest import csp_violations_watch

pytestmark = pytest.mark.browser

ROLES = (
    "secretariat",
    "delegate-usa",
    "delegate-rus",
    "delegate-nato",
    "delegate-eu",
    "delegate-ukr",
    "analyst",
)
START = ("/", "/api/docs/", "/api/redoc/")
# Leaving the session would end the walk; files open no page.
SKIPPED_VIEWS = {"logout", "admin:logout"}
MAX_PAGES_PER_ROLE = 120


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _view_kind(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name
    if name in SKIPPED_VIEWS:
        return None
    if name.startswith("admin:"):
        # One page of each admin kind (index, list, add, change, ...), not every model's.
        return "admin:" + name.rsplit("_", 1)[-1]
    return name


def _pages(client: Client) -> Iterator[str]:
    """One URL per kind of HTML page the client's user reaches by following links."""
    queue = list(START)
    seen_paths: set[str] = set()
    seen_kinds: set[str] = set()
    while queue and len(seen_kinds) < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith("/static/") or parts.path in seen_paths:
            continue
        seen_paths.add(parts.path)
        kind = _view_kind(parts.path)
        if kind is None or kind in seen_kinds:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        if response.streaming or response.has_header("Content-Disposition"):
            continue  # a download (a rich-text paper's file), not a page
        seen_kinds.add(kind)
        yield url
        links = _Links()
        links.feed(response.content.decode())
        queue.extend(urldefrag(href).url for href in links.hrefs)


def _assert_strict_policy(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None, url
    assert response.ok, url
    policy = response.headers.get("content-security-policy", "")
    # The nonce is named only on pages that use one (Django's lazy nonce).
    assert re.search(r"script-src 'self'( 'nonce-[^']+')?;", policy), (url, policy)
    assert re.search(r"style-src 'self'( 'nonce-[^']+')?;", policy), (url, policy)
    assert "unsafe-inline" not in policy, (url, policy)
    page.wait_for_load_state("networkidle")


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", "--demo", stdout=io.StringIO())


@pytest.mark.usefixtures("demo")
def test_every_page_as_every_role_runs_under_the_policy(
    page: Page, login: Callable[..., None], subtests: pytest.Subtests
) -> None:
    """Each role's pages carry the policy and the browser reports no violation on any."""
    users = get_user_model().objects
    for username in ROLES:
        with subtests.test(username=username):
            client = Client()
            client.force_login(users.get(username=username))
            urls = list(_pages(client))
            # A role that reaches only its dashboard would make this walk say little.
            assert len(urls) > 5, (username, urls)
            page.context.clear_cookies()
            login(page, username)
            for url in urls:
                _assert_strict_policy(page, url)


def test_anonymous_pages_run_under_the_policy(page: Page) -> None:
    """The login page and the public API references carry the policy without violation."""
    for url in ("/accounts/login/", "/api/docs/", "/api/redoc/"):
        _assert_strict_policy(page, url)


def test_api_references_render_under_the_policy(page: Page) -> None:
    """Swagger UI and ReDoc, served from the platform's own files, start and show the API."""
    response = page.goto("/api/docs/")
    assert response is not None
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Crisis Consultation")
    page.goto("/api/redoc/")
    # ReDoc lays out the whole schema before it shows the title: slow on a shared machine.
    expect(page.locator("#redoc-container .api-info h1")).to_contain_text(
        "Crisis Consultation", timeout=90_000
    )


def test_an_inline_script_is_reported_as_a_violation(
    browser: Browser, live_server: LiveServer
) -> None:
    """The watch the ``page`` fixture installs catches what the policy blocks."""
    context = browser.new_context(base_url=live_server.url)
    try:
        violations = csp_violations_watch(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.ran = true'; document.body.append(s); }"
        )
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.ran") is None
        assert any("script-src" in violation for violation in violations), violations
    finally:
        context.close()
