"""The `users` group: add, list, disable, enable and delete the web tracker's users, set
passwords, issue and revoke API tokens."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from app.commands.context import ConfigOption, runtime

users_app = typer.Typer(help="Manage the web tracker's users.", no_args_is_help=True)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name")],
    role: Annotated[str, typer.Option(help="viewer, officer, secretariat or admin")],
    config: ConfigOption = None,
) -> None:
    """Add a user; the password is read from standard input."""
    from tracker.users import add_user

    password = _read_password()
    rt = runtime(config)
    with rt.session() as s:
        user = add_user(s, name, role, password)
        s.commit()
        typer.echo(f"added {user.name} ({user.role})")


@users_app.command("token")
def users_token(
    name: Annotated[str, typer.Argument(help="User name")],
    config: ConfigOption = None,
    days: Annotated[
        float, typer.Option(min=0, help="Days the token is valid; 0: until revoked")
    ] = 90,
) -> None:
    """Issue an API bearer token for a user (printed once, as the last line)."""
    from tracker.users import issue_token

    rt = runtime(config)
    with rt.session() as s:
        token = issue_token(s, name, days or None)
        s.commit()
    typer.echo(f"API token for {name} (send it as 'Authorization: Bearer TOKEN'):", err=True)
    typer.echo(token)


@users_app.command("list")
def users_list(config: ConfigOption = None) -> None:
    """List the users: name, role, disabled or not."""
    from tracker.users import list_users

    with runtime(config).session() as s:
        for user in list_users(s):
            state = "disabled" if user.disabled else "active"
            typer.echo(f"{user.name}\t{user.role}\t{state}")


def _user_change(config: str | None, change: Callable[[Any], str]) -> None:
    with runtime(config).session() as s:
        typer.echo(change(s))
        s.commit()


@users_app.command("disable")
def users_disable(
    name: Annotated[str, typer.Argument(help="User name")], config: ConfigOption = None
) -> None:
    """Disable a user: no sign-in; every session and API token of theirs ends."""
    from tracker.users import set_disabled

    _user_change(config, lambda s: f"disabled {set_disabled(s, name, True).name}")


@users_app.command("enable")
def users_enable(
    name: Annotated[str, typer.Argument(help="User name")], config: ConfigOption = None
) -> None:
    """Let a disabled user sign in again."""
    from tracker.users import set_disabled

    _user_change(config, lambda s: f"enabled {set_disabled(s, name, False).name}")


@users_app.command("delete")
def users_delete(
    name: Annotated[str, typer.Argument(help="User name")], config: ConfigOption = None
) -> None:
    """Delete a user with their sessions, tokens and subscriptions."""
    from tracker.users import delete_user

    def change(s: Any) -> str:
        delete_user(s, name)
        return f"deleted {name}"

    _user_change(config, change)


@users_app.command("passwd")
def users_passwd(
    name: Annotated[str, typer.Argument(help="User name")], config: ConfigOption = None
) -> None:
    """Set a user's password (read from standard input); their sessions and tokens end."""
    from tracker.users import set_password

    password = _read_password()
    _user_change(config, lambda s: f"password of {set_password(s, name, password).name} set")


@users_app.command("revoke")
def users_revoke(
    name: Annotated[str, typer.Argument(help="User name")], config: ConfigOption = None
) -> None:
    """Revoke every API token and end every web session of a user."""
    from tracker.users import end_sessions, find_user, revoke_tokens

    def change(s: Any) -> str:
        tokens = revoke_tokens(s, name)
        user = find_user(s, name)
        sessions = end_sessions(s, user) if user else 0
        return f"{name}: {tokens} token(s) revoked, {sessions} session(s) ended"

    _user_change(config, change)


def _read_password() -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("password: ")
    return sys.stdin.readline().rstrip("\r\n")
