"""Per-delegate stamps on a shared render, without re-rendering or re-parsing it.

``prepare`` runs once per audience render: it adds an embedded font, wraps
every page's content in ``q … Q`` and appends to each page a reference to a
*slot*, an uncompressed content stream of fixed length filled with blanks.
Pages of the same geometry share a slot; the cover page has its own.
``stamp`` then writes each delegate's marks (name, delegation, UTC time and
pack id) into the slots and the pack id into the document information,
overwriting bytes in place: the file keeps its length, so its cross-reference
table stays valid, and a copy costs one copy of the bytes. The stamp is part
of every page's content (not an annotation), so it prints and is extracted
with the text.

Each copy also carries its id where a leaker does not see it (``pdf_mark``):
a faint grid of dots on every page (a form XObject in its own fixed-length
slot, painted tile by tile from the page slots), an invisible text layer
(render mode 3) and the document's XMP metadata, besides the information
dictionary. ``briefings.services.trace`` reads them back.
"""

from __future__ import annotations

import math
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from django.utils.translation import gettext
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
)

from briefings.services import pdf_mark
from briefings.services.pdf_stamp_font import StampError, StampFont, stamp_font, stamp_font_add
from consult.times import utc_text

FONT_RESOURCE = "/ConsultStampFont"
STATE_RESOURCE = "/ConsultStampState"
PACK_ID_KEY = "/ConsultPackId"
PACK_ID_LENGTH = 36  # str(uuid.UUID)
SLOT_BYTES = 8192
COVER_SLOT_BYTES = 10240
COPY_TEXT_PREFIX = "Consult copy "
XMP_NAMESPACE = "urn:consult:briefing-pack:1"
MAX_TEXT = 160


@dataclass(frozen=True, slots=True)
class Prepared:
    data: bytes
    slots: dict[str, Any]
    """JSON-able: where to write the stamps (stored with the render)."""
    page_count: int


@dataclass(frozen=True, slots=True)
class Recipient:
    name: str
    delegation: str
    pack_id: str
    stamped_at: datetime


# Preparing a render


def _plain_stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _resource_dict(parent: DictionaryObject, key: str) -> DictionaryObject:
    value = parent.get(key)
    if value is None:
        created = DictionaryObject()
        parent[NameObject(key)] = created
        return created
    resolved = value.get_object()
    if not isinstance(resolved, DictionaryObject):
        raise StampError(f"A page's {key} resources are malformed.")
    return resolved


def _geometry(page: Any) -> tuple[float, float, float, float, int]:
    box = page.cropbox
    rotate = int(page.get("/Rotate", 0) or 0) % 360
    if rotate not in (0, 90, 180, 270):
        rotate = 0
    return (float(box.left), float(box.bottom), float(box.right), float(box.top), rotate)


def recipient_anchor(reader: PdfReader) -> tuple[int, float, float] | None:
    # The cover marks where "Prepared for" goes with an element id: WeasyPrint
    # turns it into a named destination carrying the page and the position.
    try:
        destination = reader.named_destinations.get("recipient")
    except Exception:  # a malformed name tree only costs the cover line
        return None
    if destination is None:
        return None
    page_number = reader.get_destination_page_number(destination)
    left, top = destination.get("/Left"), destination.get("/Top")
    if page_number is None or left is None or top is None:
        return None
    return page_number, float(left), float(top)


def prepare(pdf: bytes) -> Prepared:
    """Add the stamp font and an empty slot to every page of ``pdf``."""
    reader = PdfReader(BytesIO(pdf))
    return prepare_writer(PdfWriter(clone_from=reader), anchor=recipient_anchor(reader))


def prepare_writer(writer: PdfWriter, *, anchor: tuple[int, float, float] | None) -> Prepared:
    """``prepare`` for a document being assembled; ``anchor`` places the cover line."""
    font_ref = stamp_font_add(writer)
    state_ref = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/ExtGState"),
                NameObject("/ca"): FloatObject(0.09),
                NameObject("/CA"): FloatObject(0.09),
            }
        )
    )
    save_ref = writer._add_object(_plain_stream(b"q\n"))
    restore_ref = writer._add_object(_plain_stream(b"\nQ\n"))

    marker = secrets.token_hex(12)
    mark_tag = f"%{marker}-mark\n".encode()
    mark = _plain_stream(mark_tag + b" " * (pdf_mark.SLOT_BYTES - len(mark_tag)))
    mark[NameObject("/Type")] = NameObject("/XObject")
    mark[NameObject("/Subtype")] = NameObject("/Form")
    mark[NameObject("/BBox")] = ArrayObject(
        [FloatObject(value) for value in (0, 0, pdf_mark.TILE_WIDTH, pdf_mark.TILE_HEIGHT)]
    )
    # Multiplied with what is under it: a dot over ink leaves the ink as dark as it was.
    multiply = DictionaryObject({NameObject("/BM"): NameObject("/Multiply")})
    mark[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/ExtGState"): DictionaryObject(
                {NameObject(pdf_mark.BLEND_RESOURCE): writer._add_object(multiply)}
            )
        }
    )
    mark_ref = writer._add_object(mark)
    xmp_placeholder = f"{secrets.token_hex(12)}{'1' * (PACK_ID_LENGTH - 24)}"
    xmp = _plain_stream(_xmp(writer, xmp_placeholder))
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    slots: list[dict[str, Any]] = []
    slot_refs: dict[tuple[Any, ...], IndirectObject] = {}

    def slot_for(
        key: tuple[Any, ...], geometry: tuple[float, ...], cover: dict[str, float] | None
    ) -> IndirectObject:
        if key not in slot_refs:
            number = len(slots)
            size = COVER_SLOT_BYTES if cover else SLOT_BYTES
            tag = f"%{marker}-{number:04d}\n".encode()
            slot_refs[key] = writer._add_object(_plain_stream(tag + b" " * (size - len(tag))))
            slots.append(
                {"tag": tag.decode(), "length": size, "geometry": list(geometry), "cover": cover}
            )
        return slot_refs[key]

    for index, page in enumerate(writer.pages):
        page.pop("/AA", None)  # no page actions from uploaded annexes
        resources = _resource_dict(page, "/Resources")
        _resource_dict(resources, "/Font")[NameObject(FONT_RESOURCE)] = font_ref
        _resource_dict(resources, "/ExtGState")[NameObject(STATE_RESOURCE)] = state_ref
        _resource_dict(resources, "/XObject")[NameObject(pdf_mark.XOBJECT_RESOURCE)] = mark_ref
        geometry = _geometry(page)
        if anchor is not None and anchor[0] == index:
            cover = {"left": anchor[1], "top": anchor[2]}
            slot = slot_for(("cover", index), geometry, cover)
        else:
            slot = slot_for(("page", *geometry), geometry, None)
        contents = page.raw_get("/Contents") if "/Contents" in page else None
        existing: list[Any] = []
        if contents is not None:
            resolved = contents.get_object()
            if isinstance(resolved, ArrayObject):
                existing = list(resolved)
            elif isinstance(contents, IndirectObject):
                existing = [contents]
            else:
                existing = [writer._add_object(resolved)]
        page[NameObject("/Contents")] = ArrayObject([save_ref, *existing, restore_ref, slot])

    writer.add_metadata({PACK_ID_KEY: f"{marker}{'0' * (PACK_ID_LENGTH - len(marker))}"})
    output = BytesIO()
    writer.write(output)
    data = output.getvalue()

    for entry in slots:
        tag = entry.pop("tag").encode()
        offset = data.find(tag)
        if offset < 0 or data.count(tag) != 1:
            raise StampError("A stamp slot could not be located in the prepared PDF.")
        entry["offset"] = offset
    info_value = f"({marker}{'0' * (PACK_ID_LENGTH - len(marker))})".encode()
    info_offset = data.find(info_value)
    if info_offset < 0:
        raise StampError("The pack id field could not be located in the prepared PDF.")
    mark_offset, xmp_offset = data.find(mark_tag), data.find(xmp_placeholder.encode())
    if mark_offset < 0 or xmp_offset < 0 or data.count(xmp_placeholder.encode()) != 1:
        raise StampError("The copy mark could not be located in the prepared PDF.")
    return Prepared(
        data=data,
        slots={
            "pages": slots,
            "pack_id_offset": info_offset + 1,
            "mark": {"offset": mark_offset, "length": pdf_mark.SLOT_BYTES},
            "xmp_offset": xmp_offset,
        },
        page_count=len(writer.pages),
    )


def _xmp(writer: PdfWriter, copy_id: str) -> bytes:
    """The render's XMP packet (WeasyPrint's PDF/UA identification kept) with a description
    naming the copy; the id is overwritten in place per copy."""
    description = (
        f'<rdf:Description rdf:about="" xmlns:consult="{XMP_NAMESPACE}">'
        f"<consult:copy>{copy_id}</consult:copy></rdf:Description>"
    ).encode()
    existing = writer._root_object.get("/Metadata")
    try:
        packet = existing.get_object().get_data() if existing is not None else b""
    except Exception:  # an unreadable packet is replaced, not kept
        packet = b""
    if isinstance(packet, bytes) and packet.count(b"</rdf:RDF>") == 1:
        return packet.replace(b"</rdf:RDF>", description + b"</rdf:RDF>")
    return (
        b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        + description
        + b'</rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>'
    )


# Stamping a copy


def _encode(text: str, font: StampFont) -> tuple[str, float]:
    """Glyph ids as hex for ``Tj`` and the text's width in 1/1000 em."""
    gids = [font.glyphs.get(ord(char), font.fallback_gid) for char in text]
    return "".join(f"{gid:04X}" for gid in gids), sum(font.widths.get(g, 600) for g in gids)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _display_matrix(geometry: list[float]) -> tuple[str, float, float]:
    """The ``cm`` that maps the page as displayed (after /Rotate) onto user space."""
    x0, y0, x1, y1, rotate = geometry
    width, height = x1 - x0, y1 - y0
    matrices = {
        0: (1, 0, 0, 1, x0, y0),
        90: (0, 1, -1, 0, x0 + width, y0),
        180: (-1, 0, 0, -1, x0 + width, y0 + height),
        270: (0, -1, 1, 0, x0, y0 + height),
    }
    cm = " ".join(f"{v:.2f}" for v in matrices[int(rotate)])
    if rotate in (90, 270):
        return cm, height, width
    return cm, width, height


def _text(hex_glyphs: str, size: float, matrix: tuple[float, ...], colour: str) -> str:
    tm = " ".join(f"{v:.3f}" for v in matrix)
    return f"BT {FONT_RESOURCE} {size:.2f} Tf {colour} {tm} Tm <{hex_glyphs}> Tj ET\n"


def _slot_content(slot: dict[str, Any], recipient: Recipient, font: StampFont) -> bytes:
    cm, width, height = _display_matrix(slot["geometry"])
    when = utc_text(recipient.stamped_at, "Y-m-d H:i")
    who = _shorten(f"{recipient.name}, {recipient.delegation}")
    # Worded in the active language (``copies`` activates the render's).
    line = gettext("Prepared for %(who)s · %(when)s · Pack %(pack)s") % {
        "who": who,
        "when": when,
        "pack": recipient.pack_id,
    }
    parts = [f"q {cm} cm\n"]

    # The mark, then the id as invisible text (render mode 3), under the visible stamp.
    parts.append(pdf_mark.page_tiling(round(width, 2), round(height, 2)))
    glyphs, _ = _encode(f"{COPY_TEXT_PREFIX}{recipient.pack_id}", font)
    parts.append(f"q 3 Tr {_text(glyphs, 4, (1, 0, 0, 1, 12, height / 2), '0 g')}Q\n")

    # The diagonal: large, faint, across the middle of the page.
    glyphs, em = _encode(_shorten(f"{recipient.name} · {recipient.delegation}"), font)
    diagonal = math.hypot(width, height)
    size = min(44.0, 0.75 * diagonal / max(em / 1000, 1))
    angle = math.atan2(height, width)
    cos, sin = math.cos(angle), math.sin(angle)
    half = em / 1000 * size / 2
    x = width / 2 - cos * half + sin * size / 3
    y = height / 2 - sin * half - cos * size / 3
    parts.append(f"q {STATE_RESOURCE} gs\n")
    parts.append(_text(glyphs, size, (cos, sin, -sin, cos, x, y), "0.55 0.05 0.05 rg"))
    parts.append("Q\n")

    # The line along the bottom edge, below the page footer.
    glyphs, em = _encode(line, font)
    size = min(6.5, (width - 24) / max(em / 1000, 1))
    x = (width - em / 1000 * size) / 2
    parts.append(_text(glyphs, size, (1, 0, 0, 1, x, 9), "0.25 0.25 0.25 rg"))

    cover = slot.get("cover")
    if cover:
        x0, y0 = slot["geometry"][0], slot["geometry"][1]
        left, top = cover["left"] - x0, cover["top"] - y0
        available = width - 2 * left
        for text, base_size, drop in (
            (_shorten(recipient.name), 17.0, 38.0),
            (_shorten(recipient.delegation), 11.0, 56.0),
        ):
            glyphs, em = _encode(text, font)
            size = min(base_size, available / max(em / 1000, 1))
            parts.append(_text(glyphs, size, (1, 0, 0, 1, left + 10, top - drop), "0.1 0.1 0.2 rg"))
    parts.append("Q\n")
    return "".join(parts).encode("ascii")


def stamp(data: bytes, slots: dict[str, Any], recipient: Recipient) -> bytes:
    """``data`` (a prepared render) with ``recipient``'s marks on every page."""
    if len(recipient.pack_id) != PACK_ID_LENGTH:
        raise StampError("A pack id is a UUID.")
    font = stamp_font()
    output = bytearray(data)
    for slot in slots["pages"]:
        content = _slot_content(slot, recipient, font)
        if len(content) > slot["length"]:
            raise StampError("The stamp does not fit its slot.")
        start = slot["offset"]
        output[start : start + slot["length"]] = content + b" " * (slot["length"] - len(content))
    mark, xmp_offset = slots.get("mark"), slots.get("xmp_offset")
    if mark is not None and xmp_offset is not None:  # renders prepared before the mark have none
        tile = pdf_mark.tile_content(uuid.UUID(recipient.pack_id))
        if len(tile) > mark["length"]:
            raise StampError("The copy mark does not fit its slot.")
        start = mark["offset"]
        output[start : start + mark["length"]] = tile + b" " * (mark["length"] - len(tile))
        output[xmp_offset : xmp_offset + PACK_ID_LENGTH] = recipient.pack_id.encode("ascii")
    pack_id_offset = slots["pack_id_offset"]
    output[pack_id_offset : pack_id_offset + PACK_ID_LENGTH] = recipient.pack_id.encode("ascii")
    return bytes(output)
