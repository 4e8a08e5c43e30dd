"""What a leaker does to a copy, with the tools a leaker has: poppler's ``pdftoppm`` to
rasterise a page at 150 dpi, cropping away its header and footer (and with them the
visible stamp's line), saved as JPEG at quality 70."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from briefings.models import Pack
from tests.briefings.packs import Table, build_packs, read
from tests.worlds import table_delegate

# A4 at 150 dpi is 1240 x 1754 pixels: keep y 150..1600, cutting about 72 points
# from the top (the running header) and 74 from the bottom (the footer and the stamp line).
CROP = {"x": 0, "y": 150, "W": 1240, "H": 1450}
EXTRA_US_DELEGATES = 38  # with the US and Russian delegates, 40 copies


def build_forty_copies(table: Table) -> list[Pack]:
    """38 more members of the US delegation, then the US and Russian copies (two renders)."""
    for n in range(EXTRA_US_DELEGATES):
        table_delegate(table.parties["USA"], f"delegate-usa-{n:02d}", first="Adviser", last=f"{n}")
    build_packs(table.session, only=[table.user("USA"), table.user("RUS")])
    copies = list(Pack.objects.filter(session=table.session, status="ready"))
    assert len(copies) == 40
    return copies


def leaked_jpeg(pdf: bytes, folder: Path, *, page: int = 3, quality: int = 70) -> bytes:
    """Page ``page`` of ``pdf``, rasterised, cropped and saved as JPEG by pdftoppm itself."""
    tool = shutil.which("pdftoppm")
    assert tool is not None, "poppler-utils is installed by bin/with-services"
    source = folder / "leaked.pdf"
    source.write_bytes(pdf)
    crop = [part for key, value in CROP.items() for part in (f"-{key}", str(value))]
    pages = ["-f", str(page), "-l", str(page)]
    jpeg = ["-jpeg", "-jpegopt", f"quality={quality}", "-singlefile"]
    subprocess.run(
        [tool, "-r", "150", *pages, *crop, *jpeg, str(source), str(folder / "leak")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (folder / "leak.jpg").read_bytes()


def copy_bytes(pack: Any) -> bytes:
    return read(pack.file)
