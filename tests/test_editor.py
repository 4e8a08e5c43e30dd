"""The rich-text editor (consult/editor.py) and plain text's paragraphs (consult/sanitize.py)."""

import re

import pytest
from django.test import RequestFactory
from django_prose_editor.config import allowlist_from_extensions

from consult.editor import EXTENSIONS, RichTextWidget, with_csp_nonce
from consult.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitize_html

# The editor's own markers: dropped by the sanitiser without changing the text.
EDITOR_ONLY_ATTRIBUTES = {("ol", "data-type"), ("a", "rel")}


def test_the_editor_offers_only_what_the_sanitiser_keeps() -> None:
    """Every tag and attribute the configured editor can produce survives sanitising."""
    allowed = allowlist_from_extensions(EXTENSIONS)

    assert allowed["tags"] <= ALLOWED_TAGS
    produced = {(tag, name) for tag, names in allowed["attributes"].items() for name in names}
    kept = {(tag, name) for tag, names in ALLOWED_ATTRIBUTES.items() for name in names}
    assert produced - kept == EDITOR_ONLY_ATTRIBUTES


def test_the_widget_is_a_textarea_the_editor_enhances() -> None:
    """Without JavaScript the field is a plain, labelled textarea."""
    html = RichTextWidget(attrs={"rows": 4}).render("text", "<p>x</p>", attrs={"id": "id_text"})

    assert html.startswith('<textarea name="text"')
    assert 'id="id_text"' in html
    assert "data-django-prose-editor-configurable" in html
    assert "&lt;p&gt;x&lt;/p&gt;</textarea>" in html


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("One.\n\nTwo.", "<p>One.</p><p>Two.</p>"),
        ("Line\nbreak", "<p>Line<br>break</p>"),
        ("Windows\r\n\r\nends", "<p>Windows</p><p>ends</p>"),
        ("Many\n \n\n\nblank lines", "<p>Many</p><p>blank lines</p>"),
        ("One line", "One line"),
        # Written with structure (by the editor): its line breaks are only source formatting.
        ("<p>One</p>\n\n<p>Two</p>", "<p>One</p>\n\n<p>Two</p>"),
        ("Text\n\n<script>alert(1)</script>after", "<p>Text</p><p>after</p>"),
    ],
)
def test_plain_text_keeps_its_paragraphs(typed: str, stored: str) -> None:
    """Blank lines part paragraphs and newlines break lines; marked-up text is left as it is."""
    assert sanitize_html(typed).html == stored


def test_editor_scripts_carry_the_page_nonce() -> None:
    """The editor's import map (an inline script) and modules take the request's CSP nonce."""
    media = RichTextWidget().media

    request = RequestFactory().get("/")
    setattr(request, "_csp_nonce", "n0nce")  # noqa: B010 (as the CSP middleware sets it)
    with_nonce = str(with_csp_nonce(media, request))
    assert '<script type="importmap" nonce="n0nce">' in with_nonce
    scripts = re.findall(r"<script[^>]*>", with_nonce)
    assert len(scripts) == 4
    assert all('nonce="n0nce"' in script for script in scripts)
    # Tiptap finds its styles' marker (served as a file) and injects no inline <style>.
    assert '<style data-tiptap-style nonce="n0nce"></style>' in with_nonce
    assert "css/prosemirror.css" in with_nonce
    assert 'nonce="' not in str(with_csp_nonce(media, RequestFactory().get("/")))
