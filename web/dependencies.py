"""FastAPI dependencies: settings, database session, blob store, the signed-in user.

Each is overridable in tests through ``app.dependency_overrides``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from tracker.blobs import BlobStore
from tracker.database import session as open_session
from tracker.models import User
from web.settings import WebSettings

USER_KEY = "user_id"

RowT = TypeVar("RowT", bound=SQLModel)


class LoginRequired(Exception):
    """A page needs a signed-in user; answered with a redirect to the login form."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url
        super().__init__(f"login required for {next_url}")


def get_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    engine: Engine = request.app.state.engine
    with open_session(engine) as session:
        yield session


def get_blobs(settings: Annotated[WebSettings, Depends(get_settings)]) -> BlobStore:
    return BlobStore(settings.storage_path)


def current_user(
    request: Request, session: Annotated[Session, Depends(get_session)]
) -> User | None:
    """The signed-in user, or None; a session naming a deleted user is signed out."""
    user_id = request.session.get(USER_KEY)
    if not isinstance(user_id, int):
        return None
    user = session.get(User, user_id)
    if user is None:
        request.session.pop(USER_KEY, None)
    return user


def require_page_reader(
    request: Request,
    settings: Annotated[WebSettings, Depends(get_settings)],
    user: Annotated[User | None, Depends(current_user)],
) -> User | None:
    if user is None and not settings.public_read:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    return user


def require_api_reader(
    settings: Annotated[WebSettings, Depends(get_settings)],
    user: Annotated[User | None, Depends(current_user)],
) -> User | None:
    if user is None and not settings.public_read:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="sign in at /login first",
            headers={"WWW-Authenticate": 'Cookie realm="SP Tracker"'},
        )
    return user


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[WebSettings, Depends(get_settings)]
BlobsDep = Annotated[BlobStore, Depends(get_blobs)]
UserDep = Annotated[User | None, Depends(current_user)]


def get_or_404(session: Session, model: type[RowT], ident: int | str, what: str) -> RowT:
    """The row ``ident`` of ``model``, or a 404 that says which ``what`` is missing."""
    row = session.get(model, ident)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no {what} with id {ident}")
    return row
