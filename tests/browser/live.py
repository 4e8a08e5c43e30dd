"""Pages held open while something happens elsewhere (a live channel's tests): each in a
context of its own, watched for CSP violations, marked so that a reload would show."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from tests.conftest import csp_violations_watch
from tests.factories import PASSWORD


def open_live_page(
    browser: Browser, live_server: LiveServer, login: Callable[..., None], name: str, url: str
) -> tuple[Page, list[str]]:
    """``name`` signed in on ``url`` in a new context; the page and its CSP violations."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    violations = csp_violations_watch(context)
    page = context.new_page()
    login(page, name, PASSWORD)
    page.goto(url)
    # A marker that a reload would wipe: the page must still hold it at the end.
    page.evaluate("window.stillTheSamePage = true")
    return page, violations


def same_page(page: Page) -> bool:
    """Whether ``page`` was never reloaded since ``open_live_page``."""
    return bool(page.evaluate("window.stillTheSamePage === true"))
