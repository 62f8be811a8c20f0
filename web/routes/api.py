"""The JSON API: instruments, versions, changes and alerts (schemas in web.schemas)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlmodel import Session, col, select

from alerts.match.verdicts import all_given
from tracker.models import Alert, Change, Instrument, Version
from web.dependencies import OfficerApi, SecretariatApi, SessionDep, get_or_404, public_url
from web.lifecycle import apply_edit, edit_from_mapping, links_of, timeline
from web.limits import MAX_ROW_ID
from web.routes.alerts import deliveries_by_alert, instruments_by_id, latest_alerts
from web.routes.changes import flags_by_change, positions_of
from web.routes.instruments import FilterDep, changes_of, versions_of
from web.schemas import (
    AlertPublic,
    ChangePublic,
    ChangeSummary,
    DeliveryPublic,
    FeedbackPublic,
    FlagPublic,
    InstrumentDetail,
    InstrumentPatch,
    InstrumentPublic,
    LifecycleStepPublic,
    LinkPublic,
    NumberPublic,
    OpPublic,
    SectionPublic,
    TriageIn,
    TriagePublic,
    VersionDetail,
    VersionPublic,
)
from web.search import PAGE_SIZE, find_instruments
from web.triage import acknowledge, assign, give_feedback, handling_by_alert

router = APIRouter(prefix="/api", tags=["api"])

MAX_LIMIT = 500


def version_public(request: Request, version: Version) -> VersionPublic:
    file_url = public_url(request, request.app.url_path_for("version_file", version_id=version.id))
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


@router.get("/instruments", response_model=list[InstrumentPublic])
def list_instruments(
    response: Response,
    session: SessionDep,
    flt: FilterDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = PAGE_SIZE,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> list[InstrumentPublic]:
    """Instruments matching the filters, most recently seen first; the number matching
    over all pages is in the ``X-Total-Count`` header."""
    instruments, total = find_instruments(session, flt, limit, offset)
    response.headers["X-Total-Count"] = str(total)
    return [InstrumentPublic.model_validate(i) for i in instruments]


@router.get("/instruments/{instrument_id}", response_model=InstrumentDetail)
def get_instrument(request: Request, instrument_id: int, session: SessionDep) -> InstrumentDetail:
    instrument = get_or_404(session, Instrument, instrument_id, "instrument")
    return _detail(request, session, instrument)


@router.patch("/instruments/{instrument_id}", response_model=InstrumentDetail)
def patch_instrument(
    request: Request,
    instrument_id: int,
    patch: InstrumentPatch,
    session: SessionDep,
    user: SecretariatApi,
) -> InstrumentDetail:
    """Edit the tracker's fields of an instrument (secretariat or admin); audited."""
    instrument = get_or_404(session, Instrument, instrument_id, "instrument")
    apply_edit(session, instrument, edit_from_mapping(patch.model_dump()), user.name)
    session.commit()
    return _detail(request, session, instrument)


def _detail(request: Request, session: Session, instrument: Instrument) -> InstrumentDetail:
    assert instrument.id is not None
    instrument_id = instrument.id
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
        {
            **instrument.model_dump(),
            "versions": versions,
            "changes": summaries,
            "lifecycle": [
                LifecycleStepPublic.model_validate(s) for s in timeline(session, instrument_id)
            ],
            "links": [LinkPublic.model_validate(link) for link in links_of(session, instrument_id)],
        }
    )


@router.get("/versions/{version_id}", response_model=VersionDetail)
def get_version(request: Request, version_id: int, session: SessionDep) -> VersionDetail:
    version = get_or_404(session, Version, version_id, "version")
    public = version_public(request, version)
    return VersionDetail(
        **public.model_dump(), text=version.text, sections=_sections(version.document)
    )


@router.get("/changes", response_model=list[ChangeSummary])
def list_changes(
    session: SessionDep,
    instrument_id: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> list[ChangeSummary]:
    """Changes, newest first (optionally of one instrument)."""
    statement = select(Change)
    if instrument_id is not None:
        statement = statement.where(Change.instrument_id == instrument_id)
    changes = list(
        session.exec(statement.order_by(col(Change.id).desc()).limit(limit).offset(offset))
    )
    flags = flags_by_change(session, [c.id for c in changes if c.id is not None])
    return [
        ChangeSummary.model_validate(
            {**c.model_dump(), "positions": positions_of(flags.get(c.id or 0, []))}
        )
        for c in changes
    ]


@router.get("/changes/{change_id}", response_model=ChangePublic)
def get_change(change_id: int, session: SessionDep) -> ChangePublic:
    return change_public(session, get_or_404(session, Change, change_id, "change"))


@router.get("/alerts", response_model=list[AlertPublic])
def list_alerts(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> list[AlertPublic]:
    alerts = latest_alerts(session, limit, offset)
    instruments = instruments_by_id(session, (a.instrument_id for a in alerts))
    deliveries = deliveries_by_alert(session, [a.id for a in alerts if a.id is not None])
    triage = handling_by_alert(session, [a.id for a in alerts if a.id is not None])
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
                    "triage": triage.get(alert.id or 0),
                }
            )
        )
    return result


@router.post("/alerts/{alert_id}/triage", response_model=TriagePublic)
def triage_alert(
    alert_id: int, step: TriageIn, session: SessionDep, user: OfficerApi
) -> TriagePublic:
    """Acknowledge, assign a task team and/or give a verdict (officer and above)."""
    alert = get_or_404(session, Alert, alert_id, "alert")
    if step.verdict is not None:
        give_feedback(
            session, alert, step.verdict, user.name, step.position, step.correct_position, step.note
        )
    if step.task_team is not None:
        assign(session, alert, step.task_team, user.name)
    triage = acknowledge(session, alert, user.name)
    session.commit()
    return TriagePublic.model_validate(triage)


@router.get("/feedback", response_model=list[FeedbackPublic])
def list_feedback(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = MAX_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> list[FeedbackPublic]:
    """Officers' verdicts on alerts, oldest first: labelled examples for the matcher."""
    return [FeedbackPublic.model_validate(f) for f in all_given(session, limit, offset)]
