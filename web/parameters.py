"""The parameter registry as people read it: JSON rows, CSV, and a step chart in SVG."""

from __future__ import annotations

import csv
import io
from typing import Any

from tracker.parameters import ParameterView
from web.exports import inert


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


def to_csv(views: list[ParameterView]) -> bytes:
    """One row per value of each parameter, oldest first; cells never read as formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    for view in views:
        for entry in view.history:
            row = (
                str(view.id), view.label, view.unit, view.instrument, entry.ref,
                " ".join(view.positions), f"{entry.value:g}", entry.text, str(entry.version_id),
                entry.seen_at.isoformat(), entry.effective_date, entry.sha256,
            )  # fmt: skip
            writer.writerow([inert(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_text(view: ParameterView) -> str:
    values = " -> ".join(entry.text or f"{entry.value:g}" for entry in view.history)
    since = view.current.seen_at.date().isoformat()
    gone = "" if view.in_latest else " (not in the newest version)"
    where = f"{view.instrument}, {view.ref}"
    return f"#{view.id} {view.label} [{view.unit}] {where}: {values} (since {since}){gone}"
