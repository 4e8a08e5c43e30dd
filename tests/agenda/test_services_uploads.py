import hashlib
import zipfile

import pytest

from agenda.uploads import safe_filename, upload_check
from consult.errors import ApplicationError
from consult.sanitize import sanitize_html
from tests.agenda.papers import (
    DOCX_CONTENT_TYPES,
    DOCX_DOCUMENT,
    HTML_PAGE,
    ODT_CONTENT,
    docx_bytes,
    odt_bytes,
    pdf_bytes,
    plain_zip_bytes,
    upload,
    zip_bomb_bytes,
    zip_package_bytes,
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


# Parsed, not only sniffed


@pytest.mark.parametrize(
    "content",
    [
        pdf_bytes() + b"\n<html><body><script>alert(document.cookie)</script></body></html>",
        b"%PDF-1.4\n<!DOCTYPE html><p>hello</p>\n" + pdf_bytes()[9:],
        pdf_bytes().replace(b"%%EOF", b"<iframe src=x></iframe>%%EOF"),
    ],
    ids=["html-after", "html-at-the-start", "iframe-before-eof"],
)
def test_a_pdf_carrying_html_is_refused(content):
    """A PDF/HTML polyglot is refused, whatever part of the file holds the markup."""
    with pytest.raises(ApplicationError, match="starts like a PDF but carries HTML"):
        upload_check(upload("polyglot.pdf", content), filename="polyglot.pdf")


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.7 this is not a pdf", b"%PDF-1.4\n" + bytes(range(256)) * 8],
    ids=["text", "binary"],
)
def test_a_file_pypdf_cannot_read_is_refused(content):
    """Starting with %PDF- is not enough: the file must open as a PDF."""
    with pytest.raises(ApplicationError, match="cannot be read as one") as refused:
        upload_check(upload("broken.pdf", content), filename="broken.pdf")
    assert refused.value.fields == {"file": ["The PDF cannot be read."]}


def test_a_zip_bomb_is_refused_from_its_directory_without_extracting(monkeypatch):
    """A 2 MB DOCX whose part expands to 2 GiB is refused; the part is never opened."""
    data = zip_bomb_bytes()
    assert len(data) < 3 * 1024**2
    opened: list[str] = []
    original_open = zipfile.ZipFile.open

    def recording_open(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return original_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)
    with pytest.raises(ApplicationError, match=r"would expand to 2\.0.GB, more than the 200\.0.MB"):
        upload_check(upload("bomb.docx", data), filename="bomb.docx")
    assert "word/document.xml" not in opened


def test_the_expansion_limit_is_a_setting(settings):
    """Under a lower limit, an ordinary DOCX that expands past it is refused."""
    settings.DOCUMENT_MAX_EXPANDED_BYTES = 512
    with pytest.raises(ApplicationError, match=r"more than the 512.bytes a paper may hold"):
        upload_check(upload("position.docx", docx_bytes()), filename="position.docx")
    settings.DOCUMENT_MAX_EXPANDED_BYTES = 10 * 1024
    assert upload_check(upload("position.docx", docx_bytes()), filename="position.docx")


def test_a_part_compressed_beyond_any_document_is_refused():
    """Under the total limit, one part compressed a thousand times is still refused."""
    data = zip_bomb_bytes(16 * 1024**2)
    with pytest.raises(ApplicationError, match="looks like a compression bomb") as refused:
        upload_check(upload("dense.docx", data), filename="dense.docx")
    assert "word/document.xml" in str(refused.value)


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        (
            "no-main-part.docx",
            {
                "[Content_Types].xml": DOCX_CONTENT_TYPES.replace("document.main+xml", "x"),
                "word/document.xml": DOCX_DOCUMENT,
            },
        ),
        ("no-manifest.odt", {"mimetype": "application/vnd.oasis.opendocument.text"}),
        (
            "no-content.odt",
            {
                "mimetype": "application/vnd.oasis.opendocument.text",
                "META-INF/manifest.xml": "<manifest/>",
                "content.xml": ODT_CONTENT,
            },
        ),
    ],
)
def test_a_zip_that_is_not_a_valid_docx_or_odt_is_refused(name, parts):
    """The package must hold what makes it a word-processing document."""
    with pytest.raises(ApplicationError, match="is a ZIP package but not a valid"):
        upload_check(upload(name, zip_package_bytes(parts)), filename=name)


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
