"""Language versions by hand (Secretariat and admin): attach another instrument as a
language version of this one, or detach this one from its work."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, status
from fastapi.responses import RedirectResponse

from tracker.models import Instrument
from web.dependencies import CsrfChecked, SecretariatPage, SessionDep, get_or_404
from web.languages import attach_by_hand, detach_by_hand

router = APIRouter()


@router.post("/instruments/{instrument_id}/languages", name="attach_language_version")
def attach_language_version(
    instrument_id: int,
    session: SessionDep,
    user: SecretariatPage,
    _csrf: CsrfChecked,
    other_id: Annotated[int, Form(ge=1)],
    role: Annotated[str, Form(max_length=40)] = "",
) -> RedirectResponse:
    instrument = get_or_404(session, Instrument, instrument_id, "instrument")
    attach_by_hand(session, instrument, other_id, role, user.name)
    session.commit()
    return RedirectResponse(f"/instruments/{instrument_id}", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/instruments/{instrument_id}/languages/detach", name="detach_language_version")
def detach_language_version(
    instrument_id: int, session: SessionDep, user: SecretariatPage, _csrf: CsrfChecked
) -> RedirectResponse:
    instrument = get_or_404(session, Instrument, instrument_id, "instrument")
    detach_by_hand(session, instrument, user.name)
    session.commit()
    return RedirectResponse(f"/instruments/{instrument_id}", status_code=status.HTTP_303_SEE_OTHER)
