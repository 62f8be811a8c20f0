"""People who sign in to the web tracker: roles and argon2 password hashes.

Functions here take an open session and leave committing to the caller. Passwords are
hashed with argon2id (argon2-cffi's defaults); the plaintext is never stored or logged.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, delete, select

from tracker.errors import TrackerError
from tracker.models import ApiToken, Subscription, User, WebSession, utcnow

logger = logging.getLogger(__name__)

ROLES = ("viewer", "officer", "secretariat", "admin")  # each may do what those before it may
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 256
MIN_PASSWORD_LENGTH = 8
MAX_NAME_LENGTH = 64

_HASHER = PasswordHasher()


class UserError(TrackerError):
    """A user cannot be added as asked: says which field, what was expected and what came."""

    def __init__(self, field: str, expected: str, got: str) -> None:
        self.field = field
        self.expected = expected
        self.got = got
        super().__init__(f"user {field}: expected {expected}, got {got}")


@cache
def _dummy_hash() -> str:
    """Verified against when a name is unknown, so it costs as much as a wrong password."""
    return _HASHER.hash("not the password of anyone")


def find_user(session: Session, name: str) -> User | None:
    return session.exec(select(User).where(User.name == name)).first()


def _check(session: Session, name: str, role: str, password: str) -> None:
    if not name or name != name.strip() or len(name) > MAX_NAME_LENGTH:
        raise UserError(
            "name",
            f"a non-empty name of at most {MAX_NAME_LENGTH} characters without outer spaces",
            repr(name),
        )
    if role not in ROLES:
        raise UserError("role", "one of " + ", ".join(ROLES), repr(role))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(
            "password",
            f"at least {MIN_PASSWORD_LENGTH} characters",
            f"{len(password)} characters",
        )
    if find_user(session, name) is not None:
        raise UserError("name", "a name no other user has", f"{name!r}, which exists")


def add_user(session: Session, name: str, role: str, password: str) -> User:
    """Add a user with an argon2 hash of ``password``; raise :class:`UserError` if invalid."""
    _check(session, name, role, password)
    user = User(name=name, role=role, password_hash=_HASHER.hash(password))
    session.add(user)
    session.flush()
    logger.info("added user %s with role %s", name, role)
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The user whose name and password these are, or None.

    A hash made with weaker parameters than the current ones is replaced (the caller commits).
    """
    user = find_user(session, name) if name else None
    if user is None or user.disabled:
        with suppress(VerificationError):
            _HASHER.verify(_dummy_hash(), password)
        return None
    try:
        _HASHER.verify(user.password_hash, password)
    except VerificationError:
        return None
    except InvalidHashError:
        logger.warning("user %s has a password hash argon2 cannot read", name)
        return None
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    return user


def role_at_least(role: str, needed: str) -> bool:
    """Whether ``role`` may do what ``needed`` may (roles are ordered viewer < ... < admin)."""
    if role not in ROLES or needed not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(needed)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _existing(session: Session, name: str) -> User:
    user = find_user(session, name)
    if user is None or user.id is None:
        raise UserError("name", "an existing user", repr(name))
    return user


def issue_token(session: Session, name: str, days: float | None = 90) -> str:
    """A new API bearer token for user ``name``, valid ``days`` (None: until revoked);
    only its sha256 is stored."""
    user = _existing(session, name)
    assert user.id is not None
    if user.disabled:
        raise UserError("name", "a user who is not disabled", repr(name))
    if days is not None and days <= 0:
        raise UserError("days", "a positive number of days", repr(days))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires = utcnow() + timedelta(days=days) if days is not None else None
    session.add(ApiToken(user_id=user.id, token_sha256=_token_digest(token), expires_at=expires))
    session.flush()
    logger.info("issued an API token for %s", name)
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The user a bearer token belongs to, or None (unknown, revoked or malformed)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = session.exec(
        select(ApiToken).where(ApiToken.token_sha256 == _token_digest(token))
    ).first()
    if row is None:
        return None
    if row.expires_at is not None and _aware(row.expires_at) <= utcnow():
        return None
    user = session.get(User, row.user_id)
    return None if user is None or user.disabled else user


def revoke_tokens(session: Session, name: str) -> int:
    """Delete every API token of ``name``; how many there were."""
    user = _existing(session, name)
    rows = list(session.exec(select(ApiToken).where(ApiToken.user_id == user.id)))
    for row in rows:
        session.delete(row)
    return len(rows)


# --- Server-side sessions ------------------------------------------------------------


def start_session(session: Session, user: User, max_age_s: float) -> str:
    """A new signed-in session of ``user``; the id to keep in the cookie (its sha256 is
    stored, so the table alone lets nobody sign in)."""
    assert user.id is not None
    sid = secrets.token_urlsafe(TOKEN_BYTES)
    expires = utcnow() + timedelta(seconds=max_age_s)
    session.add(WebSession(id=_token_digest(sid), user_id=user.id, expires_at=expires))
    session.flush()
    return sid


def user_for_session(session: Session, sid: str) -> User | None:
    """The user of a live session id, or None (unknown, ended, expired, user disabled)."""
    if not sid or len(sid) > MAX_TOKEN_LENGTH:
        return None
    row = session.get(WebSession, _token_digest(sid))
    if row is None or _aware(row.expires_at) <= utcnow():
        return None
    user = session.get(User, row.user_id)
    return None if user is None or user.disabled else user


def end_session(session: Session, sid: str) -> None:
    """Sign one session out, on the server."""
    if sid and len(sid) <= MAX_TOKEN_LENGTH:
        session.exec(delete(WebSession).where(col(WebSession.id) == _token_digest(sid)))


def end_sessions(session: Session, user: User) -> int:
    """Sign every session of ``user`` out; how many there were."""
    result = session.exec(delete(WebSession).where(col(WebSession.user_id) == user.id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _sign_out_everywhere(session: Session, user: User) -> None:
    end_sessions(session, user)
    session.exec(delete(ApiToken).where(col(ApiToken.user_id) == user.id))


def set_password(session: Session, name: str, password: str) -> User:
    """A new password for ``name``; every session and token of theirs ends."""
    user = _existing(session, name)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(
            "password", f"at least {MIN_PASSWORD_LENGTH} characters", f"{len(password)} characters"
        )
    user.password_hash = _HASHER.hash(password)
    session.add(user)
    _sign_out_everywhere(session, user)
    logger.info("password of %s changed", name)
    return user


def set_role(session: Session, name: str, role: str) -> User:
    """A new role for ``name``; every session and token of theirs ends."""
    user = _existing(session, name)
    if role not in ROLES:
        raise UserError("role", "one of " + ", ".join(ROLES), repr(role))
    if role != user.role:
        user.role = role
        session.add(user)
        _sign_out_everywhere(session, user)
    return user


def set_disabled(session: Session, name: str, disabled: bool) -> User:
    """Disable (no sign-in, every session and token ends) or enable ``name``."""
    user = _existing(session, name)
    user.disabled = disabled
    session.add(user)
    if disabled:
        _sign_out_everywhere(session, user)
    logger.info("user %s %s", name, "disabled" if disabled else "enabled")
    return user


def delete_user(session: Session, name: str) -> None:
    """Delete ``name`` with their sessions, tokens and subscriptions (the audit log keeps
    their name)."""
    user = _existing(session, name)
    _sign_out_everywhere(session, user)
    session.exec(delete(Subscription).where(col(Subscription.user_id) == user.id))
    session.delete(user)
    session.flush()
    logger.info("user %s deleted", name)


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(col(User.name))))
