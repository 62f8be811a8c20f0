"""FastAPI dependencies: settings, database session, blob store, the signed-in user, roles.

Each is overridable in tests through ``app.dependency_overrides``. A user is signed in by
the session cookie (pages, forms) or by an ``Authorization: Bearer TOKEN`` header (API
clients; ``sptrack users token NAME`` issues one). Roles are ordered
viewer < officer < secretariat < admin: each may do what the ones before it may.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Form, HTTPException, Request, status
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from tracker.blobs import BlobStore
from tracker.database import session as open_session
from tracker.models import User
from tracker.users import role_at_least, user_for_session, user_for_token
from web.csrf import FIELD, check_csrf
from web.settings import WebSettings

SESSION_KEY = "sid"  # the cookie's session id; the server keeps its sha256 (tracker.users)
MAX_FIELD = 1024

RowT = TypeVar("RowT", bound=SQLModel)


class LoginRequired(Exception):
    """A page needs a signed-in user; answered with a redirect to the login form."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url
        super().__init__(f"login required for {next_url}")


def get_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def public_base(request: Request) -> str:
    """The tracker's public address ending in ``/``: ``base_url`` from the settings, never
    the request's Host header (which anyone can set); the request's only without one."""
    settings: WebSettings = request.app.state.settings
    return (settings.base_url or str(request.base_url).rstrip("/")) + "/"


def public_url(request: Request, path: str) -> str:
    """An absolute link to ``path`` (``/versions/1/file``) at the public address."""
    return public_base(request) + path.lstrip("/")


def get_session(request: Request) -> Iterator[Session]:
    engine: Engine = request.app.state.engine
    with open_session(engine) as session:
        yield session


def get_blobs(settings: Annotated[WebSettings, Depends(get_settings)]) -> BlobStore:
    return BlobStore(settings.storage_path)


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header; None without such a header."""
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip()


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": 'Bearer realm="SP Tracker"'},
    )


def current_user(
    request: Request, session: Annotated[Session, Depends(get_session)]
) -> User | None:
    """The signed-in user, or None; a session the server no longer keeps (signed out,
    expired, password or role changed, user disabled or deleted) is signed out.

    A bearer token that names nobody is refused outright (401), never ignored: a client
    that sent one expects to act as someone.
    """
    token = bearer_token(request)
    if token is not None:
        user = user_for_token(session, token)
        if user is None:
            raise _unauthorized("the API token is unknown or revoked")
        request.state.user = user
        return user
    sid = request.session.get(SESSION_KEY)
    if not isinstance(sid, str):
        return None
    user = user_for_session(session, sid)
    if user is None:
        request.session.clear()
    request.state.user = user
    return user


def _login_target(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def require_page_reader(
    request: Request,
    settings: Annotated[WebSettings, Depends(get_settings)],
    user: Annotated[User | None, Depends(current_user)],
) -> User | None:
    if user is None and not settings.public_read:
        raise LoginRequired(_login_target(request))
    return user


def require_api_reader(
    settings: Annotated[WebSettings, Depends(get_settings)],
    user: Annotated[User | None, Depends(current_user)],
) -> User | None:
    if user is None and not settings.public_read:
        raise _unauthorized("sign in at /login or send an API token first")
    return user


def _forbidden(user: User, needed: str) -> HTTPException:
    return HTTPException(
        status.HTTP_403_FORBIDDEN,
        detail=f"this needs the {needed} role or higher; {user.name} is {user.role}",
    )


def page_role(needed: str) -> Callable[..., User]:
    """A dependency: the signed-in user if their role is ``needed`` or higher.

    Anonymous visitors are sent to the login form (even with ``public_read``: reading is
    public, writing never is); a signed-in user of a lower role gets 403.
    """

    def dependency(request: Request, user: Annotated[User | None, Depends(current_user)]) -> User:
        if user is None:
            raise LoginRequired(_login_target(request))
        if not role_at_least(user.role, needed):
            raise _forbidden(user, needed)
        return user

    return dependency


def api_role(needed: str) -> Callable[..., User]:
    """Like :func:`page_role` for the JSON API: 401 when anonymous, 403 for a lower role."""

    def dependency(user: Annotated[User | None, Depends(current_user)]) -> User:
        if user is None:
            raise _unauthorized("sign in at /login or send an API token first")
        if not role_at_least(user.role, needed):
            raise _forbidden(user, needed)
        return user

    return dependency


def require_csrf(
    request: Request,
    csrf: Annotated[str | None, Form(alias=FIELD, max_length=MAX_FIELD)] = None,
) -> None:
    """Every form that changes state carries the session's CSRF token."""
    check_csrf(request.session, csrf)


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[WebSettings, Depends(get_settings)]
BlobsDep = Annotated[BlobStore, Depends(get_blobs)]
UserDep = Annotated[User | None, Depends(current_user)]
OfficerPage = Annotated[User, Depends(page_role("officer"))]
SecretariatPage = Annotated[User, Depends(page_role("secretariat"))]
AdminPage = Annotated[User, Depends(page_role("admin"))]
SignedInPage = Annotated[User, Depends(page_role("viewer"))]
OfficerApi = Annotated[User, Depends(api_role("officer"))]
SecretariatApi = Annotated[User, Depends(api_role("secretariat"))]
CsrfChecked = Annotated[None, Depends(require_csrf)]


def get_or_404(session: Session, model: type[RowT], ident: int | str, what: str) -> RowT:
    """The row ``ident`` of ``model``, or a 404 that says which ``what`` is missing."""
    row = session.get(model, ident)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no {what} with id {ident}")
    return row
