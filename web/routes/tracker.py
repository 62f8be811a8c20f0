"""Editing the tracker (Secretariat and admin): an instrument's lifecycle, deadlines, owner,
notes and links (the instrument to link found by typing its title or number), and the
audit log of every edit. A saved edit says what it saved; a stage that would move
backwards asks first."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session

from tracker.models import Instrument, InstrumentLink
from web.audit import recent
from web.dependencies import CsrfChecked, SecretariatPage, SessionDep, get_or_404
from web.flash import flash
from web.lifecycle import (
    LIFECYCLE,
    LINK_KINDS,
    MAX_NOTES,
    STATUS_LABELS,
    TrackerEdit,
    add_link,
    apply_edit,
    normalise_status,
    remove_link,
)
from web.rendering import render
from web.search import MAX_QUERY_LENGTH, InstrumentFilter, find_instruments

router = APIRouter()

AUDIT_PAGE_SIZE = 100
FIELD = 1024
LINK_CHOICES = 10


def moves_backwards(current: str, wanted: str) -> bool:
    """Whether ``wanted`` comes before ``current`` in the lifecycle (``published`` ->
    ``consultation``); a state outside the lifecycle has no order."""
    if current not in LIFECYCLE or wanted not in LIFECYCLE:
        return False
    return LIFECYCLE.index(wanted) < LIFECYCLE.index(current)


def link_choices(session: Session, instrument: Instrument, query: str) -> list[Instrument]:
    """Instruments whose title, number or text holds ``query`` (Khmer or English), for
    the one being edited to link to; not itself."""
    if not query.strip():
        return []
    found, _ = find_instruments(session, InstrumentFilter(q=query), limit=LINK_CHOICES + 1)
    return [i for i in found if i.id != instrument.id][:LINK_CHOICES]


def _edit_page(
    request: Request,
    session: Session,
    instrument: Instrument,
    link_q: str = "",
    form: dict[str, str] | None = None,
    backwards: tuple[str, str] | None = None,
    status_code: int = status.HTTP_200_OK,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "instrument": instrument,
        "lifecycle": LIFECYCLE,
        "labels": STATUS_LABELS,
        "link_kinds": LINK_KINDS,
        "link_q": link_q,
        "choices": link_choices(session, instrument, link_q),
        "form": form or {},
        "backwards": backwards,
    }
    return render(request, "edit.html", context, status_code=status_code)


@router.get("/instruments/{instrument_id}/edit", response_class=HTMLResponse, name="edit_form")
def edit_form(
    request: Request,
    instrument_id: int,
    session: SessionDep,
    user: SecretariatPage,
    link_q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH)] = "",
) -> HTMLResponse:
    instrument = get_or_404(session, Instrument, instrument_id, "instrument")
    return _edit_page(request, session, instrument, link_q)


@router.post("/instruments/{instrument_id}/edit", name="edit_instrument", response_model=None)
def edit_instrument(
    request: Request,
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
    confirm_backwards: Annotated[str, Form(max_length=10)] = "",
) -> HTMLResponse | RedirectResponse:
    instrument = get_or_404(session, Instrument, instrument_id, "instrument")
    edit = TrackerEdit(
        status=status_,
        status_date=status_date,
        consultation_deadline=consultation_deadline,
        effective_date=effective_date,
        owner_team=owner_team,
        notes=notes,
    )
    wanted = normalise_status(status_)
    if moves_backwards(instrument.status, wanted) and not confirm_backwards:
        form = {
            "status": wanted,
            "status_date": status_date,
            "consultation_deadline": consultation_deadline,
            "effective_date": effective_date,
            "owner_team": owner_team,
            "notes": notes,
        }
        backwards = (instrument.status, wanted)
        return _edit_page(
            request, session, instrument, "", form, backwards, status.HTTP_409_CONFLICT
        )
    changed = apply_edit(session, instrument, edit, user.name)
    session.commit()
    if changed:
        fields = [name for name in changed if name != "status_date"]
        stage = (
            STATUS_LABELS.get(instrument.status, instrument.status) if "status" in changed else ""
        )
        flash(request, "saved", fields=fields, stage=stage)
    else:
        flash(request, "unchanged")
    return RedirectResponse(f"/instruments/{instrument_id}", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/instruments/{instrument_id}/links", name="add_instrument_link")
def add_instrument_link(
    request: Request,
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
    target = session.get(Instrument, target_id)
    title = (target.title or f"{target.type} {target.number}".strip()) if target else ""
    flash(request, "linked", link_kind=kind, title=title or f"#{target_id}")
    return RedirectResponse(f"/instruments/{instrument_id}", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/links/{link_id}/delete", name="delete_instrument_link")
def delete_instrument_link(
    request: Request, link_id: int, session: SessionDep, user: SecretariatPage, _csrf: CsrfChecked
) -> RedirectResponse:
    link = get_or_404(session, InstrumentLink, link_id, "link")
    source_id = link.source_id
    remove_link(session, link, user.name)
    session.commit()
    flash(request, "unlinked")
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
