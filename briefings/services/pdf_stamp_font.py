"""The font the stamps are written in: DejaVu Sans, subset once per process and embedded.

Latin, Greek, Cyrillic and punctuation are kept (the names of the body's
delegates); the glyph ids, widths and metrics read here are what
``pdf_stamp`` writes its text with.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from fontTools import subset
from fontTools.ttLib import TTFont
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

FONT_NAME = "CCSTMP+ConsultStamp"
# Latin, Greek, Cyrillic and punctuation: the names of the body's delegates.
STAMP_UNICODE_RANGES = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x250),
    *range(0x370, 0x400),
    *range(0x400, 0x530),
    *range(0x2010, 0x2060),
]


class StampError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class StampFont:
    program: bytes
    glyphs: dict[int, int]  # code point -> glyph id
    widths: dict[int, float]  # glyph id -> width in 1/1000 em
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int
    fallback_gid: int


def _font_path() -> str:
    # The font WeasyPrint itself renders with; fontconfig knows where it lives.
    fc_match = shutil.which("fc-match")
    found = ""
    if fc_match:
        found = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [fc_match, "--format=%{file}", "DejaVu Sans:style=Book"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        ).stdout.strip()
    if not found.lower().endswith(".ttf"):
        raise StampError(
            "No TrueType sans-serif font found for the stamps; install fontconfig and "
            "fonts-dejavu-core."
        )
    return found


@functools.cache
def stamp_font() -> StampFont:
    """The embedded stamp font, subset once per process (call before forking renders)."""
    font = TTFont(_font_path())
    options = subset.Options()
    options.retain_gids = True  # glyph ids stay those of the cmap read below
    options.notdef_outline = True
    options.hinting = False
    options.layout_features = []
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=STAMP_UNICODE_RANGES)
    subsetter.subset(font)
    buffer = BytesIO()
    font.save(buffer)
    scale = 1000 / font["head"].unitsPerEm
    glyphs: dict[int, int] = {}
    widths: dict[int, float] = {}
    for code_point, glyph_name in font.getBestCmap().items():
        gid = font.getGlyphID(glyph_name)
        glyphs[code_point] = gid
        widths[gid] = round(font["hmtx"][glyph_name][0] * scale, 1)
    head = font["head"]
    os2 = font["OS/2"]
    return StampFont(
        program=buffer.getvalue(),
        glyphs=glyphs,
        widths=widths,
        bbox=(
            round(head.xMin * scale),
            round(head.yMin * scale),
            round(head.xMax * scale),
            round(head.yMax * scale),
        ),
        ascent=round(os2.sTypoAscender * scale),
        descent=round(os2.sTypoDescender * scale),
        cap_height=round(getattr(os2, "sCapHeight", 700 / scale) * scale),
        fallback_gid=glyphs[ord("?")],
    )


def _to_unicode_cmap(glyphs: dict[int, int]) -> bytes:
    by_gid = sorted({gid: cp for cp, gid in glyphs.items()}.items())
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for start in range(0, len(by_gid), 100):
        chunk = by_gid[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend(f"<{gid:04X}> <{_utf16_hex(cp)}>" for gid, cp in chunk)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def _utf16_hex(code_point: int) -> str:
    return chr(code_point).encode("utf-16-be").hex().upper()


def _widths_array(widths: dict[int, float]) -> ArrayObject:
    array = ArrayObject()
    gids = sorted(widths)
    run: list[int] = []
    for gid in gids:
        if run and gid != run[-1] + 1:
            array.extend([NumberObject(run[0]), ArrayObject(FloatObject(widths[g]) for g in run)])
            run = []
        run.append(gid)
    if run:
        array.extend([NumberObject(run[0]), ArrayObject(FloatObject(widths[g]) for g in run)])
    return array


def _compressed_stream(data: bytes, **entries: Any) -> StreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in entries.items():
        stream[NameObject(f"/{key}")] = value
    return stream.flate_encode()


def stamp_font_add(writer: PdfWriter) -> IndirectObject:
    """Add the stamp font to ``writer``; returns the reference its pages' resources name."""
    font = stamp_font()
    program = writer._add_object(
        _compressed_stream(font.program, Length1=NumberObject(len(font.program)))
    )
    descriptor = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/FontDescriptor"),
                NameObject("/FontName"): NameObject(f"/{FONT_NAME}"),
                NameObject("/Flags"): NumberObject(32),
                NameObject("/FontBBox"): ArrayObject(NumberObject(v) for v in font.bbox),
                NameObject("/ItalicAngle"): NumberObject(0),
                NameObject("/Ascent"): NumberObject(font.ascent),
                NameObject("/Descent"): NumberObject(font.descent),
                NameObject("/CapHeight"): NumberObject(font.cap_height),
                NameObject("/StemV"): NumberObject(80),
                NameObject("/FontFile2"): program,
            }
        )
    )
    cid_font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/CIDFontType2"),
                NameObject("/BaseFont"): NameObject(f"/{FONT_NAME}"),
                NameObject("/CIDSystemInfo"): DictionaryObject(
                    {
                        NameObject("/Registry"): TextStringObject("Adobe"),
                        NameObject("/Ordering"): TextStringObject("Identity"),
                        NameObject("/Supplement"): NumberObject(0),
                    }
                ),
                NameObject("/FontDescriptor"): descriptor,
                NameObject("/CIDToGIDMap"): NameObject("/Identity"),
                NameObject("/DW"): NumberObject(600),
                NameObject("/W"): _widths_array(font.widths),
            }
        )
    )
    to_unicode = writer._add_object(_compressed_stream(_to_unicode_cmap(font.glyphs)))
    return writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type0"),
                NameObject("/BaseFont"): NameObject(f"/{FONT_NAME}"),
                NameObject("/Encoding"): NameObject("/Identity-H"),
                NameObject("/DescendantFonts"): ArrayObject([cid_font]),
                NameObject("/ToUnicode"): to_unicode,
            }
        )
    )
