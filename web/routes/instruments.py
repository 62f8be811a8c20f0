"""Instruments: the searchable list, one instrument with its versions and changes, and the
original file of a version."""

from __future__ import annotations

import logging
import mimetypes
import re
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import quote, unquote, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, Response
from pydantic import BeforeValidator
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from tracker.errors import BlobError
from tracker.models import Change, Instrument, Source, Version
from web.audit import entries_for
from web.dependencies import BlobsDep, SessionDep, get_or_404
from web.languages import language_rows, work_rows
from web.lifecycle import LIFECYCLE, LINK_KINDS, STATUS_LABELS, links_of, timeline
from web.limits import MAX_ROW_ID
from web.redline import build_redline
from web.rendering import render
from web.routes.alerts import instruments_by_id
from web.routes.changes import flags_by_change, positions_of
from web.search import PAGE_SIZE, InstrumentFilter, find_works
from web.translations import translator

logger = logging.getLogger(__name__)

router = APIRouter()

MAX_COMPARE_CHARS = 400_000  # a word diff of two whole texts in well under a second
_UNSAFE_FILENAME_RE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


# Columns a page listing versions or changes never shows (most of their bytes).
_VERSION_TEXTS: tuple[Any, ...] = (Version.text, Version.raw_text, Version.document)
_CHANGE_TEXTS: tuple[Any, ...] = (Change.old_text, Change.new_text, Change.ops)


def versions_of(session: Session, instrument_id: int, light: bool = False) -> list[Version]:
    """An instrument's versions, newest first; ``light``: without their texts (a page that
    lists versions reads none of them, and they are most of a version's bytes)."""
    statement = (
        select(Version)
        .where(Version.instrument_id == instrument_id)
        .order_by(col(Version.fetched_at).desc(), col(Version.id).desc())
    )
    if light:
        statement = statement.options(*(defer(c) for c in _VERSION_TEXTS))
    return list(session.exec(statement))


def changes_of(session: Session, instrument_id: int, light: bool = False) -> list[Change]:
    statement = select(Change).where(Change.instrument_id == instrument_id).order_by(col(Change.id))
    if light:
        statement = statement.options(*(defer(c) for c in _CHANGE_TEXTS))
    return list(session.exec(statement))


def _empty_is_none(value: object) -> object:
    """A date field left empty (the search form sends ``seen_from=``) filters nothing."""
    return None if value == "" else value


#: A day of a query (``YYYY-MM-DD``), or nothing when the field was sent empty.
OptionalDay = Annotated[date | None, BeforeValidator(_empty_is_none)]


def instrument_filter(
    source: str = "",
    language: str = "",
    status: str = "",
    type: str = "",
    q: str = "",
    *,
    issuer: str = "",
    position: str = "",
    seen_from: OptionalDay = None,
    seen_to: OptionalDay = None,
) -> InstrumentFilter:
    """The instrument filter from a request's query parameters (a FastAPI dependency)."""
    return InstrumentFilter(
        source=source.strip(),
        language=language.strip(),
        status=status.strip(),
        type=type.strip(),
        q=q.strip(),
        issuer=issuer.strip(),
        position=position.strip(),
        seen_from=seen_from,
        seen_to=seen_to,
    )


FilterDep = Annotated[InstrumentFilter, Depends(instrument_filter)]


@router.get("/instruments", response_class=HTMLResponse, name="instruments_page")
def instruments_page(
    request: Request,
    session: SessionDep,
    flt: FilterDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    works, total = find_works(session, flt, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    query = flt.query()
    return render(
        request,
        "instruments.html",
        {
            "works": work_rows(session, works, datetime.now(UTC)),
            "total": total,
            "filter": flt,
            "facets": request.app.state.facets.get(session),
            "page": page,
            "pages": pages,
            "query": query,
            "labels": STATUS_LABELS,
        },
    )


@router.get("/instruments/{instrument_id}", response_class=HTMLResponse, name="instrument_page")
def instrument_page(request: Request, instrument_id: int, session: SessionDep) -> HTMLResponse:
    instrument = get_or_404(session, Instrument, instrument_id, "instrument")
    versions = versions_of(session, instrument_id, light=True)
    changes = changes_of(session, instrument_id, light=True)
    flags = flags_by_change(session, [c.id for c in changes if c.id is not None])
    by_version: dict[int, list[Change]] = defaultdict(list)
    by_article: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        by_version[change.new_version_id].append(change)
        by_article[change.new_ref or change.old_ref or ""].append(change)
    positions = {cid: positions_of(found) for cid, found in flags.items()}
    links = links_of(session, instrument_id)
    linked = instruments_by_id(
        session, {*(k.source_id for k in links), *(k.target_id for k in links)}
    )
    return render(
        request,
        "instrument.html",
        {
            "instrument": instrument,
            "lifecycle": LIFECYCLE,
            "labels": STATUS_LABELS,
            "link_kinds": LINK_KINDS,
            "steps": timeline(session, instrument_id),
            "links": links,
            "linked": linked,
            "audit": entries_for(session, "instrument", instrument_id),
            "source": session.get(Source, instrument.source_id),
            "versions": versions,
            "changes_by_version": by_version,
            "changes_by_article": {ref: found for ref, found in by_article.items() if ref},
            "fetched": {v.id: v.fetched_at for v in versions},
            "positions": positions,
            "needs_check_count": sum(1 for c in changes if c.needs_check),
            "language_rows": language_rows(session, instrument_id),
        },
    )


@router.get(
    "/instruments/{instrument_id}/compare", response_class=HTMLResponse, name="compare_versions"
)
def compare_versions(
    request: Request,
    instrument_id: int,
    session: SessionDep,
    old: Annotated[int, Query(ge=1, le=MAX_ROW_ID)],
    new: Annotated[int, Query(ge=1, le=MAX_ROW_ID)],
) -> HTMLResponse:
    """The redline between any two versions of an instrument (whole texts, word by word)."""
    instrument = get_or_404(session, Instrument, instrument_id, "instrument")
    versions = []
    for version_id in (old, new):
        version = session.get(Version, version_id)
        if version is None or version.instrument_id != instrument_id:
            raise HTTPException(
                status.HTTP_404_NOT_FOUND,
                detail=translator(request).gettext("instrument %(id)s has no version %(version)s")
                % {"id": instrument_id, "version": version_id},
            )
        versions.append(version)
    old_version, new_version = versions
    return render(
        request,
        "compare.html",
        {
            "instrument": instrument,
            "old_version": old_version,
            "new_version": new_version,
            "language": new_version.language,
            "redline": (
                build_redline(
                    [],
                    old_version.text,
                    new_version.text,
                    needs_check=bool({old_version.method, new_version.method} & {"ocr", "mixed"}),
                )
                if len(old_version.text) + len(new_version.text) <= MAX_COMPARE_CHARS
                else None
            ),
            "versions": versions_of(session, instrument_id, light=True),
        },
    )


def download_name(version: Version) -> str:
    """A safe file name for a version's original: the URL's last segment, else by id."""
    name = unquote(urlsplit(version.url).path.rsplit("/", 1)[-1])
    name = _UNSAFE_FILENAME_RE.sub("_", name).strip(" ._")[:150] or f"version-{version.id}"
    if "." not in name:
        media_type = version.content_type.split(";", 1)[0].strip().lower()
        name += mimetypes.guess_extension(media_type) or ""
    return name


def content_disposition(filename: str) -> str:
    if filename.isascii():
        return f'attachment; filename="{filename}"'
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


@router.get("/versions/{version_id}/file", name="version_file")
def version_file(version_id: int, session: SessionDep, blobs: BlobsDep) -> Response:
    """The original bytes of a version, as an attachment with its stored content type."""
    version = get_or_404(session, Version, version_id, "version")
    try:
        data = blobs.get(version.sha256)
    except BlobError as exc:
        logger.warning("version %s: original file unavailable: %s", version_id, exc)
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            detail=f"the original file of version {version_id} is not in the blob store",
        ) from exc
    return Response(
        content=data,
        headers={
            # As stored, untouched: Starlette would append a charset to text/* types.
            "Content-Type": version.content_type or "application/octet-stream",
            "Content-Disposition": content_disposition(download_name(version)),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )
