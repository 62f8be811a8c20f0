"""A change: its redline, its numbers old -> new, and the positions it touches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session, col, select

from alerts.deliver.channels import severity_rank
from alerts.deliver.flag_views import flag_view, position_views
from alerts.deliver.number_views import NumberView
from tracker.models import Change, Flag, Instrument, Version
from tracker.parameters import links_for_change
from web.dependencies import SessionDep, get_or_404, get_settings
from web.languages import other_texts
from web.redline import build_redline, highlight
from web.rendering import render
from web.routes.alerts import position_names

router = APIRouter()


def flags_by_change(session: Session, change_ids: Iterable[int]) -> dict[int, list[Flag]]:
    """The flags of each change, strongest first."""
    ids = list(change_ids)
    found: dict[int, list[Flag]] = defaultdict(list)
    if not ids:
        return found
    statement = select(Flag).where(col(Flag.change_id).in_(ids))
    for flag in session.exec(statement):
        found[flag.change_id].append(flag)
    for flags in found.values():
        flags.sort(key=lambda f: (-severity_rank(f.severity), -f.score, f.position))
    return found


def positions_of(flags: Iterable[Flag]) -> list[str]:
    return sorted({flag.position for flag in flags})


@router.get("/changes/{change_id}", response_class=HTMLResponse, name="change_page")
def change_page(request: Request, change_id: int, session: SessionDep) -> HTMLResponse:
    change = get_or_404(session, Change, change_id, "change")
    assert change.id is not None
    instrument = session.get(Instrument, change.instrument_id)
    old_version = session.get(Version, change.old_version_id) if change.old_version_id else None
    new_version = session.get(Version, change.new_version_id)
    language = new_version.language if new_version else ""
    flags = flags_by_change(session, [change.id]).get(change.id, [])
    matched = [
        str(e["text"])
        for f in flags
        for e in f.evidence
        if isinstance(e, Mapping) and e.get("text") and e.get("where") != "number"
    ]
    redline = highlight(build_redline(change.ops, change.old_text, change.new_text), matched)
    positions = get_settings(request).positions_by_id
    numbers = tuple(NumberView.from_json(n) for n in change.numbers)
    flag_views = tuple(flag_view(f, numbers) for f in flags)
    return render(
        request,
        "change.html",
        {
            "change": change,
            "instrument": instrument,
            "old_version": old_version,
            "new_version": new_version,
            "language": language,
            "flags": flags,
            "flag_views": flag_views,
            "numbers": numbers,
            "positions": {p.id: p for p in position_views(flag_views, positions)},
            "names": position_names(positions),
            "redline": redline,
            "other_texts": other_texts(session, change),
            "parameters": links_for_change(
                session, change.instrument_id, change.new_version_id, change.new_ref or ""
            ),
        },
    )
