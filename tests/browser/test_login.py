"""Signing in through the browser: each demo role lands on its own dashboard."""

import io
import re
from collections.abc import Callable

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.factories import UserFactory

pytestmark = pytest.mark.browser

DASHBOARDS = {
    "secretariat": "Secretariat dashboard",
    "delegate-usa": "Delegation of the United States",
    # Irina Volkova reads in Russian (the demo's members.Profile.language).
    "delegate-rus": "Делегация: Россия",
    "delegate-nato": "Delegation of the North Atlantic Treaty Organization",
    "delegate-eu": "Delegation of the European Union",
    "delegate-ukr": "Delegation of Ukraine",
    "analyst": "Analyst dashboard",
}


def test_each_demo_role_sees_its_dashboard(
    page: Page, login: Callable[..., None], subtests: pytest.Subtests
) -> None:
    """Each demo account signs in with the demo password and lands on its own dashboard."""
    # Seeded once for all roles: the demo data takes seconds to build.
    call_command("seed_demo", "--demo", stdout=io.StringIO())

    for username, heading in DASHBOARDS.items():
        with subtests.test(username=username):
            page.context.clear_cookies()
            login(page, username)

            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
            expect(page.get_by_role("navigation").first).to_be_visible()


def test_wrong_password_is_refused(page: Page, login: Callable[..., None]) -> None:
    """A wrong password keeps the visitor on the login page with an error and no session."""
    UserFactory(username="someone")

    login(page, "someone", "not-the-password")

    expect(page.get_by_role("alert")).to_contain_text("not correct")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
