"""Parameters over time: the registry by position and instrument, each parameter's page
with its step chart and the provision of every value, CSV, JSON and an Atom feed."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlmodel import Session, col, select

from tracker.models import Change
from tracker.parameters import ParameterView, move, parameters, story
from web.dependencies import SessionDep, get_settings, public_base, public_url
from web.parameters import aware, step_chart, to_csv, to_json, to_xlsx
from web.rendering import render
from web.routes.alerts import position_names
from web.translations import request_language, translator

router = APIRouter()
api_router = APIRouter(tags=["parameters"])


def _one(session: Session, parameter_id: int) -> ParameterView:
    found = parameters(session, parameter_id=parameter_id)
    if not found:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such parameter")
    return found[0]


def _changes(session: Session, view: ParameterView) -> dict[int, int]:
    """The change that brought each value (by version id), where one was recorded."""
    versions = [entry.version_id for entry in view.history]
    rows = session.exec(
        select(Change.id, Change.new_version_id, Change.new_ref).where(
            Change.instrument_id == view.instrument_id, col(Change.new_version_id).in_(versions)
        )
    )
    refs = {entry.version_id: entry.ref for entry in view.history}
    out: dict[int, int] = {}
    for change_id, version_id, ref in rows:
        if change_id is not None and ref == refs.get(version_id):
            out.setdefault(version_id, change_id)
    return out


@router.get("/parameters", response_class=HTMLResponse, name="parameters_page")
def parameters_page(
    request: Request,
    session: SessionDep,
    position: str | None = None,
    instrument: int | None = None,
) -> HTMLResponse:
    views = parameters(session, position=position or None, instrument_id=instrument)
    filed = sorted({p for v in parameters(session) for p in v.positions})
    context: dict[str, Any] = {
        "parameters": views,
        "position": position or "",
        "instrument": instrument,
        "positions": filed,
        "names": position_names(get_settings(request).positions_by_id),
    }
    return render(request, "parameters.html", context)


@router.get("/parameters.csv", name="parameters_csv")
def parameters_csv(
    session: SessionDep, position: str | None = None, instrument: int | None = None
) -> Response:
    views = parameters(session, position=position or None, instrument_id=instrument)
    return Response(
        content=to_csv(views),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="parameters.csv"'},
    )


@router.get("/parameters.xlsx", name="parameters_xlsx")
def parameters_xlsx(
    session: SessionDep, position: str | None = None, instrument: int | None = None
) -> Response:
    views = parameters(session, position=position or None, instrument_id=instrument)
    return Response(
        content=to_xlsx(views),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="parameters.xlsx"'},
    )


@router.get("/parameters/{parameter_id}", response_class=HTMLResponse, name="parameter_page")
def parameter_page(request: Request, parameter_id: int, session: SessionDep) -> HTMLResponse:
    view = _one(session, parameter_id)
    moves = sum(1 for a, b in itertools.pairwise(view.history) if a.value != b.value)
    return render(
        request,
        "parameter.html",
        {
            "p": view,
            "chart": step_chart(
                view,
                language=request_language(request),
                gettext=translator(request).gettext,
            ),
            "changes": _changes(session, view),
            "moves": moves,
            "steps": {e.version_id: move(view, e.version_id) for e in view.history},
            "names": position_names(get_settings(request).positions_by_id),
            "languages": parameters(session, parameter_ids=_languages(view)),
        },
    )


def _languages(view: ParameterView) -> list[int]:
    """The same parameter in the work's other texts (one gone since is left out)."""
    return [*((view.counterpart_id,) if view.counterpart_id else ()), *view.translations]


@router.get("/feeds/parameters/{parameter_id}.atom", name="parameter_feed")
def parameter_feed(request: Request, parameter_id: int, session: SessionDep) -> Response:
    view = _one(session, parameter_id)
    newest = max(aware(entry.seen_at) for entry in view.history)
    response = render(
        request,
        "parameter_feed.xml",
        {
            "p": view,
            "feed_url": public_url(request, request.url.path),
            "base_url": public_base(request),
            "updated": _iso(newest),
            "stories": {e.version_id: story(view, e.version_id) for e in view.history},
            "iso": _iso,
        },
    )
    response.headers["content-type"] = "application/atom+xml; charset=utf-8"
    return response


@api_router.get("/api/parameters", name="api_parameters")
def api_parameters(
    session: SessionDep, position: str | None = None, instrument: int | None = None
) -> JSONResponse:
    """Every parameter with its history, oldest value first (as `sptrack parameters`)."""
    views = parameters(session, position=position or None, instrument_id=instrument)
    return JSONResponse([to_json(v) for v in views])


@api_router.get("/api/parameters/{parameter_id}", name="api_parameter")
def api_parameter(parameter_id: int, session: SessionDep) -> JSONResponse:
    return JSONResponse(to_json(_one(session, parameter_id)))


def _iso(value: datetime) -> str:
    return aware(value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
