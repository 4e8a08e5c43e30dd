"""The crisis alert in seven browsers: the heads of delegation of every seat-holder, the
secretariat and a plain delegate each have a page open; the United States' head raises an
alert; its banner appears on every other head's page and the secretariat's within a few
seconds without reloading, never on the delegate's; Russia's head acknowledges it with one
click; the secretariat's alert page shows who has and who has not acknowledged."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from crises.models import Alert, AlertDelivery
from members.models import DelegationMembership
from tests.browser.live import open_live_page, same_page
from tests.conftest import ARTIFACTS
from tests.crises.conftest import CrisisWorld, build_crisis_world
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.browser

FEW_SECONDS = 5_000  # ms: well inside the minute
OTHER_HEADS = ["ru", "nato", "eu", "fr"]
TEXT = "A collision at sea near Gotland; we request consultations."


@pytest.fixture
def cw(db: None, settings: Any) -> CrisisWorld:
    # Short streams: the browsers reconnect every few seconds, as they would after a drop.
    settings.EXERCISE_LIVE_SECONDS = 4
    settings.EXERCISE_LIVE_POLL_SECONDS = 0.2
    world = build_crisis_world()
    head = DelegationMembership.objects.select_related("delegation").get(user=world.user("us"))
    MembershipFactory(
        delegation=head.delegation,
        user=UserFactory(username="us-adviser"),
        role=DelegationMembership.Role.ADVISER,
    )
    return world


def _banner(page: Page) -> Any:
    return page.locator(".alert-banners [role=alert]").filter(has_text="Gotland")


def test_an_alert_reaches_every_head_and_the_secretariat_live(
    browser: Browser, live_server: LiveServer, login: Callable[..., None], cw: CrisisWorld
) -> None:
    watching = reverse("crises:threat_list")
    names = [*OTHER_HEADS, "sec", "us-adviser"]
    opened = {name: open_live_page(browser, live_server, login, name, watching) for name in names}
    pages = {name: page for name, (page, _violations) in opened.items()}
    for page in pages.values():
        expect(page.locator(".alert-banners")).to_have_attribute("data-live", "connected")
        expect(_banner(page)).to_have_count(0)

    raise_url = reverse("crises:alert_raise")
    usa, us_violations = open_live_page(browser, live_server, login, "us", raise_url)
    usa.get_by_label("What has happened").fill(TEXT)
    usa.get_by_label("Urgency").select_option("flash")
    usa.get_by_label("Crisis").select_option(label=cw.crisis.title)
    usa.get_by_role("button", name="Raise the alert").click()
    expect(usa.get_by_role("heading", level=1)).to_contain_text("Flash alert from")
    alert = Alert.objects.get()

    for name in [*OTHER_HEADS, "sec"]:
        page = pages[name]
        expect(_banner(page)).to_be_visible(timeout=FEW_SECONDS)
        expect(_banner(page)).to_contain_text("Flash alert from United States")
        expect(_banner(page).get_by_role("button", name="Acknowledge")).to_be_visible()
        assert same_page(page), f"{name}'s page reloaded"
    # The delegate is never sent it (they have had the same few seconds).
    expect(_banner(pages["us-adviser"])).to_have_count(0)
    assert same_page(pages["us-adviser"])

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pages["ru"].screenshot(path=ARTIFACTS / "alert-live-banner.png", full_page=True)

    # One click on the live banner acknowledges it and comes back to the same page.
    russia = pages["ru"]
    _banner(russia).get_by_role("button", name="Acknowledge").click()
    expect(russia.get_by_role("status").first).to_contain_text("Alert acknowledged.")
    assert russia.url.endswith(watching)
    expect(_banner(russia)).to_have_count(0)
    assert AlertDelivery.objects.get(alert=alert, user=cw.user("ru")).acknowledged_at

    secretariat = pages["sec"]
    secretariat.goto(alert.get_absolute_url())
    table = secretariat.locator("section[aria-labelledby=recipients] tbody")
    expect(table.locator("tr")).to_have_count(6)

    def row(code: str) -> Any:
        cell = secretariat.locator("td", has_text=re.compile(f"^{code}$"))
        return table.locator("tr").filter(has=cell)

    # The raiser's own row is acknowledged as raised.
    for code in ("RUS", "USA"):
        expect(row(code)).not_to_contain_text("Not acknowledged")
    for code in ("NATO", "EU", "FRA", "Secretariat"):
        expect(row(code)).to_contain_text("Not acknowledged")
    expect(secretariat.locator("main")).to_contain_text("2 of 6 recipients")
    secretariat.screenshot(path=ARTIFACTS / "alert-live-acknowledged.png", full_page=True)

    violations = [v for _page, found in opened.values() for v in found] + us_violations
    assert violations == []
