"""Editing the tracker (Secretariat and admin): an instrument's lifecycle, deadlines, owner,
notes and links, and the audit log of every edit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse

from tracker.models import Instrument, InstrumentLink
from web.audit import recent
from web.dependencies import CsrfChecked, SecretariatPage, SessionDep, get_or_404
from web.lifecycle import (
    LIFECYCLE,
    LINK_KINDS,
    MAX_NOTES,
    STATUS_LABELS,
    TrackerEdit,
    add_link,
    apply_edit,
    remove_link,
)
from web.rendering import render

router = APIRouter()

AUDIT_PAGE_SIZE = 100
FIELD = 1024


@router.get("/instruments/{instrument_id}/edit", response_class=HTMLResponse, name="edit_form")
def edit_form(
    request: Request, instrument_id: int, session: SessionDep, user: SecretariatPage
) -> HTMLResponse:
    instrument = get_or_404(session, Instrument, instrument_id, "instrument")
    return render(
        request,
        "edit.html",
        {
            "instrument": instrument,
            "lifecycle": LIFECYCLE,
            "labels": STATUS_LABELS,
            "link_kinds": LINK_KINDS,
        },
    )


@router.post("/instruments/{instrument_id}/edit", name="edit_instrument")
def edit_instrument(
    instrument_id: int,
    session: SessionDep,
    user: SecretariatPage,
    _csrf: CsrfChecked,
    status_: Annotated[str, Form(alias="status", max_length=40)],
    status_date: Annotated[str, Form(max_length=40)] = "",
    consultation_deadline: Annotated[str, Form(max_length=40)] = "",
    effective_date: Annotated[str, Form(max_length=40)] = "",
    owner_team: Annotated[str, Form(max_length=FIELD)] = "",
    notes: Annotated[str, Form(max_length=MAX_NOTES * 4)] = "",
) -> RedirectResponse:
    instrument = get_or_404(session, Instrument, instrument_id, "instrument")
    edit = TrackerEdit(
        status=status_,
        status_date=status_date,
        consultation_deadline=consultation_deadline,
        effective_date=effective_date,
        owner_team=owner_team,
        notes=notes,
    )
    apply_edit(session, instrument, edit, user.name)
    session.commit()
    return RedirectResponse(f"/instruments/{instrument_id}", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/instruments/{instrument_id}/links", name="add_instrument_link")
def add_instrument_link(
    instrument_id: int,
    session: SessionDep,
    user: SecretariatPage,
    _csrf: CsrfChecked,
    kind: Annotated[str, Form(max_length=40)],
    target_id: Annotated[int, Form(ge=1)],
) -> RedirectResponse:
    instrument = get_or_404(session, Instrument, instrument_id, "instrument")
    add_link(session, instrument, target_id, kind, user.name)
    session.commit()
    return RedirectResponse(f"/instruments/{instrument_id}", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/links/{link_id}/delete", name="delete_instrument_link")
def delete_instrument_link(
    link_id: int, session: SessionDep, user: SecretariatPage, _csrf: CsrfChecked
) -> RedirectResponse:
    link = get_or_404(session, InstrumentLink, link_id, "link")
    source_id = link.source_id
    remove_link(session, link, user.name)
    session.commit()
    return RedirectResponse(f"/instruments/{source_id}", status_code=status.HTTP_303_SEE_OTHER)


@router.get("/audit", response_class=HTMLResponse, name="audit_page")
def audit_page(
    request: Request,
    session: SessionDep,
    user: SecretariatPage,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    entries = recent(session, AUDIT_PAGE_SIZE, (page - 1) * AUDIT_PAGE_SIZE)
    return render(
        request,
        "audit.html",
        {"entries": entries, "page": page, "more": len(entries) == AUDIT_PAGE_SIZE},
    )
