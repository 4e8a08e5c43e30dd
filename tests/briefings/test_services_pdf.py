"""The locked-down renderer (consult/pdf.py): what a render may load, and its limits."""

from __future__ import annotations

import contextlib
import time
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from pypdf import PdfReader

from consult.pdf import (
    PdfError,
    PdfRenderLimitExceeded,
    PdfResourceRefused,
    asset_url,
    html_to_pdf,
    media_url,
    run_limited,
)

ONE_PIXEL_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
    "/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)
SQUARE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
    '<rect width="20" height="20"/></svg>'
)


def hostile_corpus(base: str) -> list[str]:
    return [
        f'<img src="{base}/image.png">',
        f'<img src="{base}/redirect-to-loopback">',
        f'<link rel="stylesheet" href="{base}/redirect">',
        '<img src="file:///etc/passwd">',
        '<style>@import url("file:///etc/passwd");</style>',
        f'<style>@import "{base}/import.css";</style>',
        '<link rel="attachment" href="file:///etc/passwd">',
        f'<link rel="attachment" href="{base}/attachment">',
        f'<div style="background: url({base}/background)">x</div>',
        f"<style>@font-face {{ font-family: x; src: url({base}/font.woff) }}"
        " p { font-family: x }</style><p>text</p>",
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{base}/in-svg.png"/></svg>',
        f'<img src="data:image/png;base64,{ONE_PIXEL_PNG}">',
        f'<object data="{base}/object"></object>',
        '<link rel="stylesheet" href="consult-static:../../../etc/passwd">',
        '<img src="consult-media:packs/copies/someone-else.pdf">',
        '<img src="consult-media:documents/../../etc/passwd">',
        f"<style>body {{ list-style-image: url({base}/bullet.png) }}</style><ul><li>x</li></ul>",
    ]


# Without a base URL these name nothing WeasyPrint would load (or it ignores the
# element): the render goes on and nothing is fetched.
IGNORED = [
    '<img src="../../../../etc/passwd">',
    '<img src="//127.0.0.1/protocol-relative">',
    '<iframe src="http://127.0.0.1:1/frame"></iframe>',
]


@pytest.mark.parametrize("index", range(len(hostile_corpus("http://127.0.0.1:1"))))
def test_hostile_inputs_are_refused_without_any_access(recorder, index: int) -> None:
    """No remote, file, data or traversal URL is fetched; the render stops instead."""
    base, hits = recorder
    html = hostile_corpus(base)[index]
    started = time.monotonic()
    with pytest.raises(PdfResourceRefused):
        html_to_pdf(f"<html><body><p>before</p>{html}<p>after</p></body></html>")
    assert time.monotonic() - started < 30
    assert hits == []


@pytest.mark.parametrize("html", IGNORED)
def test_references_weasyprint_ignores_fetch_nothing(recorder, html: str) -> None:
    """Relative and unsupported references render as nothing, and reach nothing."""
    _, hits = recorder
    assert html_to_pdf(html).startswith(b"%PDF")
    assert hits == []


@pytest.mark.parametrize(
    ("html", "base_url"),
    [
        ('<img src="passwd">', "file:///etc/"),
        ('<img src="../../../../etc/passwd">', "consult-static:briefings/"),
        ('<link rel="stylesheet" href="style.css">', "http://127.0.0.1:1/"),
    ],
)
def test_relative_references_resolve_to_nothing_loadable(html: str, base_url: str) -> None:
    """Whatever the base URL, a relative reference must still land on an internal scheme."""
    with pytest.raises(PdfResourceRefused):
        html_to_pdf(html, base_url=base_url)


def test_a_refusal_inside_an_svg_still_aborts_the_render(recorder) -> None:
    """WeasyPrint swallows errors while drawing SVG; the recorded refusal still aborts."""
    base, hits = recorder
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        f'<image href="{base}/x.png" width="10" height="10"/></svg>'
    )
    with pytest.raises(PdfResourceRefused) as refused:
        html_to_pdf(svg)
    assert refused.value.url.startswith(base)
    assert hits == []


def test_the_projects_own_static_assets_are_served() -> None:
    """A stylesheet named by the internal scheme is loaded and applied."""
    pdf = html_to_pdf(
        f'<link rel="stylesheet" href="{asset_url("briefings/pack.css", for_pdf=True)}">'
        '<p class="pack-banner">Classified</p>'
    )
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    # Upper case and the page footer come from the stylesheet only.
    assert "CLASSIFIED" in text
    assert "Page 1 of 1" in text


def test_a_missing_static_asset_aborts_like_a_foreign_one() -> None:
    """An internal URL that names nothing is refused too (no fallback to the file system)."""
    with pytest.raises(PdfResourceRefused):
        html_to_pdf(f'<link rel="stylesheet" href="{asset_url("no/such.css", for_pdf=True)}">')


def test_uploaded_papers_are_served_but_no_other_media(media_root) -> None:
    """Only uploaded papers (documents/) load; a stored pack copy never does."""
    svg = SQUARE_SVG.encode()
    paper = default_storage.save("documents/x/figure.svg", ContentFile(svg))
    copy = default_storage.save("packs/copies/x/figure.svg", ContentFile(svg))
    assert html_to_pdf(f'<img src="{media_url(paper)}">').startswith(b"%PDF")
    with pytest.raises(PdfResourceRefused):
        html_to_pdf(f'<img src="{media_url(copy)}">')


def test_a_render_past_its_time_limit_is_stopped() -> None:
    """A runaway render ends at the limit, in a child, and says why."""
    endless = "".join(f"<p>{n} " + "lorem ipsum " * 40 + "</p>" for n in range(40_000))
    started = time.monotonic()
    with pytest.raises(PdfRenderLimitExceeded, match="longer than 2 seconds"):
        run_limited(lambda: (html_to_pdf(endless), {}), seconds=2, memory_bytes=2 * 1024**3)
    assert time.monotonic() - started < 10


def test_huge_css_values_end_within_the_limit() -> None:
    """Enormous sizes render, fail cleanly or hit the limit; none hangs the worker."""
    html = (
        '<div style="height: 1e9px; width: 1e9px">tall</div>'
        '<p style="font-size: 1e6px; letter-spacing: 1e7px">huge</p>'
        '<div style="columns: 100000; column-gap: 0">' + "word " * 2000 + "</div>"
        '<p style="margin-left: -1e9px; padding: 1e8px">far</p>'
    )
    started = time.monotonic()
    # Pango refuses some of these sizes outright: a clean failure is fine.
    with contextlib.suppress(PdfError):
        run_limited(lambda: (html_to_pdf(html), {}), seconds=20, memory_bytes=1024**3)
    assert time.monotonic() - started < 30


def test_a_render_past_its_memory_limit_is_stopped() -> None:
    """The child's address space is capped: a render that needs more fails, the worker lives."""

    def greedy() -> tuple[bytes, dict]:
        hog = [bytearray(64 * 1024 * 1024) for _ in range(64)]
        return bytes(len(hog)), {}

    with pytest.raises(PdfRenderLimitExceeded, match="memory"):
        run_limited(greedy, seconds=30, memory_bytes=256 * 1024 * 1024)


def test_a_limited_render_reports_its_peak_memory() -> None:
    """The child's peak resident memory comes back with the result."""
    result = run_limited(lambda: (html_to_pdf("<p>small</p>"), {"pages": 1}), seconds=30)
    assert result.data.startswith(b"%PDF")
    assert result.meta == {"pages": 1}
    assert 10 * 1024 * 1024 < result.peak_rss_bytes < 2 * 1024**3
