"""Readable changes: two texts compared word by word, paragraph by paragraph.

Communiqué versions, minutes revisions and paper versions are all compared
here. The texts come in as paragraphs of plain text (``html_paragraphs``
turns stored rich text into them); paragraphs are first matched to each other,
then each changed pair is compared word by word. The result is HTML with
``<ins>`` and ``<del>`` around the changed words, each opened by a visually
hidden "inserted:" or "deleted:" so the change does not rest on colour alone
(WCAG 1.4.1), and read out by screen readers that do not announce the tags.
"""

from __future__ import annotations

import difflib
import html
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Words, runs of white space, and single marks of punctuation: a changed comma
# does not mark its whole word, and joining the tokens gives the text back.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
_BLOCK_END = re.compile(r"</(p|h[2-6]|li|tr|blockquote|pre|dd|dt)>|<br\s*/?>", re.IGNORECASE)

INSERTED = '<ins><span class="visually-hidden">inserted: </span>{}</ins>'
DELETED = '<del><span class="visually-hidden">deleted: </span>{}</del>'
GAP = '<span class="word-diff-gap">({})</span>'


@dataclass(frozen=True, slots=True)
class TextDiff:
    html: SafeString
    """One ``<p>`` per paragraph of either text, changes marked; every text escaped."""
    changed: bool


def html_to_text(value: str) -> str:
    """Plain text of stored (sanitised) rich text, one block per line."""
    marked = _BLOCK_END.sub("\n", value or "")
    stripped = nh3.clean(marked, tags=set(), clean_content_tags={"script", "style"})
    lines = (" ".join(html.unescape(line).split()) for line in stripped.splitlines())
    return "\n".join(line for line in lines if line)


def html_paragraphs(value: str) -> list[str]:
    """The paragraphs (blocks) of stored rich text, as plain text."""
    return html_to_text(value).splitlines()


def _words(before: str, after: str) -> str:
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old[i1:i2]), "".join(new[j1:j2])
        if tag == "equal":
            parts.append(escape(removed))
            continue
        if removed:
            parts.append(DELETED.format(escape(removed)))
        if added:
            parts.append(INSERTED.format(escape(added)))
    return "".join(parts)


def _similar(before: str, after: str) -> bool:
    # A rewritten paragraph reads better as one deletion and one insertion
    # than as a patchwork of a few common words.
    old = [token for token in _TOKEN.findall(before) if not token.isspace()]
    new = [token for token in _TOKEN.findall(after) if not token.isspace()]
    return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio() >= 0.4


def _unchanged(texts: Sequence[str], *, context: int | None, first: bool, last: bool) -> list[str]:
    shown: list[str] = [escape(text) for text in texts]
    if context is None:
        return shown
    head = [] if first else shown[:context]
    tail = [] if last else shown[len(shown) - context :]
    hidden = len(shown) - len(head) - len(tail)
    if hidden <= 0:
        return shown
    noun = "paragraph" if hidden == 1 else "paragraphs"
    return [*head, GAP.format(f"{hidden} unchanged {noun}"), *tail]


def word_diff(
    before: Sequence[str], after: Sequence[str], *, context: int | None = None
) -> TextDiff:
    """Compare two texts given as paragraphs; see the module's docstring.

    ``context``: how many unchanged paragraphs to show around each change (all
    of them when None); longer unchanged runs are summed up in one line.
    """
    matcher = difflib.SequenceMatcher(None, list(before), list(after), autojunk=False)
    opcodes = matcher.get_opcodes()
    paragraphs: list[str] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            paragraphs.extend(
                _unchanged(
                    before[i1:i2], context=context, first=index == 0, last=index == len(opcodes) - 1
                )
            )
            continue
        for old, new in itertools.zip_longest(before[i1:i2], after[j1:j2]):
            if old is not None and new is not None and _similar(old, new):
                paragraphs.append(_words(old, new))
                continue
            if old is not None:
                paragraphs.append(DELETED.format(escape(old)))
            if new is not None:
                paragraphs.append(INSERTED.format(escape(new)))
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return TextDiff(
        html=mark_safe(f'<div class="word-diff">{body}</div>'),  # noqa: S308 (every text escaped above)
        changed=list(before) != list(after),
    )
