"""Every page, as every demo role, at 1280 and 390 pixels wide.

The walk follows the links each role is shown, from its dashboard (or, for a
visitor, from the login page), and visits one page per URL name: a page shows
the same markup whichever object it is about. On each page, at both widths:

- axe-core (the pinned copy in ``tests/browser/vendor``, injected by the
  test, never fetched) finds no serious or critical violation of WCAG 2.2 AA;
- there is exactly one ``h1`` and no id is used twice;
- at 390 pixels nothing scrolls sideways: the document is no wider than the
  window (tables scroll inside their own box).

One browser context per role; the page is loaded once and checked at the
second width by resizing the window, which keeps the walk's runtime bounded.
``test_the_walk_reaches_every_page`` checks that, between them, the roles
reached every page the project defines.
"""

from __future__ import annotations

import io
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError
from pytest_django.live_server_helper import LiveServer

from agenda.models import AgendaItem, Document
from consult.access import Distribution
from crises.models import AfterActionReport, Exercise
from minutes.models import Communique, Minutes
from tests.conftest import _login
from tests.test_authorization_matrix import _route_names

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WIDE, NARROW = 1280, 390
HEIGHT = 900
ROLES = (
    None,  # a visitor who has not signed in
    "secretariat",
    "delegate-usa",
    "delegate-rus",
    "delegate-nato",
    "delegate-eu",
    "delegate-ukr",
    "analyst",
)
SERIOUS = {"serious", "critical"}
# Not pages of the platform: the Django admin and the API's own browsable
# views and documentation (third-party pages, checked by their projects).
OUTSIDE = ("/admin/", "/api/", "/static/", "/media/")

# URLs that are not pages, with the reason; the walk must reach every other URL.
_ACTION = "a form's target: answers POST only, its form is on a walked page"
_FILE = "a file (PDF, iCalendar, Atom, CSV), not a page"
_ALLAUTH = (
    "a step of allauth's own flows (sign-up is closed, there is no e-mail; second factor, "
    "reauthentication and password reset are tested in tests/test_second_factor.py and "
    "tests/test_logins.py)"
)
# The account pages a signed-in user is shown: walked from the start like the rest.
ACCOUNT_PAGES = ["/accounts/2fa/", "/accounts/sessions/", "/accounts/password/change/"]
UNREACHED: dict[str, str] = {
    **dict.fromkeys(
        [
            "account_login",
            "account_logout",
            "account_inactive",
            "account_signup",
            "account_reauthenticate",
            "account_request_reauthentication_code",
            "account_confirm_reauthentication_code",
            "account_email",
            "account_email_verification_sent",
            "account_set_password",
            "account_reset_password",
            "account_confirm_login_code",
            "account_confirm_email",
            "account_reset_password_from_key_done",
            "account_reset_password_from_key",
            "account_reset_password_done",
            "mfa_authenticate",
            "mfa_reauthenticate",
            "mfa_activate_totp",
            "mfa_deactivate_totp",
            "mfa_view_recovery_codes",
            "mfa_generate_recovery_codes",
            "mfa_download_recovery_codes",
            "mfa_list_webauthn",
            "mfa_add_webauthn",
            "mfa_reauthenticate_webauthn",
            "mfa_remove_webauthn",
            "mfa_edit_webauthn",
        ],
        _ALLAUTH,
    ),
    **dict.fromkeys(
        [
            "agenda:agenda_adopt",
            "agenda:agenda_carry_over",
            "agenda:agenda_circulate",
            "agenda:agenda_reopen",
            "agenda:agendaitem_move",
            "agenda:agendaitem_remove",
            "agenda:agendaitem_translation_confirm",
            "agenda:document_translation_confirm",
            "agenda:invitation_accept",
            "agenda:invitation_decline",
            "agenda:invitation_revoke",
            "agenda:objection_answer",
            "agenda:session_transition",
            "notices:viewer_timezone_set",
            "analytics:token_revoke",
            "analytics:logout_everywhere",
            "agenda:document_release",
            "briefings:pack_rebuild",
            "logout",
            "members:rotation_plan",
            "members:language_set",
            "minutes:actionpoint_create",
            "minutes:actionpoint_status",
            "minutes:amendment_decide",
            "minutes:amendment_propose",
            "minutes:attendance_record",
            "minutes:communique_circulate",
            "minutes:communique_publish",
            "minutes:communique_translation_confirm",
            "minutes:communique_version_add",
            "minutes:interpretative_attach",
            "minutes:minutes_approve",
            "minutes:minutes_circulate",
            "minutes:minutes_create",
            "minutes:position_state",
            "minutes:silence_break",
            "crises:crisis_transition",
            "crises:crisis_unlink",
            "crises:threat_retire",
            "crises:round_release",
            "crises:round_open_next",
            "crises:exercise_start",
            "crises:exercise_pause",
            "crises:exercise_end",
            "crises:aar_draft",
            "crises:aar_confirm",
            "crises:inject_release",
            "crises:inject_disclose",
            "crises:response_record",
            "crises:off_ramp_transition",
            "crises:crisis_translation_confirm",
            "crises:off_ramp_translation_confirm",
            "crises:norm_translation_confirm",
            "crises:exercise_translation_confirm",
            "crises:inject_translation_confirm",
            "crises:aar_translation_confirm",
            "crises:threat_translation_confirm",
            "crises:adherence_state",
            "crises:incident_respond",
            "crises:alert_acknowledge",
            "crises:alert_request_session",
        ],
        _ACTION,
    ),
    "crises:off_ramp_detail": (
        "an option's page, linked from the off-ramp board of a crisis with options; the walk "
        "opens one board per role (the first crisis's, which has none): role by role in "
        "tests/crises/test_pages_authorization_registers.py"
    ),
    "crises:off_ramp_translations": (
        "the secretariat's translations of an option, linked from the option's page, which "
        "the walk does not reach (above): tests/crises/test_parallel_toolkit.py"
    ),
    "crises:off_ramp_edit": (
        "the secretariat's edit of an option, linked from the option's page, which the walk "
        "does not reach (above): tests/crises/test_toolkit_edit.py"
    ),
    "crises:alerts_live": (
        "the alerts' live channel (server-sent events) every signed-in page's script reads: "
        "tests/browser/test_alerts_live.py"
    ),
    "crises:exercise_live": (
        "the exercise pages' live channel (server-sent events), read by their script: "
        "tests/browser/test_exercises.py"
    ),
    **dict.fromkeys(
        [
            "agenda:calendar_feed",
            "agenda:document_download",
            "agenda:document_version_download",
            "briefings:pack_download",
            "minutes:communique_feed",
            "minutes:communique_feed_language",
            "minutes:communique_signed_json",
            "minutes:communique_signed_pdf",
            "minutes:signing_key_pem",
            "minutes:statements_export",
        ],
        _FILE,
    ),
}

AXE_RUN = """async () => {
  const result = await axe.run(document, {
    resultTypes: ["violations"],
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  targets: v.nodes.slice(0, 3).map((n) => n.target.join(" "))}));
}"""

PAGE_FACTS = """() => {
  const ids = [...document.querySelectorAll("[id]")].map((e) => e.id);
  return {
    h1: document.querySelectorAll("h1").length,
    duplicateIds: [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))],
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
  };
}"""


@dataclass
class Walk:
    visited: dict[str, str] = field(default_factory=dict)  # URL name -> path
    problems: list[str] = field(default_factory=list)


def _page_name(path: str) -> str | None:
    if path.startswith(OUTSIDE):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _check(page: Page, path: str, width: int) -> tuple[list[str], list[str]]:
    """Problems found on the loaded page at ``width``, and the links it shows."""
    page.set_viewport_size({"width": width, "height": HEIGHT})
    facts = page.evaluate(PAGE_FACTS)
    problems = []
    if facts["h1"] != 1:
        problems.append(f"{facts['h1']} h1 elements")
    if facts["duplicateIds"]:
        problems.append(f"ids used twice: {facts['duplicateIds']}")
    if facts["scrollWidth"] > facts["innerWidth"]:
        problems.append(f"{facts['scrollWidth']} px wide in a {facts['innerWidth']} px window")
    for violation in page.evaluate(AXE_RUN):
        problems.append(
            f"axe {violation['impact']} {violation['id']} ({violation['help']}): "
            f"{violation['targets']}"
        )
    return [f"{path} at {width} px: {problem}" for problem in problems], facts["links"]


def walk_as(context: BrowserContext, origin: str, starts: list[str]) -> Walk:
    walk = Walk()
    page = context.new_page()
    queue = [origin + start for start in starts]
    seen_paths: set[str] = set()
    while queue:
        url = queue.pop(0)
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        name = _page_name(parts.path)
        if name is None or name in walk.visited or path in seen_paths:
            continue
        seen_paths.add(path)
        page.set_viewport_size({"width": WIDE, "height": HEIGHT})
        try:
            response = page.goto(origin + path)
        except PlaywrightError as error:
            if "Download is starting" in error.message:
                continue  # a file, not a page
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        if response.status >= 400 or urlsplit(page.url).path != parts.path:
            # A refusal or a redirect (to the login page, say) is not this page.
            continue
        walk.visited[name] = path
        page.add_script_tag(path=AXE)
        links: list[str] = []
        for width in (WIDE, NARROW):
            problems, links = _check(page, path, width)
            walk.problems.extend(problems)
        queue.extend(link for link in links if link.startswith(origin))
    page.close()
    return walk


def pages_behind_forms() -> list[str]:
    """Pages reached through a form or a button rather than a link (the walk follows links)."""
    minutes = Minutes.objects.order_by("created_at").first()
    communique = Communique.objects.order_by("created_at").first()
    item = AgendaItem.objects.order_by("created_at").first()
    # The participants' paper with the most versions: its comparison is linked only past one.
    paper = (
        Document.objects.filter(distribution=Distribution.PARTICIPANTS)
        .order_by("-current_version", "created_at")
        .first()
    )
    # The exercise with a report: the walk meets the report page of one without it first.
    report = AfterActionReport.objects.select_related("exercise").first()
    # The exercise not yet run, whose injects may still be edited: the walk meets the
    # played one first.
    ready = Exercise.objects.filter(status=Exercise.Status.DRAFT).first()
    assert report is not None
    assert ready is not None
    assert paper is not None
    assert minutes is not None
    assert communique is not None
    assert item is not None
    return [
        reverse("minutes:statement_record", kwargs={"public_id": minutes.public_id}),
        reverse("minutes:communique_version_diff", kwargs={"public_id": communique.public_id}),
        reverse("agenda:agendaitem_edit", kwargs={"public_id": item.public_id}),
        reverse("agenda:document_version_diff", kwargs={"public_id": paper.public_id}),
        reverse("agenda:note_annotate", kwargs={"public_id": paper.public_id}),
        reverse("crises:exercise_report", kwargs={"public_id": report.exercise.public_id}),
        reverse("crises:exercise_detail", kwargs={"public_id": ready.public_id}),
    ]


@pytest.fixture
def walks(browser: Browser, live_server: LiveServer) -> dict[str, Walk]:
    call_command("seed_demo", "--demo", stdout=io.StringIO())
    results: dict[str, Walk] = {}
    for username in ROLES:
        # bypass_csp: the test injects axe-core as a script of its own.
        context = browser.new_context(
            base_url=live_server.url,
            locale="en-GB",
            bypass_csp=True,
            viewport={"width": WIDE, "height": HEIGHT},
        )
        context.set_default_timeout(20_000)
        if username is not None:
            login_page = context.new_page()
            _login(login_page, username, settings.DEMO_PASSWORD)
            login_page.close()
        starts = ["/", *pages_behind_forms(), *ACCOUNT_PAGES] if username else ["/accounts/login/"]
        started = time.monotonic()
        walk = walk_as(context, live_server.url, starts)
        context.close()
        results[username or "visitor"] = walk
        seconds = time.monotonic() - started
        print(f"{username or 'visitor'}: {len(walk.visited)} pages in {seconds:.1f} s")
    return results


def test_every_page_works_on_a_phone_and_passes_axe(walks: dict[str, Walk]) -> None:
    """No page scrolls sideways at 390 px or has a serious axe finding, as any role and width."""
    report = {role: walk.problems for role, walk in walks.items() if walk.problems}
    assert report == {}, json.dumps(report, indent=1, ensure_ascii=False)
    reached = set().union(*(walk.visited for walk in walks.values()))
    expected = {
        name
        for name, route in _route_names()
        if not ("/" + route).startswith(OUTSIDE) and name not in UNREACHED
    }
    missing = sorted(expected - reached)
    assert missing == [], f"pages no role reached: {missing}"
