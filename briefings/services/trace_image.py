"""Reading the dot mark of ``pdf_mark`` back from a picture of a page.

No database and no Django here: pixels in, a copy id (or nothing) out.

1. *Dots.* The page in grey, darkness above a blurred background, kept where
   it is faint (a dot) and away from ink (text, rules, images are masked).
2. *Grid.* The rows of dots repeat every cell: the strongest period of the
   row profile (the largest of its near-equal harmonics) is the cell's size
   in pixels, whatever the resolution; its phase places the rows. The
   columns' phase is the one where every cell has one dot place dark and the
   other light.
3. *Bits.* Each cell votes (right minus left darkness) for its place in the
   tile; the tile's origin is unknown after a crop, so each of its 256
   cyclic shifts is tried, and Reed-Solomon decides: one shift decodes, the
   others (and a page without the mark) do not.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageFilter

from briefings.services import pdf_mark

FloatArray = NDArray[np.float64]

INK = 0.45  # darker than this (0 white, 1 black) is ink, not a dot
MIN_PITCH_PX = 6.0  # 48 dpi: below it the dots are not resolved
MAX_PITCH_PX = 60.0  # 480 dpi
MAX_SIDE_PX = 5000


@dataclass(frozen=True, slots=True)
class MarkReading:
    copy_id: uuid.UUID | None
    pitch_px: float
    cells: int


def _dot_map(image: Image.Image) -> FloatArray:
    grey = image.convert("L")
    if max(grey.size) > MAX_SIDE_PX:
        grey.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX))
    dark = 1.0 - np.asarray(grey, dtype=np.float64) / 255.0
    background = 1.0 - np.asarray(grey.filter(ImageFilter.BoxBlur(12)), dtype=np.float64) / 255.0
    # Ink grown by three pixels (a box blur of the mask is a fast dilation).
    ink = Image.fromarray(((dark > INK) * 255).astype(np.uint8)).filter(ImageFilter.BoxBlur(3))
    dots = np.clip(dark - background, 0.0, INK)
    dots[np.asarray(ink) > 0] = 0.0
    # A 3 x 3 mean: a dot blurred by printing or JPEG still reads at its centre.
    padded = np.pad(dots, 1)
    height, width = dots.shape
    return (
        sum(
            (padded[dy : dy + height, dx : dx + width] for dy in range(3) for dx in range(3)),
            start=np.zeros_like(dots),
        )
        / 9.0
    )


def _pitch(profile: FloatArray) -> tuple[float, float] | None:
    """The period of the rows of dots in ``profile`` and the first row's offset."""
    signal = profile - profile.mean()
    if not np.any(signal):
        return None
    periods = np.arange(MIN_PITCH_PX, min(MAX_PITCH_PX, len(signal) / 4), 0.05)
    if len(periods) == 0:
        return None
    positions = np.arange(len(signal))
    phases = np.exp(-2j * np.pi * np.outer(1.0 / periods, positions))
    spectrum = phases @ signal
    strength = np.abs(spectrum)
    # The harmonics of a train of dots are about as strong as its period: take
    # the longest period that is nearly the strongest.
    strong = np.nonzero(strength >= 0.7 * strength.max())[0]
    best = strong[-1]
    # Refined around it: an error of 0.05 px a cell is a cell in 400.
    fine = np.arange(periods[best] - 0.5, periods[best] + 0.5, 0.005)
    spectrum = np.exp(-2j * np.pi * np.outer(1.0 / fine, positions)) @ signal
    best = int(np.argmax(np.abs(spectrum)))
    period = float(fine[best])
    offset = (-np.angle(spectrum[best]) / (2 * np.pi) * period) % period
    return period, float(offset)


def _sample(dots: FloatArray, ys: FloatArray, xs: FloatArray) -> FloatArray:
    height, width = dots.shape
    yi = np.clip(np.rint(ys).astype(int), 0, height - 1)
    xi = np.clip(np.rint(xs).astype(int), 0, width - 1)
    return dots[np.ix_(yi, xi)]


def read_mark(image: Image.Image) -> MarkReading:
    """The copy id marked on ``image`` (a page or a part of one, upright), if any."""
    dots = _dot_map(image)
    found = _pitch(dots.sum(axis=1))
    if found is None:
        return MarkReading(None, 0.0, 0)
    pitch, row_offset = found
    height, width = dots.shape
    shift = pitch * pdf_mark.SHIFT / pdf_mark.PITCH
    ys = np.arange(row_offset, height, pitch)
    columns = int(width // pitch) + 1
    best_score, best_votes = -1.0, None
    for x0 in np.arange(0.0, pitch, 0.5):
        xs = x0 + np.arange(columns) * pitch
        left = _sample(dots, ys, xs)
        right = _sample(dots, ys, xs + shift)
        votes = right - left
        score = float(np.abs(votes).sum())
        if score > best_score:
            best_score, best_votes = score, votes
    assert best_votes is not None
    rows, columns = best_votes.shape
    tile = np.zeros((pdf_mark.ROWS, pdf_mark.COLUMNS))
    for row in range(rows):
        for column in range(columns):
            tile[row % pdf_mark.ROWS, column % pdf_mark.COLUMNS] += best_votes[row, column]
    bits = tile > 0
    for dr in range(pdf_mark.ROWS):
        for dc in range(pdf_mark.COLUMNS):
            shifted = np.roll(bits, (-dr, -dc), axis=(0, 1))
            copy_id = pdf_mark.id_from_bits([int(b) for b in shifted.flatten()])
            if copy_id is not None:
                return MarkReading(copy_id, pitch, rows * columns)
    return MarkReading(None, pitch, rows * columns)
