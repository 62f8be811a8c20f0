"""Migration 0012_subscription_language: a subscription's messages take its user's
interface language (Khmer where the user chose Khmer, else English), and back."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlmodel import select

from tracker.database import downgrade, migrate, open_engine, session
from tracker.models import Subscription

BEFORE = "0011_verdict_one_table"
ROWS = [
    'INSERT INTO "user" (id, name, role, password_hash, created_at, disabled, language) VALUES'
    " (1, 'dara', 'officer', 'x', '2026-01-01', false, 'km'),"
    " (2, 'sophea', 'officer', 'x', '2026-01-01', false, 'en'),"
    " (3, 'kanha', 'viewer', 'x', '2026-01-01', false, '')",
    # ids from the table's own sequence (ids written by hand leave PostgreSQL's behind)
    "INSERT INTO subscription (user_id, url, positions, min_severity, mode, created_at)"
    " VALUES (1, 'mailto://dara@example.org', '[\"maternity\"]', 'low', 'instant',"
    " '2026-01-02'), (2, 'tgram://bot/1', '[\"*\"]', 'high', 'daily', '2026-01-02'),"
    " (3, 'mailto://kanha@example.org', '[]', 'low', 'weekly', '2026-01-02'),"
    " (1, 'tgram://bot/2', '[\"vesting\"]', 'medium', 'instant', '2026-01-02')",
]


def _columns(engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("subscription")}


def test_subscriptions_take_their_users_language_and_back(database_url: str) -> None:
    """On SQLite and, when the suite runs there, on PostgreSQL."""
    engine = open_engine(database_url)
    try:
        _migrate_there_and_back(engine)
    finally:
        engine.dispose()


def _migrate_there_and_back(engine) -> None:
    migrate(engine, BEFORE)
    with engine.begin() as connection:
        for statement in ROWS:
            connection.execute(text(statement))
    migrate(engine)
    with session(engine) as s:
        rows = s.exec(select(Subscription).order_by(Subscription.id)).all()  # type: ignore[arg-type]
        assert [(r.id, r.user_id, r.language) for r in rows] == [
            (1, 1, "km"),  # dara chose the Khmer interface
            (2, 2, "en"),
            (3, 3, "en"),  # kanha chose nothing: English, as before
            (4, 1, "km"),
        ]
        assert [r.url for r in rows][:2] == ["mailto://dara@example.org", "tgram://bot/1"]
        s.add(Subscription(user_id=2, url="mailto://new@example.org", positions=["*"]))
        s.commit()
    with engine.connect() as connection:  # a row written without it gets English
        connection.execute(
            text(
                "INSERT INTO subscription (user_id, url, positions, min_severity, mode,"
                " created_at) VALUES (3, 'json://x', '[]', 'low', 'instant', '2026-01-03')"
            )
        )
        connection.commit()
        languages = connection.execute(
            text("SELECT language FROM subscription ORDER BY id")
        ).scalars()
        assert list(languages) == ["km", "en", "en", "km", "en", "en"]

    downgrade(engine, BEFORE)
    assert "language" not in _columns(engine)
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT id, url, mode FROM subscription ORDER BY id")).all()
    assert [tuple(r) for r in kept][:4] == [
        (1, "mailto://dara@example.org", "instant"),
        (2, "tgram://bot/1", "daily"),
        (3, "mailto://kanha@example.org", "weekly"),
        (4, "tgram://bot/2", "instant"),
    ]
    migrate(engine)
    assert "language" in _columns(engine)
