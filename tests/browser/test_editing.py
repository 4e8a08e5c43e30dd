"""Writing and comparing texts in the browser: the editor keeps paragraphs, changes are marked."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from agenda.models import Document, Invitation
from agenda.services.invitations import invitation_create
from minutes.services.communiques import communique_draft, communique_version_add
from tests.factories import (
    PASSWORD,
    PartyFactory,
    SessionFactory,
    delegate,
    seat_for,
    secretariat_user,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def table() -> dict[str, Any]:
    usa = PartyFactory(code="USA", name_en="United States")
    seat_for(usa)
    writer = delegate(usa, "writer")
    session = SessionFactory(number="CCB/E/1", starts_at=timezone.now() + timedelta(days=20))
    invitation_create(
        session=session, party=usa, kind=Invitation.Kind.MEMBER, user=None, notify=False
    )
    return {"writer": writer, "session": session}


def _new_note(page: Page, session_number: str, title: str) -> None:
    page.goto("/notes/new/")
    page.get_by_label("For the session").select_option(label=session_number)
    page.get_by_label("Title").fill(title)


def _body(title: str) -> str:
    return Document.objects.get(title=title).versions.get().body_html


def test_a_note_typed_in_the_editor_keeps_its_paragraphs(
    page: Page, login: Callable[..., None], table: dict[str, Any]
) -> None:
    """Two paragraphs typed in the editor are stored as two paragraphs, with their emphasis."""
    # The live server's first answer (and the editor's 550 kB module) can take
    # longer than the default on a busy machine.
    page.set_default_timeout(60_000)
    login(page, "writer", PASSWORD)
    _new_note(page, "CCB/E/1", "Talking points")

    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type("Our line on the ceasefire.")
    page.keyboard.press("Enter")
    page.keyboard.type("Ask for ")
    page.keyboard.press("Control+b")
    page.keyboard.type("monitors")
    page.keyboard.press("Control+b")
    page.keyboard.type(".")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()

    assert _body("Talking points") == (
        "<p>Our line on the ceasefire.</p><p>Ask for <strong>monitors</strong>.</p>"
    )


def test_without_javascript_the_textarea_keeps_paragraphs(
    browser: Browser, live_server: LiveServer, login: Callable[..., None], table: dict[str, Any]
) -> None:
    """With scripts off the field is a textarea; its blank lines still part paragraphs."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(60_000)
    page = context.new_page()
    login(page, "writer", PASSWORD)
    _new_note(page, "CCB/E/1", "Plain points")

    page.get_by_label("Note").fill("First point.\nStill the first.\n\nSecond point.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    context.close()

    assert _body("Plain points") == "<p>First point.<br>Still the first.</p><p>Second point.</p>"


def test_the_communique_comparison_marks_the_changed_words(
    page: Page, login: Callable[..., None], table: dict[str, Any]
) -> None:
    """Only the words that changed are marked, as deleted and inserted, with a text label."""
    secretary = secretariat_user()
    communique = communique_draft(
        session=table["session"],
        user=secretary,
        title="Joint communiqué",
        text="<p>The participants noted the report.</p><p>They met in Vienna.</p>",
    )
    communique_version_add(
        communique=communique,
        user=secretary,
        text="<p>The participants welcomed the report.</p><p>They met in Vienna.</p>",
    )
    login(page, "secretary", PASSWORD)

    page.goto(f"/communiques/{communique.public_id}/versions/diff/")

    expect(page.locator(".word-diff del")).to_have_text(["deleted: noted"])
    expect(page.locator(".word-diff ins")).to_have_text(["inserted: welcomed"])
    expect(page.locator(".word-diff p").nth(1)).to_have_text("They met in Vienna.")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 < width
