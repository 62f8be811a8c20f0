"""Users (admin only): who may sign in, with which role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import col, select

from tracker.models import User
from tracker.users import (
    ROLES,
    UserError,
    add_user,
    delete_user,
    set_disabled,
    set_password,
    set_role,
)
from web.audit import record
from web.dependencies import AdminPage, CsrfChecked, SessionDep, get_or_404
from web.errors import EditError
from web.rendering import render

router = APIRouter()


@router.get("/admin/users", response_class=HTMLResponse, name="users_page")
def users_page(request: Request, session: SessionDep, user: AdminPage) -> HTMLResponse:
    users = list(session.exec(select(User).order_by(col(User.name))))
    return render(request, "users.html", {"users": users, "roles": ROLES})


@router.post("/admin/users", name="create_user")
def create_user(
    session: SessionDep,
    user: AdminPage,
    _csrf: CsrfChecked,
    username: Annotated[str, Form(max_length=256)],
    role: Annotated[str, Form(max_length=20)],
    password: Annotated[str, Form(max_length=1024)],
) -> RedirectResponse:
    try:
        added = add_user(session, username, role, password)
    except UserError as exc:
        raise EditError(exc.field, exc.expected, exc.got) from exc
    record(session, user.name, "user", added.id or 0, "add", {}, {"name": added.name, "role": role})
    return _saved(session)


@router.post("/admin/users/{user_id}/role", name="change_role")
def change_role(
    user_id: int,
    session: SessionDep,
    user: AdminPage,
    _csrf: CsrfChecked,
    role: Annotated[str, Form(max_length=20)],
) -> RedirectResponse:
    target = get_or_404(session, User, user_id, "user")
    if role not in ROLES:
        raise EditError("role", "one of " + ", ".join(ROLES), repr(role))
    if target.id == user.id and role != "admin":
        raise EditError("role", "another admin to lower your own role", "yourself")
    if role != target.role:
        record(session, user.name, "user", user_id, "role", {"role": target.role}, {"role": role})
        set_role(session, target.name, role)  # their sessions and tokens end
    return _saved(session)  # nothing to commit when the role is the same


def _saved(session: SessionDep) -> RedirectResponse:
    """Commit the admin's edit and go back to the list of users."""
    session.commit()
    return RedirectResponse("/admin/users", status_code=status.HTTP_303_SEE_OTHER)


def _other_user(session: SessionDep, user_id: int, admin: User, what: str) -> User:
    target = get_or_404(session, User, user_id, "user")
    if target.id == admin.id:
        raise EditError("user", f"another admin to {what} you", "yourself")
    return target


def _set_disabled(
    session: SessionDep, admin: User, target: User, disabled: bool
) -> RedirectResponse:
    """Disable (or enable) ``target``'s sign-in, audited as ``admin``'s edit."""
    set_disabled(session, target.name, disabled)
    record(session, admin.name, "user", target.id or 0, "disable" if disabled else "enable")
    return _saved(session)


@router.post("/admin/users/{user_id}/disable", name="disable_user")
def disable_user(
    user_id: int, session: SessionDep, user: AdminPage, _csrf: CsrfChecked
) -> RedirectResponse:
    return _set_disabled(session, user, _other_user(session, user_id, user, "disable"), True)


@router.post("/admin/users/{user_id}/enable", name="enable_user")
def enable_user(
    user_id: int, session: SessionDep, user: AdminPage, _csrf: CsrfChecked
) -> RedirectResponse:
    return _set_disabled(session, user, get_or_404(session, User, user_id, "user"), False)


@router.post("/admin/users/{user_id}/delete", name="delete_user")
def remove_user(
    user_id: int, session: SessionDep, user: AdminPage, _csrf: CsrfChecked
) -> RedirectResponse:
    target = _other_user(session, user_id, user, "delete")
    record(session, user.name, "user", user_id, "delete", {"name": target.name}, {})
    delete_user(session, target.name)
    return _saved(session)


@router.post("/admin/users/{user_id}/password", name="reset_password")
def reset_password(
    user_id: int,
    session: SessionDep,
    user: AdminPage,
    _csrf: CsrfChecked,
    password: Annotated[str, Form(max_length=1024)],
) -> RedirectResponse:
    target = get_or_404(session, User, user_id, "user")
    try:
        set_password(session, target.name, password)  # their sessions and tokens end
    except UserError as exc:
        raise EditError(exc.field, exc.expected, exc.got) from exc
    record(session, user.name, "user", user_id, "password")
    return _saved(session)
