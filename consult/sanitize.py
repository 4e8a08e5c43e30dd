"""The rich-text policy: what HTML delegates and the secretariat may store.

Rich text (papers, notes, later minutes) is sanitised once, when it is
saved, so templates, PDFs and the API can emit the stored HTML as it is.
The allowed set is what a paper needs (headings, lists, tables, links,
emphasis): no images (a remote image is a read receipt for whoever hosts
it), no styles, no scripts or frames, no event handlers, and links only to
``http``, ``https`` and ``mailto`` targets, opened without an opener or a
referrer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del",
        "dl", "dt", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "li", "ol",
        "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    # The language of a passage in another one (a parallel text's authoritative words
    # standing in for a missing translation), for screen readers and hyphenation.
    "*": {"lang"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
# Their content goes with them: the text of a script or a style sheet is not prose.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "frameset"}
)
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer"


@dataclass(frozen=True, slots=True)
class Sanitised:
    html: str
    removed_markup: bool
    """True when tags or attributes beyond formatting were dropped (worth telling the author)."""

    @property
    def is_blank(self) -> bool:
        return not _visible_text(self.html).strip()


# Any of these means the author wrote structure (in the editor, or by hand):
# then line breaks in the source are only source formatting.
_BLOCK_MARKUP = re.compile(r"<(p|br|h[1-6]|ul|ol|li|table|blockquote|pre|div|hr|dl)\b", re.I)
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def paragraphs_from_plain_text(text: str) -> str:
    """Plain text (the textarea without the editor) as paragraphs: a blank line
    between paragraphs, a single newline a line break. Text with block markup
    is returned as it is."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\n" not in text or _BLOCK_MARKUP.search(text):
        return text
    return "".join(
        "<p>" + "<br>".join(line.strip() for line in block.split("\n")) + "</p>"
        for block in _BLANK_LINES.split(text)
    )


def sanitize_html(html: str) -> Sanitised:
    """``html`` cleaned to the allowed set; plain text keeps its paragraphs."""
    html = paragraphs_from_plain_text(html)
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return Sanitised(html=cleaned, removed_markup=_markup(html) - _markup(cleaned) != set())


class _MarkupCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.markup: set[tuple[str, str, str]] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.markup.add((tag, "", ""))
        for name, value in attrs:
            if name != "rel":
                self.markup.add((tag, name, value or ""))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _markup(html: str) -> set[tuple[str, str, str]]:
    parser = _MarkupCollector()
    parser.feed(html)
    parser.close()
    return parser.markup


def _visible_text(html: str) -> str:
    parser = _MarkupCollector()
    parser.feed(html)
    parser.close()
    return "".join(parser.text)
