"""Readable changes (consult/diff.py): word by word, paragraph by paragraph, marked for all."""

from consult.diff import html_paragraphs, word_diff

INS = '<ins><span class="visually-hidden">inserted: </span>'
DEL = '<del><span class="visually-hidden">deleted: </span>'


def test_changed_words_are_marked_inside_their_paragraph() -> None:
    """Only the words that changed are marked; the rest of the paragraph reads as it was."""
    diff = word_diff(
        ["The participants noted the report.", "They met in Vienna."],
        ["The participants welcomed the report.", "They met in Vienna."],
    )

    assert diff.changed is True
    assert diff.html == (
        '<div class="word-diff">'
        f"<p>The participants {DEL}noted</del>{INS}welcomed</ins> the report.</p>"
        "<p>They met in Vienna.</p>"
        "</div>"
    )


def test_punctuation_changes_do_not_mark_the_whole_word() -> None:
    """A comma added after a word marks the comma, not the word."""
    diff = word_diff(["Ceasefire now"], ["Ceasefire, now"])

    assert diff.html == f'<div class="word-diff"><p>Ceasefire{INS},</ins> now</p></div>'


def test_added_and_removed_paragraphs_are_marked_whole() -> None:
    """A paragraph that is new, or gone, is one insertion or one deletion."""
    diff = word_diff(
        ["First.", "Second goes away.", "Third."],
        ["First.", "Third.", "Fourth arrives."],
    )

    assert diff.html == (
        '<div class="word-diff">'
        "<p>First.</p>"
        f"<p>{DEL}Second goes away.</del></p>"
        "<p>Third.</p>"
        f"<p>{INS}Fourth arrives.</ins></p>"
        "</div>"
    )


def test_a_rewritten_paragraph_is_replaced_not_patched() -> None:
    """With almost nothing in common, the old paragraph is deleted and the new one inserted."""
    diff = word_diff(["Alpha beta gamma delta."], ["Entirely other words here."])

    assert diff.html == (
        '<div class="word-diff">'
        f"<p>{DEL}Alpha beta gamma delta.</del></p>"
        f"<p>{INS}Entirely other words here.</ins></p>"
        "</div>"
    )


def test_text_is_escaped() -> None:
    """Markup in the compared text is shown as text, never run."""
    diff = word_diff(["<b>x</b> & y"], ['<script>alert("x")</script> & y'])

    assert "<script" not in diff.html
    assert "<b>" not in diff.html
    assert "alert(&quot;" in diff.html
    assert diff.html.endswith("&gt; &amp; y</p></div>")


def test_the_same_text_is_unchanged() -> None:
    """Equal texts are reported unchanged and carry no mark."""
    diff = word_diff(["Same.", "Text."], ["Same.", "Text."])

    assert diff.changed is False
    assert diff.html == '<div class="word-diff"><p>Same.</p><p>Text.</p></div>'


def test_rich_text_is_split_into_its_paragraphs() -> None:
    """Blocks and line breaks of stored rich text become paragraphs; tags and entities go."""
    stored = (
        "<h2>Title</h2><p>One <strong>bold</strong> &amp; more</p><ul><li>a</li><li>b</li></ul>"
    )

    assert html_paragraphs(stored) == ["Title", "One bold & more", "a", "b"]
    assert html_paragraphs("<p>line<br>break</p>") == ["line", "break"]


def test_long_unchanged_runs_are_summed_up_around_the_changes() -> None:
    """With context, unchanged paragraphs away from a change are counted, not shown."""
    before = [f"Paragraph {n}." for n in range(1, 9)]
    after = [*before[:5], "Paragraph six, amended.", *before[6:]]

    diff = word_diff(before, after, context=1)

    assert diff.html == (
        '<div class="word-diff">'
        '<p><span class="word-diff-gap">(4 unchanged paragraphs)</span></p>'
        "<p>Paragraph 5.</p>"
        f"<p>Paragraph {DEL}6</del>{INS}six, amended</ins>.</p>"
        "<p>Paragraph 7.</p>"
        '<p><span class="word-diff-gap">(1 unchanged paragraph)</span></p>'
        "</div>"
    )
