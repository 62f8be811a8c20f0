"""Sources: the health of every publisher's listing and its recent crawl runs."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session, col, select

from tracker.models import CrawlRun, Source
from web.dependencies import SessionDep
from web.rendering import render

router = APIRouter()

RUNS_PER_SOURCE = 10


def all_sources(session: Session) -> list[Source]:
    return list(session.exec(select(Source).order_by(col(Source.id))))


def recent_runs(session: Session, source_id: str, limit: int = RUNS_PER_SOURCE) -> list[CrawlRun]:
    statement = (
        select(CrawlRun)
        .where(CrawlRun.source_id == source_id)
        .order_by(col(CrawlRun.started_at).desc(), col(CrawlRun.id).desc())
        .limit(limit)
    )
    return list(session.exec(statement))


def health(source: Source) -> str:
    """``ok``, ``failing`` (the last crawl failed) or ``unknown`` (never crawled)."""
    if source.last_crawl_at is None:
        return "unknown"
    return "failing" if source.consecutive_failures else "ok"


@router.get("/sources", response_class=HTMLResponse, name="sources_page")
def sources_page(request: Request, session: SessionDep) -> HTMLResponse:
    sources = all_sources(session)
    return render(
        request,
        "sources.html",
        {
            "sources": sources,
            "health": {s.id: health(s) for s in sources},
            "runs": {s.id: recent_runs(session, s.id) for s in sources},
        },
    )
