import hashlib

import pytest

from agenda.uploads import safe_filename, upload_check
from consult.errors import ApplicationError
from consult.sanitize import sanitize_html
from tests.agenda.papers import (
    HTML_PAGE,
    docx_bytes,
    odt_bytes,
    pdf_bytes,
    plain_zip_bytes,
    upload,
)

# Types by content


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        ("position.pdf", pdf_bytes, "pdf"),
        ("position.docx", docx_bytes, "docx"),
        ("scenario.odt", odt_bytes, "odt"),
        ("no-extension", pdf_bytes, "pdf"),
    ],
)
def test_real_papers_are_recognised_by_content(settings, name, content, fmt):
    """PDF, DOCX and ODT are recognised from their bytes, with size and SHA-256."""
    data = content()
    checked = upload_check(upload(name, data), filename=name)
    assert checked.format == fmt
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.original_filename.endswith(f".{fmt}")


def test_an_html_page_renamed_pdf_is_refused():
    """Renaming an HTML page .pdf does not make it a PDF; the message says what it is."""
    with pytest.raises(ApplicationError) as refused:
        upload_check(upload("report.pdf", HTML_PAGE), filename="report.pdf")
    assert "“report.pdf” is not a PDF, DOCX or ODT document: its content is HTML" in str(
        refused.value
    )
    assert "Renaming a file does not change its type" in str(refused.value)
    assert refused.value.fields["file"]


@pytest.mark.parametrize(
    ("name", "content", "looks_like"),
    [
        ("notes.docx", b"just some words", "plain text"),
        ("archive.docx", plain_zip_bytes(), "a ZIP archive that is neither DOCX nor ODT"),
        ("sheet.odt", odt_bytes(mimetype="application/vnd.oasis.opendocument.spreadsheet"), "ZIP"),
        ("tool.pdf", b"MZ\x90\x00" + b"\x00" * 64, "a program"),
        ("picture.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "an image"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "legacy Microsoft"),
        ("drawing.pdf", b"<?xml version='1.0'?><svg/>", "XML or SVG"),
    ],
)
def test_other_content_is_refused_whatever_its_name(name, content, looks_like):
    """Text, plain archives, spreadsheets, programs, images and .doc files are refused."""
    with pytest.raises(ApplicationError, match="is not a PDF, DOCX or ODT document") as refused:
        upload_check(upload(name, content), filename=name)
    assert looks_like in str(refused.value)


def test_a_paper_whose_name_and_content_disagree_is_refused():
    """A PDF named .docx is refused with the fix in the message."""
    with pytest.raises(ApplicationError, match=r"named \.docx but its content is PDF"):
        upload_check(upload("position.docx", pdf_bytes()), filename="position.docx")


def test_macro_enabled_word_files_are_refused():
    """A DOCX package carrying a VBA project is refused."""
    with pytest.raises(ApplicationError, match="Macro-enabled"):
        upload_check(upload("m.docx", docx_bytes(macros=True)), filename="m.docx")


def test_oversized_and_empty_uploads_are_refused(settings):
    """One byte over DOCUMENT_MAX_UPLOAD_BYTES is refused, exactly the limit is not; empty too."""
    data = pdf_bytes()
    settings.DOCUMENT_MAX_UPLOAD_BYTES = len(data) - 1
    with pytest.raises(ApplicationError, match="is larger than the limit"):
        upload_check(upload("big.pdf", data), filename="big.pdf")
    settings.DOCUMENT_MAX_UPLOAD_BYTES = len(data)
    assert upload_check(upload("big.pdf", data), filename="big.pdf").format == "pdf"
    with pytest.raises(ApplicationError, match="is empty"):
        upload_check(upload("empty.pdf", b""), filename="empty.pdf")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ('evil"; filename="x.html.pdf', "evil_filenamex.html.pdf"),
        ("C:\\Users\\me\\paper.PDF", "C_Users_me_paper.pdf"),
        ("", "document.pdf"),
    ],
)
def test_download_names_are_safe(name, expected):
    """Paths, quotes and header tricks are stripped; the extension is the real type's."""
    assert safe_filename(name, "pdf") == expected


# Rich text


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>"),
        ('<iframe src="https://evil.example"></iframe><p>x</p>', "<p>x</p>"),
        ("<style>p{display:none}</style><p>x</p>", "<p>x</p>"),
        ('<p onclick="steal()" style="color:red">x</p>', "<p>x</p>"),
        (
            '<a href="javascript:alert(1)">x</a>',
            '<a rel="noopener noreferrer">x</a>',
        ),
        (
            '<a href=" JaVaScRiPt:alert(1)">x</a>',
            '<a rel="noopener noreferrer">x</a>',
        ),
        (
            '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
            '<a rel="noopener noreferrer">x</a>',
        ),
        ('<img src="x" onerror="alert(1)"><p>x</p>', "<p>x</p>"),
        ("<svg><script>alert(1)</script></svg><p>x</p>", "<p>x</p>"),
        ("<object data='x.swf'></object><embed src='x'><p>x</p>", "<p>x</p>"),
        (
            '<a href="https://osce.org" target="_blank" rel="opener">OSCE</a>',
            '<a href="https://osce.org" rel="noopener noreferrer">OSCE</a>',
        ),
    ],
)
def test_unsafe_markup_is_neutralised(dirty, clean):
    """Scripts, frames, styles, handlers and javascript:/data: links go; links lose their opener."""
    result = sanitize_html(dirty)
    assert result.html == clean
    assert result.removed_markup


def test_a_paper_s_formatting_is_kept():
    """Headings, lists, tables, emphasis and plain links pass unchanged."""
    html = (
        "<h2>Findings</h2><p><strong>Risk</strong> is <em>rising</em>.</p>"
        "<ol><li>One</li><li>Two</li></ol>"
        '<table><thead><tr><th scope="col">Party</th></tr></thead>'
        '<tbody><tr><td colspan="2">USA</td></tr></tbody></table>'
        '<blockquote>Quoted</blockquote><p><a href="mailto:sec@example.org">Write</a></p>'
    )
    result = sanitize_html(html)
    link = '<a href="mailto:sec@example.org">'
    assert result.html == html.replace(link, link[:-1] + ' rel="noopener noreferrer">')
    assert not result.removed_markup


def test_text_made_only_of_unsafe_markup_is_blank():
    """Nothing readable remains of a script alone."""
    assert sanitize_html("<script>alert(1)</script>").is_blank
    assert not sanitize_html("<p>Words</p>").is_blank
