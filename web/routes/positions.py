"""Positions: every position of the coalition (positions.toml) with its stance and key
messages, and what was flagged under it: counts, the latest flagged changes, feeds."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import col, func, select

from alerts.deliver.flag_views import humanise
from alerts.deliver.number_views import NumberView
from alerts.deliver.plain_text import plain
from alerts.positions import POSITION_IDS
from tracker.models import Alert, Change, Flag, Instrument
from web.dependencies import SessionDep, get_settings
from web.rendering import render

router = APIRouter()

LATEST_PER_POSITION = 5
SCAN_FLAGS = 2_000  # the newest flags read for the latest changes of every position


@dataclass(frozen=True)
class Flagged:
    """A change flagged under a position, as the positions page lists it."""

    change_id: int
    instrument_id: int
    instrument: str
    language: str
    ref: str
    numbers: tuple[NumberView, ...]
    severity: str
    direction: str


@router.get("/positions", response_class=HTMLResponse, name="positions_page")
def positions_page(request: Request, session: SessionDep) -> HTMLResponse:
    known = get_settings(request).positions_by_id
    flagged = dict(
        session.exec(
            select(Flag.position, func.count(col(Flag.change_id).distinct())).group_by(
                col(Flag.position)
            )
        ).all()
    )
    alerts: Counter[str] = Counter()
    for positions in session.exec(select(Alert.positions)):
        alerts.update(set(positions or []))
    latest: dict[str, list[Flagged]] = {}
    rows = session.exec(
        select(Flag, Change, Instrument)
        .join(Change, col(Change.id) == Flag.change_id)
        .join(Instrument, col(Instrument.id) == Change.instrument_id)
        .order_by(col(Flag.id).desc())
        .limit(SCAN_FLAGS)
    )
    for flag, change, instrument in rows:
        found = latest.setdefault(flag.position, [])
        if len(found) >= LATEST_PER_POSITION or change.id is None or instrument.id is None:
            continue
        found.append(
            Flagged(
                change_id=change.id,
                instrument_id=instrument.id,
                instrument=plain(instrument.title or instrument.url, 120, single_line=True),
                language=instrument.language,
                ref=plain(change.new_ref or change.old_ref or "", 80, single_line=True),
                numbers=tuple(NumberView.from_json(n) for n in change.numbers)[:3],
                severity=flag.severity,
                direction=flag.direction,
            )
        )
    ids = [p for p in POSITION_IDS if p in known]
    ids += sorted((set(flagged) | set(alerts)) - set(ids))  # flagged but no longer in the file
    return render(
        request,
        "positions.html",
        {
            "positions": [
                {
                    "id": pid,
                    "position": known.get(pid),
                    "name": known[pid].name if pid in known else humanise(pid),
                    "changes": flagged.get(pid, 0),
                    "alerts": alerts.get(pid, 0),
                    "latest": latest.get(pid, []),
                }
                for pid in ids
            ],
        },
    )
