"""The action centre in the browser: a delegate lands on it and reaches each thing in one click."""

import io
import re
from collections.abc import Callable

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from agenda.models import Session
from minutes.models import Communique

pytestmark = pytest.mark.browser


def test_delegate_reaches_the_next_session_and_the_draft_in_one_click(
    page: Page, login: Callable[..., None]
) -> None:
    """delegate-usa sees the next session and the draft awaiting the US position on the
    dashboard; one click on each opens the page where it is done."""
    call_command("seed_demo", "--demo", stdout=io.StringIO())
    draft = Communique.objects.get(status=Communique.Status.CIRCULATED)

    login(page, "delegate-usa")

    next_session = page.locator("#action-next_session")
    expect(next_session.get_by_role("heading", level=3)).to_contain_text("Next session")
    session_link = next_session.get_by_role("link").first
    number = next_session.locator(".action-list__session").first.inner_text()
    session = Session.objects.get(number=number)
    session_link.click()
    expect(page).to_have_url(re.compile(rf"/sessions/{session.public_id}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(session.number)

    page.goto("/")
    drafts = page.locator("#action-drafts_awaiting_position")
    drafts.get_by_role("link", name=re.compile(re.escape(draft.title))).click()
    expect(page).to_have_url(re.compile(rf"/communiques/{draft.public_id}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(draft.title)
