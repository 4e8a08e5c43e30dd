"""The language switcher by keyboard alone: choose a language, press the button, read the page."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from members.models import Profile
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def choose_by_keyboard(page: Page, steps: int) -> None:
    """From the switcher's select, move ``steps`` options down, then Tab to its button and press
    Enter: no mouse, no script of the page's own."""
    page.locator(".site-header .language-switcher select").focus()
    for _ in range(steps):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    expect(page.locator(".site-header .language-switcher button")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_visitor_switches_the_login_page_to_russian(page: Page) -> None:
    page.goto("/accounts/login/")
    choose_by_keyboard(page, 1)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Войти")
    expect(page.locator(".site-header .language-switcher select")).to_have_value("ru")


def test_a_delegate_switches_to_french_and_keeps_it(
    page: Page, login: Callable[..., None], table
) -> None:
    delegate = table.delegates["USA"]
    login(page, delegate.username, PASSWORD)
    expect(page.get_by_role("heading", level=2, name="Troika")).to_be_visible()
    choose_by_keyboard(page, 2)
    expect(page.get_by_role("heading", level=2, name="Troïka")).to_be_visible()
    assert Profile.objects.get(user=delegate).language == "fr"

    page.context.clear_cookies()
    login(page, delegate.username, PASSWORD)
    expect(page.get_by_role("heading", level=2, name="Troïka")).to_be_visible()


def test_an_account_without_role_reads_the_notice_in_russian(
    page: Page, login: Callable[..., None]
) -> None:
    UserFactory(username="nobody")
    login(page, "nobody", PASSWORD)
    choose_by_keyboard(page, 1)
    expect(page.get_by_text("У вашей учётной записи пока нет роли")).to_be_visible()  # noqa: RUF001
