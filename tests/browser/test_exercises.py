"""A tabletop exercise in three browsers: the facilitator releases an inject to Russia
only; Russia's open page shows it within two seconds without reloading while the US's
does not; Russia answers and the facilitator's page shows it; after disclosure the US
sees it; and a page whose connection dropped catches up when it comes back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from crises.models import Exercise
from crises.services import exercises as services
from tests.browser.live import open_live_page, same_page
from tests.crises.conftest import CrisisWorld, build_crisis_world
from tests.crises.exercise_helpers import add_inject, make_exercise

pytestmark = pytest.mark.browser

SOON = 2_000  # ms: "at once", as the issue asks


@pytest.fixture
def cw(db: None, settings: Any) -> CrisisWorld:
    # Short streams: the browsers reconnect every few seconds, as they would after a drop.
    settings.EXERCISE_LIVE_SECONDS = 4
    settings.EXERCISE_LIVE_POLL_SECONDS = 0.2
    return build_crisis_world()


def test_a_secret_inject_reaches_its_recipient_live_and_the_others_on_disclosure(
    browser: Browser, live_server: LiveServer, login: Callable[..., None], cw: CrisisWorld
) -> None:
    exercise = services.exercise_start(exercise=make_exercise(cw), user=cw.sec)
    add_inject(cw, exercise, "Your jet is low on fuel", to="RUS", expected_response="Divert")
    add_inject(cw, exercise, "The hotline rings")
    url = exercise.get_absolute_url()

    secretariat, sec_violations = open_live_page(browser, live_server, login, "sec", url)
    russia, ru_violations = open_live_page(browser, live_server, login, "ru", url)
    usa, us_violations = open_live_page(browser, live_server, login, "us", url)
    for player in (russia, usa):
        expect(player.get_by_text("No inject yet.")).to_be_visible()
        expect(player.locator("main")).not_to_contain_text("Divert")

    secretariat.get_by_role("button", name="Release inject 1").click()
    expect(secretariat.get_by_role("status").first).to_contain_text("Inject 1 released.")
    expect(russia.locator("ol.injects").get_by_text("Your jet is low on fuel")).to_be_visible(
        timeout=SOON
    )
    assert same_page(russia)
    usa.wait_for_timeout(SOON + 500)
    expect(usa.locator("ol.injects").get_by_text("Your jet is low on fuel")).to_have_count(0)

    # Russia answers on its page; the facilitator's page shows it without reloading.
    secretariat.evaluate("window.stillTheSamePage = true")
    russia.get_by_label("Your response to inject 1").fill("We divert to Kaliningrad")
    russia.get_by_role("button", name="Send the response").click()
    expect(russia.get_by_role("status").first).to_contain_text("Response to inject 1 sent.")
    expect(
        secretariat.locator("ol.injects").get_by_text("We divert to Kaliningrad", exact=False)
    ).to_be_visible(timeout=SOON)
    assert same_page(secretariat)
    expect(
        usa.locator("ol.injects").get_by_text("We divert to Kaliningrad", exact=False)
    ).to_have_count(0)

    secretariat.get_by_role("button", name="Disclose inject 1 to all").click()
    expect(usa.locator("ol.injects").get_by_text("Your jet is low on fuel")).to_be_visible(
        timeout=SOON
    )
    assert same_page(usa)
    # The disclosure shows the inject, never Russia's answer to it.
    expect(
        usa.locator("ol.injects").get_by_text("We divert to Kaliningrad", exact=False)
    ).to_have_count(0)

    # The US's connection drops: its open stream ends and reconnections fail.
    usa.route("**/live/**", lambda route: route.abort())
    usa.wait_for_timeout(5_000)
    secretariat.get_by_role("button", name="Release inject 2").click()
    usa.wait_for_timeout(1_500)
    expect(usa.locator("ol.injects").get_by_text("The hotline rings")).to_have_count(0)
    usa.unroute("**/live/**")
    expect(usa.locator("ol.injects").get_by_text("The hotline rings")).to_be_visible(timeout=8_000)
    assert same_page(usa)
    expect(usa.locator("ol.injects").get_by_text("Your jet is low on fuel")).to_have_count(1)

    exercise.refresh_from_db()
    assert exercise.status == Exercise.Status.RUNNING
    for page in (secretariat, russia, usa):
        page.context.close()
    assert sec_violations + ru_violations + us_violations == []
