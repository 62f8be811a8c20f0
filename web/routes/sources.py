"""Sources: the health of every publisher's listing and its recent crawl runs; the source
wizard (secretariat and admin): add or edit a source, dry-run it, save it, crawl it now.

A source saved here is stored in the database (``SourceDefinition``, the keys of a
config.toml ``[[sources]]`` table) and wins over config.toml's source of the same id;
"revert" removes it. The dry run and the crawl run in the background (the settings'
``sources``, handed in by the composition root); their pages refresh themselves (an HTTP
``Refresh`` header: no JavaScript needed) until the work is done.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import unquote

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from crawler.robots import ROBOTS_REFUSAL
from tracker import history
from tracker.database import session as open_session
from tracker.models import CrawlRun, Instrument, Source, SourceDefinition, User, utcnow
from tracker.users import role_at_least
from web.audit import record
from web.csrf import FIELD, check_csrf
from web.dependencies import CsrfChecked, SecretariatPage, SessionDep
from web.rendering import render
from web.sourceadmin import ID_TAKEN, SourceAdmin, field_error_words
from web.translations import request_language, translator

router = APIRouter()

RUNS_PER_SOURCE = 10
#: Seconds between two refreshes of a page showing work in progress.
REFRESH_S = 2
#: Most form fields a source form may post (it has about 25).
MAX_FORM_FIELDS = 60
ACTIONS = ("check", "save")


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


def _wizard(request: Request) -> SourceAdmin:
    admin: SourceAdmin | None = request.app.state.settings.sources
    if admin is None:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            detail=translator(request).gettext(
                "the source wizard is not available: this web app was started without "
                "the crawler (start it with `sptrack serve`)"
            ),
        )
    return admin


def _origins(request: Request, session: Session) -> dict[str, str]:
    """Where each source is defined: ``config``, ``web`` or ``web over config``."""
    admin: SourceAdmin | None = request.app.state.settings.sources
    configured = set(admin.configured()) if admin is not None else set()
    stored = {row.id for row in session.exec(select(SourceDefinition))}
    origins = {i: "config.toml" for i in configured}
    for i in stored:
        origins[i] = "web, over config.toml" if i in configured else "web"
    return origins


@router.get("/sources", response_class=HTMLResponse, name="sources_page")
def sources_page(request: Request, session: SessionDep) -> HTMLResponse:
    sources = all_sources(session)
    origins = _origins(request, session)
    admin: SourceAdmin | None = request.app.state.settings.sources
    known = {s.id for s in sources}
    configured = admin.configured() if admin is not None else {}
    for source_id in sorted(set(origins) - known):  # defined, never crawled: shown too
        row = session.get(SourceDefinition, source_id)
        definition = row.definition if row is not None else configured.get(source_id, {})
        sources.append(
            Source(
                id=source_id,
                name=str(definition.get("name", "")),
                spider=str(definition.get("spider", "listing")),
            )
        )
    return render(
        request,
        "sources.html",
        {
            "sources": sources,
            "health": {s.id: health(s) for s in sources},
            "runs": {s.id: recent_runs(session, s.id) for s in sources},
            "origins": origins,
            "wizard": request.app.state.settings.sources is not None,
        },
    )


def _form_page(
    request: Request,
    user: User,
    *,
    form: dict[str, str],
    mode: str,
    errors: dict[str, str] | None = None,
    check: Any = None,
    check_id: str = "",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    admin = _wizard(request)
    gettext = translator(request).gettext
    groups: dict[str, list[Any]] = {}
    for spec in admin.fields():  # each key's help (app/config.py, marked N_) in the reader's words
        groups.setdefault(spec.group, []).append(replace(spec, help=gettext(spec.help)))
    response = render(
        request,
        "source_form.html",
        {
            "groups": groups,
            "form": form,
            "mode": mode,
            "errors": {
                name: field_error_words(error, gettext, request_language(request))
                for name, error in (errors or {}).items()
            },
            "check": check,
            "check_id": check_id,
            "is_admin": role_at_least(user.role, "admin"),
            "refresh_s": REFRESH_S,
            "robots_refusals": [
                skip
                for skip in (check.plan.get("skipped", []) if check is not None else [])
                if ROBOTS_REFUSAL in str(skip.get("reason", ""))
            ],
            "readable": unquote,
        },
        status_code=status_code,
    )
    response.headers.update(headers or {})
    return response


@router.get("/sources/new", response_class=HTMLResponse, name="new_source")
def new_source(request: Request, user: SecretariatPage) -> HTMLResponse:
    admin = _wizard(request)
    return _form_page(request, user, form=admin.to_form({}), mode="new")


def _definition(request: Request, session: Session, source_id: str) -> dict[str, Any]:
    """A source's definition: the web's, else config.toml's; 404 when neither has it."""
    row = session.get(SourceDefinition, source_id)
    if row is not None:
        return {**row.definition, "id": row.id}
    configured = _wizard(request).configured()
    if source_id in configured:
        return configured[source_id]
    raise HTTPException(
        status.HTTP_404_NOT_FOUND,
        detail=translator(request).gettext("no source %(id)s defined in config.toml or on the web")
        % {"id": repr(source_id)},
    )


@router.get("/sources/{source_id}/edit", response_class=HTMLResponse, name="edit_source")
def edit_source(
    source_id: str, request: Request, session: SessionDep, user: SecretariatPage
) -> HTMLResponse:
    definition = _definition(request, session, source_id)
    return _form_page(request, user, form=_wizard(request).to_form(definition), mode="edit")


def _exists(request: Request, session: Session, source_id: str) -> bool:
    return (
        session.get(SourceDefinition, source_id) is not None
        or source_id in _wizard(request).configured()
    )


@router.post("/sources/wizard", response_class=HTMLResponse, name="source_wizard")
async def source_wizard(request: Request, user: SecretariatPage) -> Response:
    """The form's two buttons: ``check`` (dry run in the background, then its page) and
    ``save`` (store the definition). A form with errors comes back with each field's."""
    async with request.form(max_fields=MAX_FORM_FIELDS, max_files=0) as data:
        form = {k: v for k, v in data.items() if isinstance(v, str)}
    check_csrf(request.session, form.get(FIELD))
    action = form.get("action", "")
    mode = "edit" if form.get("mode") == "edit" else "new"
    if action not in ACTIONS:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            detail=translator(request).gettext("action: expected check or save"),
        )
    return await run_in_threadpool(_wizard_action, request, user, form, action, mode)


def _wizard_action(
    request: Request, user: User, form: dict[str, str], action: str, mode: str
) -> Response:
    admin = _wizard(request)
    with open_session(request.app.state.engine) as session:
        current = None
        if mode == "edit" and _exists(request, session, form.get("id", "")):
            current = _definition(request, session, form.get("id", ""))
        is_admin = role_at_least(user.role, "admin")
        definition, errors = admin.validate(form, admin=is_admin, current=current)
        if definition is not None and mode == "new" and _exists(request, session, definition["id"]):
            definition = None
            errors = {"id": translator(request).gettext(ID_TAKEN)}
        if definition is None:
            shown = {k: v for k, v in form.items() if k not in (FIELD, "action", "mode")}
            return _form_page(
                request,
                user,
                form=admin.to_form({}) | shown,
                mode=mode,
                errors=errors,
                status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            )
        if action == "check":
            check_id = admin.start_check(definition)
            target = request.url_for("source_check", check_id=check_id).path + f"?mode={mode}"
            return RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)
        _save(session, user, definition)
    return RedirectResponse(
        request.url_for("sources_page").path + f"#source-{definition['id']}",
        status_code=status.HTTP_303_SEE_OTHER,
    )


def _save(session: Session, user: User, definition: dict[str, Any]) -> None:
    source_id = definition["id"]
    row = session.get(SourceDefinition, source_id)
    before = dict(row.definition) if row is not None else {}
    body = {k: v for k, v in definition.items() if k != "id"}
    if row is None:
        row = SourceDefinition(id=source_id)
    row.definition = body
    row.updated_by = user.name
    row.updated_at = utcnow()
    session.add(row)
    history.ensure_source(session, source_id, body.get("name", ""), body.get("spider", ""))
    record(session, user.name, "source", source_id, "edit" if before else "add", before, body)
    session.commit()


@router.get("/sources/checks/{check_id}", response_class=HTMLResponse, name="source_check")
def source_check(
    check_id: str, request: Request, user: SecretariatPage, mode: str = "new"
) -> HTMLResponse:
    """A dry run's result under the form that made it (refreshing while it runs)."""
    admin = _wizard(request)
    check = admin.check_state(check_id)
    if check is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            detail=translator(request).gettext("no such dry run (results are kept a day)"),
        )
    running = check.status == "running"
    return _form_page(
        request,
        user,
        form=admin.to_form(check.definition),
        mode="edit" if mode == "edit" else "new",
        check=check,
        check_id=check_id,
        headers={"Refresh": str(REFRESH_S)} if running else None,
    )


@router.post("/sources/{source_id}/revert", name="revert_source")
def revert_source(
    source_id: str, request: Request, session: SessionDep, user: SecretariatPage, _csrf: CsrfChecked
) -> RedirectResponse:
    """Remove the web's definition: config.toml's source of that id (if any) is back."""
    row = session.get(SourceDefinition, source_id)
    if row is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            detail=translator(request).gettext("no web definition of %(id)s")
            % {"id": repr(source_id)},
        )
    record(session, user.name, "source", source_id, "revert", dict(row.definition), {})
    session.delete(row)
    session.commit()
    return RedirectResponse(
        request.url_for("sources_page").path + f"#source-{source_id}",
        status_code=status.HTTP_303_SEE_OTHER,
    )


@router.post("/sources/{source_id}/crawl", name="crawl_source")
def crawl_source(
    source_id: str, request: Request, session: SessionDep, user: SecretariatPage, _csrf: CsrfChecked
) -> Response:
    """Crawl now, in the background; then the crawl's page."""
    _definition(request, session, source_id)
    refused = _wizard(request).start_crawl(source_id)
    if refused and "already running" not in refused:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=refused)
    if not refused:  # one already running: its page, no second crawl
        record(session, user.name, "source", source_id, "crawl")
        session.commit()
    return RedirectResponse(
        request.url_for("source_crawl", source_id=source_id).path,
        status_code=status.HTTP_303_SEE_OTHER,
    )


@router.get("/sources/{source_id}/crawl", response_class=HTMLResponse, name="source_crawl")
def source_crawl(
    source_id: str, request: Request, session: SessionDep, user: SecretariatPage
) -> HTMLResponse:
    """How the crawl started here is going (refreshing while it runs); then its report
    and the source's documents."""
    _definition(request, session, source_id)
    state = _wizard(request).crawl_state(source_id)
    documents = list(
        session.exec(
            select(Instrument)
            .where(Instrument.source_id == source_id)
            .order_by(col(Instrument.last_seen_at).desc(), col(Instrument.id).desc())
            .limit(50)
        )
    )
    response = render(
        request,
        "source_crawl.html",
        {
            "source_id": source_id,
            "state": state,
            "documents": documents,
            "runs": recent_runs(session, source_id, 3),
            "refresh_s": REFRESH_S,
        },
    )
    if state.status == "running":
        response.headers["Refresh"] = str(REFRESH_S)
    return response
