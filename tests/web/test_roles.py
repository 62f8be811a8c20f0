"""Every route that changes something, for every role: a lower role is refused (403),
an anonymous visitor is sent to sign in (pages) or told 401 (API), with or without
public_read; a form without the session's CSRF token changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from tracker.database import open_engine, session
from tracker.models import AuditEntry, Instrument
from tracker.users import ROLES, role_at_least

_unique = count(1)


@dataclass(frozen=True)
class Write:
    method: str
    path: str
    needs: str
    data: Callable[[Any], dict[str, Any]]
    api: bool = False
    ok: tuple[int, ...] = (303,)


WRITES = [
    Write(
        "POST", "/instruments/{en_instrument}/edit", "secretariat", lambda i: {"status": "adopted"}
    ),
    Write(
        "POST",
        "/instruments/{en_instrument}/links",
        "secretariat",
        lambda i: {"kind": "amends", "target_id": str(i.km_instrument)},
    ),
    Write("POST", "/links/999999/delete", "secretariat", lambda i: {}, ok=(404,)),
    Write("POST", "/alerts/{en_alert}/acknowledge", "officer", lambda i: {}),
    Write("POST", "/alerts/{en_alert}/assign", "officer", lambda i: {"task_team": "Pensions TT"}),
    Write("POST", "/alerts/{en_alert}/feedback", "officer", lambda i: {"verdict": "relevant"}),
    Write(
        "POST",
        "/admin/users",
        "admin",
        lambda i: {
            "username": f"new{next(_unique)}",
            "role": "viewer",
            "password": "long password",
        },
    ),
    Write("POST", "/admin/users/1/role", "admin", lambda i: {"role": "viewer"}),
    Write(
        "POST",
        "/account/subscriptions",
        "viewer",
        lambda i: {"url": "mailto://me@example.org", "positions": "maternity"},
    ),
    Write("POST", "/account/subscriptions/999999/delete", "viewer", lambda i: {}, ok=(404,)),
    Write(
        "PATCH",
        "/api/instruments/{en_instrument}",
        "secretariat",
        lambda i: {"status": "consultation"},
        api=True,
        ok=(200,),
    ),
    Write(
        "POST",
        "/api/alerts/{en_alert}/triage",
        "officer",
        lambda i: {"acknowledge": True},
        api=True,
        ok=(200,),
    ),
]
RESTRICTED_READS = [
    ("/instruments/{en_instrument}/edit", "secretariat"),
    ("/audit", "secretariat"),
    ("/admin/users", "admin"),
    ("/account", "viewer"),
]


def _send(client: TestClient, write: Write, ids: Any, token: str | None) -> Any:
    path = write.path.format(**vars(ids))
    if write.api:
        return client.request(write.method, path, json=write.data(ids), follow_redirects=False)
    data = write.data(ids)
    if token is not None:
        data["csrf_token"] = token
    return client.request(write.method, path, data=data, follow_redirects=False)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", WRITES, ids=lambda w: f"{w.method} {w.path}")
def test_each_write_needs_its_role(
    sign_in: Any, module_tracker: Any, csrf_of: Any, write: Write, role: str
) -> None:
    client = sign_in(module_tracker, role)
    response = _send(client, write, module_tracker.ids, csrf_of(client))
    if role_at_least(role, write.needs):
        assert response.status_code in write.ok, response.text
    else:
        assert response.status_code == 403, response.text
        assert write.needs in response.text


@pytest.mark.parametrize("public_read", [False, True])
@pytest.mark.parametrize("write", WRITES, ids=lambda w: f"{w.method} {w.path}")
def test_anonymous_writes_are_refused(
    sign_in: Any, module_tracker: Any, csrf_of: Any, write: Write, public_read: bool
) -> None:
    client = sign_in(module_tracker, None, public_read=public_read)
    response = _send(client, write, module_tracker.ids, csrf_of(client))
    if write.api:
        assert response.status_code == 401
    else:
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize("write", [w for w in WRITES if not w.api], ids=lambda w: w.path)
def test_forms_without_csrf_token_change_nothing(
    sign_in: Any, fresh_tracker: Any, write: Write
) -> None:
    client = sign_in(fresh_tracker, "admin")
    assert _send(client, write, fresh_tracker.ids, None).status_code == 403
    assert _send(client, write, fresh_tracker.ids, "forged").status_code == 403
    engine = open_engine(fresh_tracker.url)
    with session(engine) as s:
        assert s.exec(select(AuditEntry)).all() == []
        instrument = s.get(Instrument, fresh_tracker.ids.en_instrument)
        assert instrument is not None and instrument.status == "draft"
    engine.dispose()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "needs"), RESTRICTED_READS)
def test_restricted_pages_need_their_role(
    sign_in: Any, tracker_db: Any, role: str, path: str, needs: str
) -> None:
    client = sign_in(tracker_db, role)
    response = client.get(path.format(**vars(tracker_db.ids)), follow_redirects=False)
    assert response.status_code == (200 if role_at_least(role, needs) else 403)


@pytest.mark.parametrize(("path", "needs"), RESTRICTED_READS)
def test_restricted_pages_send_anonymous_to_login(
    sign_in: Any, tracker_db: Any, path: str, needs: str
) -> None:
    client = sign_in(tracker_db, None, public_read=True)
    response = client.get(path.format(**vars(tracker_db.ids)), follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_edit_controls_show_only_to_those_who_may_use_them(sign_in: Any, tracker_db: Any) -> None:
    path = f"/instruments/{tracker_db.ids.en_instrument}"
    alert = f"/alerts/{tracker_db.ids.en_alert}"
    viewer = sign_in(tracker_db, "viewer")
    assert 'id="edit-link"' not in viewer.get(path).text
    assert 'id="triage-form"' not in viewer.get(alert).text
    officer = sign_in(tracker_db, "officer")
    assert 'id="edit-link"' not in officer.get(path).text
    assert 'id="triage-form"' in officer.get(alert).text
    secretariat = sign_in(tracker_db, "secretariat")
    assert 'id="edit-link"' in secretariat.get(path).text
