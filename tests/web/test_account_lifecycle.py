"""Accounts over their life, through the app: a token expires; an admin's password reset,
role change, disabling or deleting ends the user's sessions and tokens; delivery errors
reach /api/alerts and the alert page without the credentials they held; the `sptrack users`
commands do the same from the command line; a deleted subscription's id is never given
again."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from alerts.deliver.outbound import OutboundPolicy
from tests.support.cli import sptrack as run_sptrack
from tests.web.conftest import PASSWORD, SECRET, Tracker, _csrf_from, _sign_in
from tracker.database import open_engine, session
from tracker.models import ApiToken, Delivery, User
from tracker.users import add_user, issue_token, user_for_token
from web.app import create_app
from web.settings import WebSettings

NEW_PASSWORD = "ពាក្យសម្ងាត់ថ្មី new 2026"


Clients = Callable[[], TestClient]


@pytest.fixture(scope="module")
def clients(module_tracker: Tracker) -> Clients:
    """New browsers (each its own cookies) on one app over the module's tracker, built
    once: a user's devices and the admin reach the same server."""
    app = create_app(
        WebSettings(
            database_url=module_tracker.url,
            storage_path=module_tracker.storage,
            secret_key=SECRET,
            outbound=OutboundPolicy(allow_private=("127.0.0.1",)),
        )
    )
    return lambda: TestClient(app)


@pytest.fixture(scope="module")
def admin(clients: Clients) -> Iterator[TestClient]:
    """The admin's browser, signed in once for the module."""
    with clients() as browser:
        _sign_in(browser, "admin1")
        yield browser


def _db(tracker: Tracker):  # type: ignore[no-untyped-def]
    return session(open_engine(tracker.url))


def _add(tracker: Tracker, name: str, role: str) -> tuple[int, str]:
    """A new user and an API token of theirs."""
    with _db(tracker) as s:
        user = add_user(s, name, role, PASSWORD)
        s.flush()
        token = issue_token(s, name, 30)
        s.commit()
        assert user.id is not None
        return user.id, token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_expired_token_is_refused(module_tracker: Tracker, clients: Clients) -> None:
    _, token = _add(module_tracker, "sokha", "viewer")
    with clients() as api:
        assert api.get("/api/instruments", headers=_bearer(token)).status_code == 200
        with _db(module_tracker) as s:  # a month later
            row = s.exec(select(ApiToken).join(User).where(User.name == "sokha")).one()
            row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
            s.add(row)
            s.commit()
        assert api.get("/api/instruments", headers=_bearer(token)).status_code == 401


@pytest.mark.parametrize(
    ("name", "path", "form"),
    [
        ("dara", "password", {"password": NEW_PASSWORD}),
        ("vanna", "role", {"role": "viewer"}),
        ("sreyleak", "disable", {}),
        ("piseth", "delete", {}),
    ],
    ids=["password reset", "role change", "disable", "delete"],
)
def test_an_admins_change_ends_the_users_sessions_and_tokens(
    module_tracker: Tracker,
    clients: Clients,
    admin: TestClient,
    name: str,
    path: str,
    form: dict[str, str],
) -> None:
    user_id, token = _add(module_tracker, name, "officer")
    with clients() as theirs:
        _sign_in(theirs, name)
        assert theirs.get("/", follow_redirects=False).status_code == 200
        csrf = _csrf_from(admin.get("/admin/users").text)
        response = admin.post(
            f"/admin/users/{user_id}/{path}",
            data={**form, "csrf_token": csrf},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        assert theirs.get("/", follow_redirects=False).status_code == 303  # signed out
        assert theirs.get("/api/instruments", headers=_bearer(token)).status_code == 401
    with clients() as again:
        if path != "role":
            login = _csrf_from(again.get("/login").text)
            old = again.post(
                "/login",
                data={"username": name, "password": PASSWORD, "csrf_token": login},
                follow_redirects=False,
            )
            assert old.status_code == 401
        if path == "password":
            _sign_in(again, name, NEW_PASSWORD)
        elif path in ("disable", "delete"):
            with _db(module_tracker) as s:
                row = s.exec(select(User).where(User.name == name)).one_or_none()
            assert row is None if path == "delete" else row is not None and row.disabled
        else:
            _sign_in(again, name)
            token = _csrf_from(again.get("/").text)
            edit = again.post(
                "/instruments/1/edit", data={"csrf_token": token}, follow_redirects=False
            )
            assert edit.status_code == 403  # a viewer now


def test_delivery_errors_reach_viewers_without_credentials(
    module_tracker: Tracker, sign_in: object
) -> None:
    secrets = ("s3cr3t-pw", "tok-9f8e7d6c", "abc123query")
    error = (
        f"json://ops:{secrets[0]}@hooks.example.org/x?key={secrets[2]} refused it: "
        f"Authorization: Bearer {secrets[1]} | HTTP 500 ការបញ្ជូនបរាជ័យ"
    )
    alert_id = module_tracker.ids.en_alert
    with _db(module_tracker) as s:
        s.add(Delivery(alert_id=alert_id, channel="ops-hook", status="failed", last_error=error))
        s.commit()
    viewer = sign_in(module_tracker, "viewer")  # type: ignore[operator]
    listed = viewer.get("/api/alerts").text
    page = viewer.get(f"/alerts/{alert_id}").text
    for shown in (listed, page):
        assert "hooks.example.org" in shown and "HTTP 500" in shown
        assert "ការបញ្ជូនបរាជ័យ" in shown
        for secret in secrets:
            assert secret not in shown


def test_users_commands(
    module_tracker: Tracker,
    clients: Clients,
    tmp_path: object,
) -> None:
    """The console script's entry point in this process, as `sptrack users ...` runs it."""
    from pathlib import Path

    config = Path(str(tmp_path)) / "config.toml"
    config.write_text(
        f'[database]\nurl = "{module_tracker.url}"\n[storage]\npath = "{module_tracker.storage}"\n',
        encoding="utf-8",
    )

    def sptrack(*args: str, stdin: str = "") -> str:
        ran = run_sptrack(*args, "--config", str(config), stdin=stdin)
        assert ran.returncode == 0, ran.stderr
        return ran.stdout

    sptrack("users", "add", "ចាន់ធា", "--role", "officer", stdin=PASSWORD + "\n")
    assert "ចាន់ធា\tofficer\tactive" in sptrack("users", "list").splitlines()
    token = sptrack("users", "token", "ចាន់ធា", "--days", "1").strip().splitlines()[-1]

    def token_works() -> bool:
        with _db(module_tracker) as s:
            return user_for_token(s, token) is not None

    assert token_works()
    sptrack("users", "disable", "ចាន់ធា")
    assert "ចាន់ធា\tofficer\tdisabled" in sptrack("users", "list").splitlines()
    assert not token_works()
    sptrack("users", "enable", "ចាន់ធា")
    token = sptrack("users", "token", "ចាន់ធា").strip().splitlines()[-1]
    assert token_works()
    sptrack("users", "passwd", "ចាន់ធា", stdin=NEW_PASSWORD + "\n")
    assert not token_works()
    with clients() as web:
        _sign_in(web, "ចាន់ធា", NEW_PASSWORD)
    token = sptrack("users", "token", "ចាន់ធា").strip().splitlines()[-1]
    assert "1 token(s) revoked" in sptrack("users", "revoke", "ចាន់ធា")
    assert not token_works()
    assert sptrack("users", "delete", "ចាន់ធា").strip() == "deleted ចាន់ធា"
    assert "ចាន់ធា" not in sptrack("users", "list")


def test_a_user_changes_their_own_password(module_tracker: Tracker, clients: Clients) -> None:
    _, token = _add(module_tracker, "bopha", "viewer")
    with clients() as other_device, clients() as web:
        _sign_in(other_device, "bopha")
        _sign_in(web, "bopha")
        csrf = _csrf_from(web.get("/account").text)
        wrong = web.post(
            "/account/password",
            data={"current_password": "not it", "new_password": NEW_PASSWORD, "csrf_token": csrf},
            follow_redirects=False,
        )
        assert wrong.status_code == 422  # a borrowed session alone cannot change it
        assert web.get("/", follow_redirects=False).status_code == 200
        changed = web.post(
            "/account/password",
            data={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "csrf_token": csrf},
            follow_redirects=False,
        )
        assert changed.status_code == 303 and changed.headers["location"] == "/login"
        for device in (web, other_device):  # signed out everywhere
            assert device.get("/", follow_redirects=False).status_code == 303
        assert web.get("/api/instruments", headers=_bearer(token)).status_code == 401
        _sign_in(web, "bopha", NEW_PASSWORD)


def test_a_deleted_subscriptions_id_is_never_given_again(
    module_tracker: Tracker, clients: Clients
) -> None:
    """Deliveries name a subscription by its id (channel ``subscription-N``): an id given
    again would send what was queued for a deleted subscription to a new owner's URL."""
    _add(module_tracker, "rithy", "viewer")
    with clients() as web:
        _sign_in(web, "rithy")

        def subscribe(path: str) -> int:
            csrf = _csrf_from(web.get("/account").text)
            made = web.post(
                "/account/subscriptions",
                data={"url": f"json://127.0.0.1:9/{path}", "positions": "", "csrf_token": csrf},
                follow_redirects=False,
            )
            assert made.status_code == 303, made.text
            listed = re.findall(r"/account/subscriptions/(\d+)/delete", web.get("/account").text)
            return max(int(n) for n in listed)

        first = subscribe("ប្រាក់សោធន")
        csrf = _csrf_from(web.get("/account").text)
        gone = web.post(
            f"/account/subscriptions/{first}/delete",
            data={"csrf_token": csrf},
            follow_redirects=False,
        )
        assert gone.status_code == 303
        assert f"/account/subscriptions/{first}/" not in web.get("/account").text
        assert subscribe("pension") > first
