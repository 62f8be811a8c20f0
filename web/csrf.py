"""Per-session CSRF tokens for the forms that change state (login, logout, later edits).

The token lives in the signed session cookie; a form carries it in a hidden field and the
POST handler compares the two in constant time.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from fastapi import HTTPException, status

CSRF_KEY = "csrf"
FIELD = "csrf_token"


def csrf_token(session: dict[str, Any]) -> str:
    """The session's token, made on first use."""
    token = session.get(CSRF_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[CSRF_KEY] = token
    return token


def check_csrf(session: dict[str, Any], submitted: str | None) -> None:
    """Raise 403 unless ``submitted`` is this session's token."""
    expected = session.get(CSRF_KEY)
    if (
        not isinstance(expected, str)
        or not expected
        or not submitted
        or not hmac.compare_digest(expected.encode(), submitted.encode())
    ):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, detail="the form's CSRF token is missing or stale"
        )
