"""Ruled tables found from pypdfium2's path objects, without laying the page out in pdfminer.

pdfplumber finds ruled tables well, but it gets its lines by interpreting the whole page in
pdfminer (0.1-1.5 s a page), which is most of the time of a PDF read. Here the ruling lines
come from pdfium instead: every straight, axis-aligned segment of every path (rectangles,
lines, polylines, also inside form XObjects, with the object's matrix applied), as the edge
dictionaries pdfplumber uses. pdfplumber's own table algorithm (snap and join the edges,
intersections, cells, tables) then runs on them unchanged, and each cell's text is read
from pdfium's text page by its box. A few milliseconds a page.

Cell text comes from pdfium, which duplicates some Khmer clusters in ``/ActualText`` spans,
so :mod:`parsers.read.pdf` uses this finder for pages without Khmer and pdfplumber (with
ActualText honoured) for Khmer pages.
"""

from __future__ import annotations

import bisect
import ctypes
import logging
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import (
    DEFAULT_JOIN_TOLERANCE,
    DEFAULT_SNAP_TOLERANCE,
    cells_to_tables,
    edges_to_intersections,
    merge_edges,
)
from pdfplumber.table import Table as PlumberTable
from pdfplumber.utils.geometry import filter_edges

from parsers.document import Table
from parsers.khmer import normalize
from parsers.read.table_pieces import Piece

logger = logging.getLogger(__name__)

#: A page drawn with more path segments than this is a drawing or a map, not a table.
MAX_SEGMENTS = 20_000
#: Segments closer to horizontal/vertical than this (points) count as ruling lines.
AXIS_TOLERANCE = 1.0
#: A row of cells needs two horizontal and two vertical ruling lines this long (one row
#: alone is kept only as the part of a table that a page break cut off).
LONG = 10
MIN_H_LINES = 2
MIN_V_LINES = 2
#: A path whose bounds are thinner than this (points) is one ruling line.
THIN = 2.0
#: More crossings of ruling lines than this on a page: a drawing (pdfplumber's cell finder
#: is quadratic in them).
MAX_INTERSECTIONS = 2_000
#: pdfplumber's defaults for the "lines" strategy.
EDGE_MIN_LENGTH = 3
INTERSECTION_TOLERANCE = 3

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class TooManySegments(Exception):
    """The page has more path segments than :data:`MAX_SEGMENTS`."""


@dataclass(frozen=True)
class Drawing:
    """What a page draws besides text: ruling edges (pdfplumber's edge dictionaries, in
    top-down coordinates ``top = -y``) and whether it holds images."""

    edges: list[dict[str, Any]]
    has_images: bool
    too_complex: bool = False


def page_drawing(page: pdfium.PdfPage) -> Drawing:
    """Walk the page's objects once (forms included): ruling edges and images.

    Thin paths become edges from their bounds alone; other paths (boxes, polylines) are
    walked segment by segment only when, counted generously, the page could hold a table.
    """
    edges: list[dict[str, Any]] = []
    pending: list[tuple[Any, Matrix, int]] = []
    images = [False]
    count = [0]
    try:
        _collect(page.raw, IDENTITY, edges, pending, images, form=False)
        long_h = sum(1 for e in edges if e["orientation"] == "h" and e["width"] >= LONG)
        long_v = sum(1 for e in edges if e["orientation"] == "v" and e["height"] >= LONG)
        most = sum(max(2, segments) for _, _, segments in pending)
        if long_h + most >= MIN_H_LINES and long_v + most >= MIN_V_LINES:
            for obj, matrix, segments in pending:
                _path_edges(obj, matrix, segments, edges, count)
    except TooManySegments:
        return Drawing([], images[0], too_complex=True)
    # Printer's crop and registration marks lie outside the visible page.
    left, bottom, right, top = page.get_cropbox()
    inside = [
        e
        for e in edges
        if e["x1"] >= left and e["x0"] <= right and -e["bottom"] <= top and -e["top"] >= bottom
    ]
    return Drawing(inside, images[0])


def ruled_tables(
    drawing: Drawing, textpage: pdfium.PdfTextPage, page_number: int, height: float = 842.0
) -> list[Table]:
    """The ruled tables drawn on a page (``height`` points high), with some text, as
    :class:`~parsers.read.table_pieces.Piece` s to give
    :func:`~parsers.read.table_pieces.join_continued`."""
    long_h = sum(1 for e in drawing.edges if e["orientation"] == "h" and e["width"] >= LONG)
    long_v = sum(1 for e in drawing.edges if e["orientation"] == "v" and e["height"] >= LONG)
    if long_h < MIN_H_LINES or long_v < MIN_V_LINES:
        return []  # not a row of cells (checked before pdfplumber's costlier merging)
    unique = {
        (e["orientation"], round(e["x0"], 2), round(e["top"], 2), round(e["x1"], 2)): e
        for e in drawing.edges
        if e["orientation"] == "h"
    }
    unique.update(
        {
            (e["orientation"], round(e["x0"], 2), round(e["top"], 2), round(e["bottom"], 2)): e
            for e in drawing.edges
            if e["orientation"] == "v"
        }
    )
    merged = merge_edges(
        list(unique.values()),
        snap_x_tolerance=DEFAULT_SNAP_TOLERANCE,
        snap_y_tolerance=DEFAULT_SNAP_TOLERANCE,
        join_x_tolerance=DEFAULT_JOIN_TOLERANCE,
        join_y_tolerance=DEFAULT_JOIN_TOLERANCE,
    )
    merged = filter_edges(merged, min_length=EDGE_MIN_LENGTH)
    intersections = edges_to_intersections(merged, INTERSECTION_TOLERANCE, INTERSECTION_TOLERANCE)
    if len(intersections) > MAX_INTERSECTIONS:
        logger.debug("page %d: %d line crossings, a drawing", page_number, len(intersections))
        return []
    cells = _cells(intersections)
    tables: list[Table] = []
    for group in cells_to_tables(cells):
        rows = tuple(
            tuple(_cell_text(textpage, cell) for cell in row.cells)
            for row in PlumberTable(None, group).rows  # type: ignore[arg-type]
        )
        if any(any(cell for cell in row) for row in rows):
            # One row is kept for now: it may be the part of a table a page break cut off
            # (see join_continued); alone it is no table.
            tables.append(_piece(rows, page_number, group, height))
    return tables


def _piece(
    rows: tuple[tuple[str, ...], ...], page_number: int, group: list[Any], height: float
) -> Piece:
    xs = sorted({round(cell[0]) for cell in group} | {round(cell[2]) for cell in group})
    top = min(cell[1] for cell in group)  # top-down coordinates: top = -y
    bottom = max(cell[3] for cell in group)
    return Piece(
        rows,
        page_number,
        top=1 + top / height,
        bottom=1 + bottom / height,
        columns=tuple(float(x) for x in xs),
    )


def plumber_tables(page: Any, page_number: int) -> list[Table]:
    """The tables pdfplumber finds on a page (its own text, for Khmer pages), with some
    text, as :class:`~parsers.read.table_pieces.Piece` s to give
    :func:`~parsers.read.table_pieces.join_continued`."""
    tables: list[Table] = []
    height = float(page.height) or 1.0
    for found in page.find_tables():
        rows = tuple(
            tuple(normalize(cell or "").replace("\n", " ") for cell in row)
            for row in found.extract()
        )
        if not any(any(cell for cell in row) for row in rows):
            continue
        xs = sorted(
            {round(cell[0]) for cell in found.cells} | {round(cell[2]) for cell in found.cells}
        )
        _, top, _, bottom = found.bbox  # top-down coordinates from the page's top
        tables.append(
            Piece(
                rows,
                page_number,
                top=top / height,
                bottom=bottom / height,
                columns=tuple(float(x) for x in xs),
            )
        )
    return tables


def _cells(intersections: dict[tuple[float, float], dict[str, list[Any]]]) -> list[Any]:
    """pdfplumber's ``intersections_to_cells`` (same cells, same order) without its
    quadratic scans: points are grouped by column and row, edge sets built once."""
    v_sets = {p: {_bbox(e) for e in found["v"]} for p, found in intersections.items()}
    h_sets = {p: {_bbox(e) for e in found["h"]} for p, found in intersections.items()}
    columns: dict[float, list[tuple[float, float]]] = {}
    rows: dict[float, list[tuple[float, float]]] = {}
    points = sorted(intersections)
    for point in points:
        columns.setdefault(point[0], []).append(point)  # ascending top
        rows.setdefault(point[1], []).append(point)  # ascending x

    def connects(a: tuple[float, float], b: tuple[float, float]) -> bool:
        if a[0] == b[0] and not v_sets[a].isdisjoint(v_sets[b]):
            return True
        return a[1] == b[1] and not h_sets[a].isdisjoint(h_sets[b])

    cells = []
    for point in points:
        column, row = columns[point[0]], rows[point[1]]
        below = column[bisect.bisect_right(column, point) :]
        right = row[bisect.bisect_right(row, point) :]
        cell = None
        for below_point in below:
            if not connects(point, below_point):
                continue
            for right_point in right:
                if not connects(point, right_point):
                    continue
                corner = (right_point[0], below_point[1])
                if (
                    corner in intersections
                    and connects(corner, right_point)
                    and connects(corner, below_point)
                ):
                    cell = (point[0], point[1], corner[0], corner[1])
                    break
            if cell is not None:
                break
        if cell is not None:
            cells.append(cell)
    return cells


def _bbox(edge: dict[str, Any]) -> tuple[float, float, float, float]:
    return (edge["x0"], edge["top"], edge["x1"], edge["bottom"])


def _cell_text(textpage: pdfium.PdfTextPage, cell: tuple[float, float, float, float] | None) -> str:
    if cell is None:
        return ""
    x0, top, x1, bottom = cell  # top-down coordinates: top = -y
    text = " ".join(textpage.get_text_bounded(left=x0, bottom=-bottom, right=x1, top=-top).split())
    return text if text.isascii() else normalize(text)  # ASCII: nothing to normalise


def _collect(
    holder: Any,
    matrix: Matrix,
    edges: list[dict[str, Any]],
    pending: list[tuple[Any, Matrix, int]],
    images: list[bool],
    *,
    form: bool,
) -> None:
    """Edges of the thin paths of a page (or form object) and the other paths to walk
    (object, matrix, segment count), recursing into forms."""
    total = (
        pdfium_c.FPDFFormObj_CountObjects(holder)
        if form
        else pdfium_c.FPDFPage_CountObjects(holder)
    )
    get = pdfium_c.FPDFFormObj_GetObject if form else pdfium_c.FPDFPage_GetObject
    fs_matrix = pdfium_c.FS_MATRIX()
    bounds = [ctypes.c_float() for _ in range(4)]
    for index in range(max(total, 0)):
        obj = get(holder, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images[0] = True
            continue
        if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
            continue
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH and not form and _bounds_edge(obj, edges, bounds):
            continue
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, fs_matrix):
            continue
        own = (fs_matrix.a, fs_matrix.b, fs_matrix.c, fs_matrix.d, fs_matrix.e, fs_matrix.f)
        combined = _concat(own, matrix)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            _collect(obj, combined, edges, pending, images, form=True)
        else:
            pending.append((obj, combined, pdfium_c.FPDFPath_CountSegments(obj)))


def _bounds_edge(obj: Any, edges: list[dict[str, Any]], bounds: list[ctypes.c_float]) -> bool:
    """Handle a page-level path from its bounds when they say enough: too small to be a
    ruling line (nothing to add), or a thin line (one edge). False: walk its segments."""
    left, bottom, right, top = bounds
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return False
    width, height = right.value - left.value, top.value - bottom.value
    if width < EDGE_MIN_LENGTH and height < EDGE_MIN_LENGTH:
        return True
    if height <= THIN or width <= THIN:
        middle_y = (top.value + bottom.value) / 2
        middle_x = (left.value + right.value) / 2
        if height <= THIN:
            _add_edge((left.value, middle_y), (right.value, middle_y), edges)
        else:
            _add_edge((middle_x, bottom.value), (middle_x, top.value), edges)
        return True
    return False


def _path_edges(
    obj: Any, matrix: Matrix, segments: int, edges: list[dict[str, Any]], count: list[int]
) -> None:
    count[0] += max(segments, 0)
    if count[0] > MAX_SEGMENTS:
        raise TooManySegments
    get_segment, get_point = pdfium_c.FPDFPath_GetPathSegment, pdfium_c.FPDFPathSegment_GetPoint
    get_type, get_close = pdfium_c.FPDFPathSegment_GetType, pdfium_c.FPDFPathSegment_GetClose
    lineto, moveto = pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_MOVETO
    a, b, c, d, e, f = matrix
    x = ctypes.c_float()
    y = ctypes.c_float()
    start: tuple[float, float] | None = None
    last: tuple[float, float] | None = None
    for index in range(max(segments, 0)):
        segment = get_segment(obj, index)
        if not segment or not get_point(segment, x, y):
            continue
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = get_type(segment)
        if kind == lineto and last is not None:
            _add_edge(last, point, edges)
        elif kind == moveto:
            start = point
        last = point
        if get_close(segment) and start is not None:
            _add_edge(point, start, edges)
            last = start


def _add_edge(a: tuple[float, float], b: tuple[float, float], edges: list[dict[str, Any]]) -> None:
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) <= AXIS_TOLERANCE and abs(ax - bx) > AXIS_TOLERANCE:
        x0, x1 = sorted((ax, bx))
        top = -(ay + by) / 2
        edges.append(
            {
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": top,
                "width": x1 - x0,
                "height": 0.0,
                "orientation": "h",
                "object_type": "line",
            }
        )
    elif abs(ax - bx) <= AXIS_TOLERANCE and abs(ay - by) > AXIS_TOLERANCE:
        top, bottom = sorted((-ay, -by))
        x = (ax + bx) / 2
        edges.append(
            {
                "x0": x,
                "x1": x,
                "top": top,
                "bottom": bottom,
                "width": 0.0,
                "height": bottom - top,
                "orientation": "v",
                "object_type": "line",
            }
        )


def _concat(first: Matrix, then: Matrix) -> Matrix:
    """The matrix applying ``first`` and then ``then`` (PDF row-vector convention)."""
    a, b, c, d, e, f = first
    p, q, r, s, t, u = then
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )
