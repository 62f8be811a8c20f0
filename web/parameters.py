"""The parameter registry as people read it: JSON rows, CSV, and a step chart in SVG."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup, escape
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from tracker.parameters import ParameterView
from web.dates import format_date, format_short_date
from web.exports import XLSX_CELL_LIMIT, inert
from web.parameter_words import unit_name, value_text
from web.rendering import lang_of


def to_json(view: ParameterView) -> dict[str, Any]:
    """One parameter as the CLI and the API give it (history oldest first)."""
    return {
        "id": view.id,
        "label": view.label,
        "unit": view.unit,
        "instrument": view.instrument,
        "instrument_id": view.instrument_id,
        "ref": view.ref,
        "heading": view.heading,
        "positions": list(view.positions),
        "in_latest": view.in_latest,
        "counterpart_id": view.counterpart_id,
        "translations": list(view.translations),
        "history": [
            {
                "value": entry.value,
                "text": entry.text,
                "version_id": entry.version_id,
                "seen_at": entry.seen_at.isoformat(),
                "ref": entry.ref,
                "sha256": entry.sha256,
                **({"effective_date": entry.effective_date} if entry.effective_date else {}),
            }
            for entry in view.history
        ],
    }


CSV_COLUMNS = (
    "parameter", "label", "unit", "instrument", "ref", "positions", "value", "as written",
    "version", "seen at", "effective date", "sha256",
)  # fmt: skip


def _rows(views: list[ParameterView]) -> list[tuple[str, ...]]:
    return [
        (
            str(view.id),
            view.label,
            view.unit,
            view.instrument,
            entry.ref,
            " ".join(view.positions),
            f"{entry.value:g}",
            entry.text,
            str(entry.version_id),
            entry.seen_at.isoformat(),
            entry.effective_date,
            entry.sha256,
        )
        for view in views
        for entry in view.history
    ]


def to_csv(views: list[ParameterView]) -> bytes:
    """One row per value of each parameter, oldest first; cells never read as formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    for row in _rows(views):
        writer.writerow([inert(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(views: list[ParameterView]) -> bytes:
    """The same rows as a workbook: header frozen and filtered, every cell text (never a
    formula), values as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Parameters"
    sheet.append(list(CSV_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    value_column = CSV_COLUMNS.index("value")
    for row in _rows(views):
        cells: list[object] = [ILLEGAL_CHARACTERS_RE.sub("", v)[:XLSX_CELL_LIMIT] for v in row]
        cells[value_column] = float(row[value_column])
        sheet.append(cells)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for letter, width in zip(
        "ABCDEFGHIJKL", (8, 36, 8, 40, 16, 20, 10, 24, 8, 26, 12, 20), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_text(view: ParameterView) -> str:
    values = " -> ".join(entry.text or f"{entry.value:g}" for entry in view.history)
    since = view.current.seen_at.date().isoformat()
    gone = "" if view.in_latest else " (not in the newest version)"
    where = f"{view.instrument}, {view.ref}"
    return f"#{view.id} {view.label} [{view.unit}] {where}: {values} (since {since}){gone}"


_W, _H = 640, 220  # the chart's own coordinate space; it scales to the page width
_LEFT, _RIGHT, _TOP, _BOTTOM = 80, 24, 16, 40
_TICK_GAP = 80  # least distance between two date labels


def step_chart(
    view: ParameterView,
    now: datetime | None = None,
    *,
    language: str = "en",
    gettext: Callable[[str], str] = str,
) -> Markup:
    """The parameter's values over time as a step line in SVG (drawn here, no script): each
    value holds from the date it was first seen until the next one, the last until ``now``.
    Accessible: a title and a description saying every value and date in words, in
    ``language`` (``gettext`` translates the words, dates are Phnom Penh days); text is
    escaped (labels come from documents)."""
    now = now or datetime.now(UTC)
    history = view.history
    times = [aware(entry.seen_at).timestamp() for entry in history]
    end = max(aware(now).timestamp(), times[-1] + 1)
    t0 = times[0]
    span = max(end - t0, 1.0)
    values = [entry.value for entry in history]
    low, high = min([*values, 0.0]), max(values)
    high = high if high > low else low + 1
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM

    def x(t: float) -> float:
        return _LEFT + (t - t0) / span * plot_w

    def y(v: float) -> float:
        return _TOP + (1 - (v - low) / (high - low)) * plot_h

    points: list[str] = []
    for k, (t, v) in enumerate(zip(times, values, strict=True)):
        nxt = times[k + 1] if k + 1 < len(times) else end
        points.append(f"{x(t):.1f},{y(v):.1f} {x(nxt):.1f},{y(v):.1f}")
    unit = unit_name(view.unit, gettext, language)
    title = gettext("%(label)s (%(unit)s) over time") % {"label": view.label, "unit": unit}
    label_language = lang_of(view.label)  # digits alone ("១០០%") are in the label's language
    steps = "; ".join(
        gettext("%(value)s from %(date)s")
        % {
            "value": entry.text or value_text(entry.value, language),
            "date": format_date(entry.seen_at, language),
        }
        for entry in history
    )
    parts = [
        f'<svg class="step-chart" viewBox="0 0 {_W} {_H}" role="img" '
        f'aria-labelledby="chart-title-{view.id} chart-desc-{view.id}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title-{view.id}" lang="{lang_of(title, label_language)}">'
        f"{escape(title)}</title>",
        f'<desc id="chart-desc-{view.id}" lang="{lang_of(steps, label_language)}">'
        f"{escape(steps)}</desc>",
        f'<line class="axis" x1="{_LEFT}" y1="{_TOP + plot_h}" x2="{_W - _RIGHT}" '
        f'y2="{_TOP + plot_h}"/>',
        f'<line class="axis" x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_TOP + plot_h}"/>',
        f'<text class="tick" x="{_LEFT - 6}" y="{y(high) + 4:.1f}" text-anchor="end">'
        f"{escape(value_text(high, language))}</text>",
        f'<text class="tick" x="{_LEFT - 6}" y="{y(low) + 4:.1f}" text-anchor="end">'
        f"{escape(value_text(low, language))}</text>",
        f'<polyline class="step" points="{" ".join(points)}" fill="none"/>',
    ]
    last_tick = -1e9
    for entry, t, v in zip(history, times, values, strict=True):
        parts.append(f'<circle class="point" cx="{x(t):.1f}" cy="{y(v):.1f}" r="4"/>')
        label = entry.text or value_text(v, language)
        parts.append(
            f'<text class="value" x="{x(t) + 6:.1f}" y="{y(v) - 6:.1f}" '
            f'lang="{lang_of(label, label_language)}">'
            f"{escape(label)}</text>"
        )
        if x(t) - last_tick >= _TICK_GAP:  # dates close together: the first one says it
            last_tick = x(t)
            parts.append(
                f'<text class="tick" x="{x(t):.1f}" y="{_H - 14}" text-anchor="middle">'
                f"{escape(format_short_date(entry.seen_at, language))}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def aware(value: datetime) -> datetime:
    """A stored time as UTC-aware (SQLite gives naive ones back)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
