"""Page-image clean-up before OCR: grey, despeckle, deskew, scale, (optionally) binarise.

Pure functions on PIL images (numpy for the arithmetic). What each step buys was measured on
degraded 200 dpi scans of English and Khmer legal pages (see bench/extraction_eval.py):

- a 3x3 median filter removes salt-and-pepper specks, and :func:`remove_specks` the dust
  blobs it leaves in margins and between lines; otherwise tesseract reads them as
  punctuation and stray letters;
- ruling lines are erased: tesseract drops the text of ruled table cells;
- deskew by projection profile: text lines are sharpest in the row histogram of dark
  pixels when the page is straight, so the angle maximising the histogram's energy (sum of
  squared differences between adjacent rows) over a small range is the skew;
- Otsu binarisation and upscaling a 200 dpi scan to 300 or 400 dpi did not help (both are
  available: ``clean_page(binary=True)``, ``scale``).
"""

from __future__ import annotations

import logging
import math

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageFilter

logger = logging.getLogger(__name__)

#: Largest skew searched for, in degrees (scanners and copiers skew a page by a few degrees).
MAX_SKEW = 5.0
#: Pixels darker than this (0..255) are ink for the skew histogram when Otsu cannot decide.
INK = 128
#: Sizes in pixels at 200 dpi (scaled with the resolution): largest speck, the clear gap
#: around it, shortest ruling line.
SPECK_PX = 7
SPECK_GAP_PX = 12
RULE_PX = 120


def grey(image: Image.Image) -> Image.Image:
    """The image in 8-bit grey (transparency composed on white)."""
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return image if image.mode == "L" else image.convert("L")


def despeckle(image: Image.Image, size: int = 3) -> Image.Image:
    """Median filter of ``size`` (odd): removes specks smaller than half the window."""
    return image.filter(ImageFilter.MedianFilter(size))


def remove_specks(
    image: Image.Image, *, size: int = SPECK_PX, gap: int = SPECK_GAP_PX
) -> Image.Image:
    """Erase isolated specks: ink that fits in a ``size`` x ``size`` box with no other ink
    within ``gap`` pixels around it (dust and toner dots that a median filter leaves).

    Marks that belong to text (dots of i, full stops, the halves of ``;`` and of Khmer
    reahmuk, bantoc above a letter) sit closer than ``gap`` to other ink, and Khmer digits
    and letters are larger than the box, so they stay (a 6-pixel gap at 200 dpi measurably
    ate reahmuk and semicolons on crisp pages; 12 leaves them).
    """
    page = grey(image)
    pixels = np.asarray(page, dtype=np.uint8)
    ink = (pixels <= otsu_threshold(page)).astype(np.int32)
    if not ink.any():
        return page
    inner = _box_sum(ink, size)
    outer = _box_sum(ink, size + 2 * gap)
    isolated = (inner > 0) & (inner == outer)
    erase = _box_sum(isolated.astype(np.int32), size) > 0
    erase &= pixels < 255
    if not erase.any():
        return page
    cleaned = pixels.copy()
    cleaned[erase] = 255
    return Image.fromarray(cleaned, mode="L")


def remove_rules(image: Image.Image, *, length: int = 120, thickness: int = 1) -> Image.Image:
    """Erase horizontal and vertical ruling lines (runs of ink at least ``length`` pixels
    long), widened by ``thickness`` pixels: tesseract drops the text inside ruled table
    cells, and reads it once the rules are gone."""
    page = grey(image)
    pixels = np.asarray(page, dtype=np.uint8)
    ink = pixels <= otsu_threshold(page)
    rules = _runs(ink, length, axis=1) | _runs(ink, length, axis=0)
    if not rules.any():
        return page
    if thickness:
        rules = _box_sum(rules.astype(np.int32), 2 * thickness + 1) > 0
    cleaned = pixels.copy()
    cleaned[rules] = 255
    return Image.fromarray(cleaned, mode="L")


def otsu_threshold(image: Image.Image) -> int:
    """Otsu's threshold of a grey image: the level that best separates ink from paper."""
    histogram = np.asarray(image.histogram()[:256], dtype=np.float64)
    total = histogram.sum()
    if total == 0:
        return INK
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(histogram)
    mean = np.cumsum(histogram * levels)
    background = total - weight
    valid = (weight > 0) & (background > 0)
    between = np.zeros(256)
    mu0 = np.divide(mean, weight, out=np.zeros(256), where=valid)
    mu1 = np.divide(mean[-1] - mean, background, out=np.zeros(256), where=valid)
    between[valid] = weight[valid] * background[valid] * (mu0[valid] - mu1[valid]) ** 2
    return int(np.argmax(between)) if between.any() else INK


def binarise(image: Image.Image, threshold: int | None = None) -> Image.Image:
    """Black ink on white (mode ``L``, values 0 and 255) at ``threshold`` or Otsu's."""
    level = otsu_threshold(image) if threshold is None else threshold
    return image.point(lambda value: 255 if value > level else 0)


def estimate_skew(
    image: Image.Image, *, max_angle: float = MAX_SKEW, precision: float = 0.05
) -> float:
    """Angle in degrees by which to rotate ``image`` (counter-clockwise, as PIL's
    ``rotate``) to make its text lines horizontal; 0.0 when there is no text to go by.

    Projection profile: for each candidate angle the dark pixels are sheared onto rows and
    the row histogram's energy (sum of squared differences between neighbouring rows) is
    taken; straight lines give the sharpest histogram. Coarse 0.5-degree steps, then finer.
    """
    ys, xs = _ink(image)
    if len(xs) < 200:
        return 0.0
    xs = xs - xs.mean()
    best = 0.0
    step = 0.5
    low, high = -max_angle, max_angle
    while True:
        angles = np.arange(low, high + step / 2, step)
        scores = [_profile_energy(ys, xs, float(angle)) for angle in angles]
        best = float(angles[int(np.argmax(scores))])
        if step <= precision:
            break
        low, high = best - step, best + step
        step = max(step / 5, precision)
    return round(best, 2)


def deskew(image: Image.Image, angle: float | None = None) -> tuple[Image.Image, float]:
    """``image`` straightened (white fills the corners) and the angle it was rotated by.
    Angles under 0.1 degree are left alone: resampling costs more than they do."""
    if angle is None:
        angle = estimate_skew(image)
    if abs(angle) < 0.1:
        return image, 0.0
    fill = 255 if image.mode == "L" else (255,) * len(image.getbands())
    rotated = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)
    return rotated, angle


def rescale(image: Image.Image, factor: float) -> Image.Image:
    """``image`` resized by ``factor`` (Lanczos); unchanged when the factor is about 1."""
    if abs(factor - 1) < 0.02:
        return image
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, resample=Image.Resampling.LANCZOS)


def clean_page(
    image: Image.Image,
    *,
    dpi: float = 200,
    scale: float = 1.0,
    despeckle_page: bool = True,
    straighten: bool = True,
    unrule: bool = True,
    binary: bool = False,
) -> Image.Image:
    """The clean-up chain for OCR of an image at ``dpi``: grey; 3x3 median and isolated
    specks erased (``despeckle_page``); deskew (``straighten``); ruling lines erased
    (``unrule``); resize by ``scale``; Otsu binarisation (``binary``, off: it measured
    slightly worse than tesseract's own thresholding)."""
    page = grey(image)
    unit = dpi / 200
    if despeckle_page:
        page = despeckle(page, 3)
        page = remove_specks(
            page, size=max(3, round(SPECK_PX * unit)), gap=max(2, round(SPECK_GAP_PX * unit))
        )
    if straighten:
        page, angle = deskew(page)
        if angle:
            logger.debug("deskewed by %.2f degrees", angle)
    if unrule:
        page = remove_rules(page, length=max(20, round(RULE_PX * unit)))
    page = rescale(page, scale)
    if binary:
        page = binarise(page)
    return page


def _box_sum(values: NDArray[np.int32], size: int) -> NDArray[np.int32]:
    """Sum of ``values`` over the ``size`` x ``size`` box centred on each pixel (zero
    padding outside the image), by a summed-area table."""
    before = size // 2 + 1  # one more for the summed-area table's leading zero
    after = size - 1 - size // 2
    padded = np.pad(values, ((before, after), (before, after)))
    table = padded.cumsum(axis=0).cumsum(axis=1)
    total: NDArray[np.int32] = (
        table[size:, size:] - table[:-size, size:] - table[size:, :-size] + table[:-size, :-size]
    )
    return total


def _runs(ink: NDArray[np.bool_], length: int, axis: int) -> NDArray[np.bool_]:
    """Pixels lying on a straight run of ink at least ``length`` long along ``axis``."""
    size = ink.shape[axis]
    if size < length:
        return np.zeros_like(ink)
    pad = [(0, 0), (0, 0)]
    pad[axis] = (1, 0)
    counts = np.pad(np.cumsum(ink, axis=axis, dtype=np.int32), pad)
    # full[i]: the window [i, i + length) is all ink, for i in 0 .. size - length.
    full = (
        np.take(counts, np.arange(length, size + 1), axis=axis)
        - np.take(counts, np.arange(0, size - length + 1), axis=axis)
    ) == length
    starts = np.pad(np.cumsum(full, axis=axis, dtype=np.int32), pad)
    # Pixel j is covered by the windows starting in [j - length + 1, j].
    index = np.arange(size)
    high = np.minimum(index, size - length) + 1
    low = np.maximum(index - length + 1, 0)
    covered = np.take(starts, high, axis=axis) - np.take(starts, low, axis=axis)
    result: NDArray[np.bool_] = covered > 0
    return result


def _ink(image: Image.Image) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Row and column of the ink pixels, from an image at most ~1200 px wide (enough for a
    0.05-degree estimate, and fast)."""
    page = grey(image)
    factor = min(1.0, 1200 / max(1, page.width))
    if factor < 1:
        page = page.resize(
            (max(1, round(page.width * factor)), max(1, round(page.height * factor))),
            resample=Image.Resampling.BILINEAR,
        )
    page = page.filter(ImageFilter.MedianFilter(3))
    pixels = np.asarray(page, dtype=np.uint8)
    level = otsu_threshold(page)
    ys, xs = np.nonzero(pixels <= level)
    if len(xs) > pixels.size // 3:  # dark page or no contrast: nothing to measure
        return np.empty(0), np.empty(0)
    return ys.astype(np.float64), xs.astype(np.float64)


def _profile_energy(ys: NDArray[np.float64], xs: NDArray[np.float64], angle: float) -> float:
    # Rotating the page by ``angle`` counter-clockwise moves a pixel at column x (from the
    # centre) to row y - x * tan(angle) (image rows grow downwards), to first order.
    rows = ys - xs * math.tan(math.radians(angle))
    rows = np.round(rows - rows.min()).astype(np.int64)
    histogram = np.bincount(rows).astype(np.float64)
    return float(np.sum(np.diff(histogram) ** 2))
