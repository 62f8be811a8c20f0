"""Users of the web tracker: roles, argon2 hashes, authentication."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy.engine import Engine
from sqlmodel import select

from tracker.database import session
from tracker.errors import TrackerError
from tracker.models import User
from tracker.users import ROLES, UserError, add_user, authenticate

PASSWORD = "correct horse battery"


def test_add_user_stores_an_argon2_hash_not_the_password(engine: Engine) -> None:
    with session(engine) as s:
        user = add_user(s, "officer1", "officer", PASSWORD)
        s.commit()
    with session(engine) as s:
        stored = s.exec(select(User).where(User.name == "officer1")).one()
    assert stored.id == user.id and stored.role == "officer"
    assert PASSWORD not in stored.password_hash
    assert stored.password_hash.startswith("$argon2id$")
    assert PasswordHasher().verify(stored.password_hash, PASSWORD)


def test_khmer_name_and_password(engine: Engine) -> None:
    with session(engine) as s:
        add_user(s, "សុខា", "secretariat", "ពាក្យសម្ងាត់ខ្ញុំ")
        s.commit()
        user = authenticate(s, "សុខា", "ពាក្យសម្ងាត់ខ្ញុំ")
        assert user is not None and user.role == "secretariat"
        assert authenticate(s, "សុខា", "ពាក្យសម្ងាត់") is None


def test_authenticate(engine: Engine) -> None:
    with session(engine) as s:
        add_user(s, "admin1", "admin", PASSWORD)
        s.commit()
        user = authenticate(s, "admin1", PASSWORD)
        assert user is not None and user.name == "admin1"
        assert authenticate(s, "admin1", PASSWORD + "!") is None
        assert authenticate(s, "admin1", "") is None


def test_unknown_name_never_authenticates(engine: Engine) -> None:
    with session(engine) as s:
        assert authenticate(s, "nobody", PASSWORD) is None
        assert authenticate(s, "", PASSWORD) is None


def test_duplicate_name_is_refused(engine: Engine) -> None:
    with session(engine) as s:
        add_user(s, "officer1", "officer", PASSWORD)
        s.commit()
        with pytest.raises(UserError) as caught:
            add_user(s, "officer1", "viewer", "another password")
    assert caught.value.field == "name"
    assert "officer1" in str(caught.value) and "exists" in str(caught.value)


def test_unknown_role_is_refused(engine: Engine) -> None:
    with session(engine) as s, pytest.raises(UserError) as caught:
        add_user(s, "boss", "superuser", PASSWORD)
    error = caught.value
    assert isinstance(error, TrackerError)
    assert error.field == "role" and error.got == "'superuser'"
    assert all(role in error.expected for role in ROLES)


@pytest.mark.parametrize("password", ["", "short", "7chars!"])
def test_short_password_is_refused_without_echoing_it(engine: Engine, password: str) -> None:
    with session(engine) as s, pytest.raises(UserError) as caught:
        add_user(s, "viewer1", "viewer", password)
    assert caught.value.field == "password"
    assert f"{len(password)} characters" in str(caught.value)
    assert not password or password not in str(caught.value)


@pytest.mark.parametrize("name", ["", " padded", "x" * 65])
def test_bad_name_is_refused(engine: Engine, name: str) -> None:
    with session(engine) as s, pytest.raises(UserError) as caught:
        add_user(s, name, "viewer", PASSWORD)
    assert caught.value.field == "name"


def test_weak_hash_is_upgraded_on_sign_in(engine: Engine) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    with session(engine) as s:
        s.add(User(name="old", role="viewer", password_hash=weak))
        s.commit()
        user = authenticate(s, "old", PASSWORD)
        assert user is not None
        s.commit()
    with session(engine) as s:
        upgraded = s.exec(select(User).where(User.name == "old")).one().password_hash
    assert upgraded != weak
    assert not PasswordHasher().check_needs_rehash(upgraded)


def test_unreadable_hash_never_authenticates(engine: Engine) -> None:
    with session(engine) as s:
        s.add(User(name="broken", role="viewer", password_hash="plaintext?"))
        s.commit()
        assert authenticate(s, "broken", "plaintext?") is None
