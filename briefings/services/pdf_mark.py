"""The invisible per-copy mark: a faint grid of dots that encodes a copy's id.

Like a printer's machine identification code, every page of a stamped copy
carries a sparse grid of light grey dots, one per cell of ``PITCH`` points.
Each cell holds one bit: its dot sits a third of a cell left (0) or right (1)
of the cell's centre line. A tile of ``ROWS`` by ``COLUMNS`` cells holds the
copy's public id (16 bytes) with 16 bytes of Reed-Solomon parity, whitened
by a fixed mask so that no id draws a plain pattern; the tile repeats over
the whole page, so any part of a page larger than a tile or so (a page with
its header and footer cut off, a photographed half page) still holds every
bit many times over.

The tile is one form XObject per render, written per copy into a fixed-length
slot (``pdf_stamp`` places it); pages only paint it, tile by tile, so stamping
writes 256 small squares however many pages the pack has.
``briefings.services.trace`` reads it back from an image.
"""

from __future__ import annotations

import functools
import random
import uuid

from reedsolo import RSCodec

PITCH = 9.0  # points between the centres of neighbouring cells
ROWS = 16
COLUMNS = 16
SHIFT = PITCH / 3  # between a cell's two dot places
DOT = 1.6  # side of a dot, points
GREY = 0.86  # the dots' fill (1 is white)
ID_BYTES = 16
PARITY_BYTES = 16
TILE_WIDTH = COLUMNS * PITCH
TILE_HEIGHT = ROWS * PITCH
XOBJECT_RESOURCE = "/ConsultMark"
BLEND_RESOURCE = "/ConsultMarkBlend"
SLOT_BYTES = 8192


@functools.cache
def codec() -> RSCodec:
    return RSCodec(PARITY_BYTES)


@functools.cache
def whitening() -> tuple[int, ...]:
    """A fixed pseudo-random mask over the tile's bits (the same in every copy)."""
    rng = random.Random(0x5EED_C0DE)  # noqa: S311 (not a secret: it only balances the dots)
    return tuple(rng.getrandbits(1) for _ in range(ROWS * COLUMNS))


def bits_from_id(public_id: uuid.UUID) -> list[int]:
    """The tile's bits, row by row from the top left, for ``public_id``."""
    codeword = bytes(codec().encode(public_id.bytes))
    bits = [(byte >> (7 - k)) & 1 for byte in codeword for k in range(8)]
    return [bit ^ mask for bit, mask in zip(bits, whitening(), strict=True)]


def id_from_bits(bits: list[int]) -> uuid.UUID | None:
    """The id a tile's bits (read from the top left) encode, or None if they encode none."""
    from reedsolo import ReedSolomonError

    plain = [bit ^ mask for bit, mask in zip(bits, whitening(), strict=True)]
    codeword = bytes(
        sum(plain[8 * n + k] << (7 - k) for k in range(8)) for n in range(ID_BYTES + PARITY_BYTES)
    )
    try:
        message, _, _ = codec().decode(codeword)
    except ReedSolomonError:
        return None
    return uuid.UUID(bytes=bytes(message))


@functools.cache
def _dot_places() -> tuple[tuple[str, str], ...]:
    """For each cell, row by row from the top, the square drawn for a 0 and for a 1."""
    places = []
    for row in range(ROWS):
        y = TILE_HEIGHT - (row + 0.5) * PITCH - DOT / 2
        for column in range(COLUMNS):
            x = (column + 0.5) * PITCH - SHIFT / 2 - DOT / 2
            places.append(
                (f"{x:.2f} {y:.2f} {DOT} {DOT} re\n", f"{x + SHIFT:.2f} {y:.2f} {DOT} {DOT} re\n")
            )
    return tuple(places)


def tile_content(public_id: uuid.UUID) -> bytes:
    """The content stream of the tile form XObject for ``public_id``."""
    squares = "".join(
        place[bit] for place, bit in zip(_dot_places(), bits_from_id(public_id), strict=True)
    )
    return f"q {BLEND_RESOURCE} gs {GREY} g\n{squares}f\nQ\n".encode("ascii")


@functools.cache
def page_tiling(width: float, height: float) -> str:
    """Content that paints the tile over a ``width`` by ``height`` page, from its top left."""
    parts = []
    y = height - TILE_HEIGHT
    while y > -TILE_HEIGHT:
        x = 0.0
        while x < width:
            parts.append(f"q 1 0 0 1 {x:.2f} {y:.2f} cm {XOBJECT_RESOURCE} Do Q\n")
            x += TILE_WIDTH
        y -= TILE_HEIGHT
    return "".join(parts)
