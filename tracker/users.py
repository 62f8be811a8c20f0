"""People who sign in to the web tracker: roles and argon2 password hashes.

Functions here take an open session and leave committing to the caller. Passwords are
hashed with argon2id (argon2-cffi's defaults); the plaintext is never stored or logged.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from contextlib import suppress
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from tracker.errors import TrackerError
from tracker.models import ApiToken, User

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
    if user is None:
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


def issue_token(session: Session, name: str) -> str:
    """A new API bearer token for user ``name``; only its sha256 is stored."""
    user = find_user(session, name)
    if user is None or user.id is None:
        raise UserError("name", "an existing user", repr(name))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(ApiToken(user_id=user.id, token_sha256=_token_digest(token)))
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
    return session.get(User, row.user_id)


def revoke_tokens(session: Session, name: str) -> int:
    """Delete every API token of ``name``; how many there were."""
    user = find_user(session, name)
    if user is None:
        raise UserError("name", "an existing user", repr(name))
    rows = list(session.exec(select(ApiToken).where(ApiToken.user_id == user.id)))
    for row in rows:
        session.delete(row)
    return len(rows)
