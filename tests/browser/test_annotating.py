"""Noting a passage in the briefing pack, as a delegate does it: select words, note them."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from agenda.models import Document
from tests.briefings.packs import Table
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

NOTE = "Check the corridor map against ours."
SELECT = """(paragraph, words) => {
  const text = paragraph.firstChild;
  const at = text.data.indexOf(words);
  const range = document.createRange();
  range.setStart(text, at);
  range.setEnd(text, at + words.length);
  document.getSelection().removeAllRanges();
  document.getSelection().addRange(range);
}"""


def test_selected_words_are_noted_and_highlighted(
    page: Page,
    login: Callable[..., None],
    table: Table,
) -> None:
    page.set_default_timeout(60_000)
    login(page, table.user("USA").username, PASSWORD)
    page.goto(f"/sessions/{table.session.public_id}/pack/")
    paper = page.locator(f"#paper-{table.background.public_id}")
    note_button = paper.get_by_role("button", name="Note on the selected words")
    expect(note_button).to_be_hidden()

    paper.locator(".pack-rich-text p").evaluate(SELECT, "humanitarian corridors")
    note_button.click()
    expect(paper.get_by_label("Passage")).to_have_value("humanitarian corridors")
    paper.get_by_label("Your note").fill(NOTE)
    paper.get_by_role("button", name="Save the note").click()

    expect(page.locator(".message--success")).to_contain_text("only your delegation reads it")
    expect(paper.locator("mark.pack-highlight")).to_have_text("humanitarian corridors")
    expect(paper.locator(".pack-annotation")).to_contain_text(NOTE)
    note = Document.objects.get(annotates=table.background)
    assert note.passage == "humanitarian corridors"
