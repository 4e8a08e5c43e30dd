"""A Delphi round in the browser: a delegate scores the round on the one form, the
secretariat releases it, and both see the charts; the page passes axe-core and does not
scroll sideways at 390 pixels. Screenshots of the released page at both widths are
left in ``var/screenshots/`` for a person to look at."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from crises.models import AssessmentRound, Score
from crises.services import assessments as assessment_services
from crises.services.assessments import ScoreInput
from tests.browser.test_every_page import AXE, AXE_RUN, HEIGHT, NARROW, PAGE_FACTS, WIDE
from tests.conftest import csp_violations_watch
from tests.crises.conftest import CrisisWorld, build_crisis_world
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture
def cw(db: None) -> CrisisWorld:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return build_crisis_world()


def _problems(page: Page, width: int) -> list[str]:
    page.set_viewport_size({"width": width, "height": HEIGHT})
    facts = page.evaluate(PAGE_FACTS)
    problems = [f"axe {v['impact']} {v['id']}: {v['targets']}" for v in page.evaluate(AXE_RUN)]
    if facts["h1"] != 1:
        problems.append(f"{facts['h1']} h1 elements")
    if facts["duplicateIds"]:
        problems.append(f"ids used twice: {facts['duplicateIds']}")
    if facts["scrollWidth"] > facts["innerWidth"]:
        problems.append(f"{facts['scrollWidth']} px wide in a {facts['innerWidth']} px window")
    return [f"at {width} px: {problem}" for problem in problems]


def test_a_delegate_scores_the_secretariat_releases_and_both_see_the_charts(
    page: Page,
    browser: Browser,
    live_server: LiveServer,
    login: Callable[..., None],
    cw: CrisisWorld,
) -> None:
    url = reverse("crises:assessment_detail", kwargs={"public_id": cw.assessment.public_id})
    # Russia has scored already (through the service): the picture has two parties.
    assessment_services.scores_submit(
        user=cw.user("ru"),
        assessment=cw.assessment,
        answers=[
            ScoreInput(threat=t, likelihood=2, impact=3, trend="falling", confidence="low")
            for t in cw.threats
        ],
    )

    # axe-core is injected as a script of the test's own: that context bypasses the
    # policy (as in test_every_page); the pages the delegate and the secretariat use
    # keep it, and any violation there fails the test.
    audit_context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": WIDE, "height": HEIGHT},
        locale="en-GB",
        bypass_csp=True,
    )
    audit = audit_context.new_page()
    audit.set_default_timeout(30_000)
    login(audit, "us", PASSWORD)
    audit.goto(url)
    expect(
        audit.get_by_role("heading", level=2, name="Your delegation's scores, round 1")
    ).to_be_visible()
    audit.add_script_tag(path=AXE)
    problems = _problems(audit, WIDE) + _problems(audit, NARROW)
    audit.set_viewport_size({"width": WIDE, "height": HEIGHT})
    audit.screenshot(path=SHOTS / "assessment-form-1280.png", full_page=True)

    page.set_default_timeout(30_000)
    login(page, "us", PASSWORD)
    page.goto(url)
    for n, threat in enumerate(cw.threats):
        group = page.get_by_role("group", name=threat.title, exact=True)
        group.get_by_role("group", name="Likelihood").get_by_label(str(4 + n % 2)).check()
        group.get_by_role("group", name="Impact").get_by_label(str(5 - n)).check()
        group.get_by_role("group", name="Trend").get_by_label("Rising").check()
        group.get_by_role("group", name="Confidence").get_by_label("High").check()
        group.get_by_label("Rationale").fill(f"Seen from Washington: {threat.title}.")
    page.get_by_role("button", name="Save our scores").click()
    expect(page.get_by_role("status")).to_contain_text("Your scores are saved.")
    assert Score.objects.filter(party__code="USA").count() == 3
    expect(page.locator(".scored")).to_contain_text("2 parties have scored round 1")

    # The secretariat, in its own browser context, releases the round.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": WIDE, "height": HEIGHT}, locale="en-GB"
    )
    violations = csp_violations_watch(context)
    secretariat = context.new_page()
    secretariat.set_default_timeout(30_000)
    login(secretariat, "sec", PASSWORD)
    secretariat.goto(url)
    expect(secretariat.locator(".scored")).to_contain_text(
        "Russian Federation (RUS), United States of America (USA)"
    )
    expect(secretariat.get_by_text("Seen from Washington")).to_have_count(0)
    secretariat.get_by_role("button", name="Release round 1").click()
    expect(secretariat.get_by_role("status")).to_contain_text("Round released")
    assert AssessmentRound.objects.get().released_at is not None
    # The risk matrix, the divergence and the threats over the quarters.
    charts = secretariat.locator("img.chart__image")
    expect(charts).to_have_count(3)
    expect(charts.first).to_have_attribute("alt", re.compile(r"^Risk matrix, CCB/T/1 round 1"))
    for chart in charts.all():
        # Each image decoded and drawn: a chart of its full width, not a broken image.
        assert chart.evaluate("(img) => img.complete && img.naturalWidth > 300")
    context.close()
    assert violations == []

    # The delegate reloads: the released picture with the rationales, anonymised.
    page.goto(url)
    expect(page.locator("img.chart__image")).to_have_count(3)
    expect(page.get_by_text("Seen from Washington: Mid-air collision.")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Your delegation's scores")).to_have_count(0)
    audit.goto(url)
    audit.add_script_tag(path=AXE)
    for width in (WIDE, NARROW):
        problems += _problems(audit, width)
        audit.screenshot(path=SHOTS / f"assessment-released-{width}.png", full_page=True)
    audit_context.close()
    assert problems == []
