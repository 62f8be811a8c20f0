"""The JSON API: instruments, versions, changes and alerts (schemas in web.schemas)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlmodel import Session

from tracker.models import Change, Instrument, Version
from web.dependencies import SessionDep, get_or_404
from web.routes.alerts import deliveries_by_alert, instruments_by_id, latest_alerts
from web.routes.changes import flags_by_change, positions_of
from web.routes.instruments import changes_of, instrument_filter, versions_of
from web.schemas import (
    AlertPublic,
    ChangePublic,
    ChangeSummary,
    DeliveryPublic,
    FlagPublic,
    InstrumentDetail,
    InstrumentList,
    InstrumentPublic,
    NumberPublic,
    OpPublic,
    SectionPublic,
    VersionDetail,
    VersionPublic,
)
from web.search import PAGE_SIZE, find_instruments

router = APIRouter(prefix="/api", tags=["api"])

MAX_LIMIT = 500


def version_public(request: Request, version: Version) -> VersionPublic:
    file_url = str(request.url_for("version_file", version_id=version.id))
    return VersionPublic.model_validate({**version.model_dump(), "file_url": file_url})


def _sections(document: dict[str, Any] | None) -> list[SectionPublic]:
    found = (document or {}).get("sections") or []
    return [
        SectionPublic(
            ref=str(s.get("ref") or ""),
            heading=str(s.get("heading") or ""),
            text=str(s.get("text") or ""),
        )
        for s in found
        if isinstance(s, dict)
    ]


def change_public(session: Session, change: Change) -> ChangePublic:
    assert change.id is not None
    flags = flags_by_change(session, [change.id]).get(change.id, [])
    return ChangePublic.model_validate(
        {
            **change.model_dump(),
            "positions": positions_of(flags),
            "numbers": [NumberPublic.model_validate(n) for n in change.numbers],
            "ops": [OpPublic.model_validate(o) for o in change.ops],
            "flags": [FlagPublic.model_validate(f) for f in flags],
        }
    )


@router.get("/instruments", response_model=InstrumentList)
def list_instruments(
    session: SessionDep,
    source: str = "",
    language: str = "",
    status: str = "",
    type: str = "",
    q: str = "",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = PAGE_SIZE,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> InstrumentList:
    flt = instrument_filter(source, language, status, type, q)
    instruments, total = find_instruments(session, flt, limit, offset)
    return InstrumentList(
        items=[InstrumentPublic.model_validate(i) for i in instruments],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/instruments/{instrument_id}", response_model=InstrumentDetail)
def get_instrument(request: Request, instrument_id: int, session: SessionDep) -> InstrumentDetail:
    instrument = get_or_404(session, Instrument, instrument_id, "instrument")
    changes = changes_of(session, instrument_id)
    flags = flags_by_change(session, [c.id for c in changes if c.id is not None])
    summaries = [
        ChangeSummary.model_validate(
            {**c.model_dump(), "positions": positions_of(flags.get(c.id or 0, []))}
        )
        for c in changes
    ]
    versions = [version_public(request, v) for v in versions_of(session, instrument_id)]
    return InstrumentDetail.model_validate(
        {**instrument.model_dump(), "versions": versions, "changes": summaries}
    )


@router.get("/versions/{version_id}", response_model=VersionDetail)
def get_version(request: Request, version_id: int, session: SessionDep) -> VersionDetail:
    version = get_or_404(session, Version, version_id, "version")
    public = version_public(request, version)
    return VersionDetail(
        **public.model_dump(), text=version.text, sections=_sections(version.document)
    )


@router.get("/changes/{change_id}", response_model=ChangePublic)
def get_change(change_id: int, session: SessionDep) -> ChangePublic:
    return change_public(session, get_or_404(session, Change, change_id, "change"))


@router.get("/alerts", response_model=list[AlertPublic])
def list_alerts(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[AlertPublic]:
    alerts = latest_alerts(session, limit, offset)
    instruments = instruments_by_id(session, (a.instrument_id for a in alerts))
    deliveries = deliveries_by_alert(session, [a.id for a in alerts if a.id is not None])
    result = []
    for alert in alerts:
        instrument = instruments.get(alert.instrument_id)
        result.append(
            AlertPublic.model_validate(
                {
                    **alert.model_dump(),
                    "instrument": instrument.title if instrument else "",
                    "deliveries": [
                        DeliveryPublic.model_validate(d) for d in deliveries.get(alert.id or 0, [])
                    ],
                }
            )
        )
    return result
