"""Migration 0002_delivery_keys: deliveries stored before it get their idempotency keys."""

from __future__ import annotations

from sqlalchemy import inspect, text

from tracker.database import downgrade, migrate, open_engine

ROWS = [
    "INSERT INTO source (id, name, spider, baseline_done, consecutive_failures) "
    "VALUES ('s', 'S', 'listing', true, 0)",
    "INSERT INTO instrument (id, source_id, url, title, type, number, issuer, language, status,"
    " listing_date, signed_date, effective_date, first_seen_at, last_seen_at) VALUES "
    "(1, 's', 'u', 't', '', '', '', '', 'published', '', '', '', '2026-01-01', '2026-01-01')",
    "INSERT INTO version (id, instrument_id, url, fetched_at, sha256, size, content_type,"
    " language, method, quality, title, text, raw_text) VALUES "
    "(1, 1, 'u', '2026-01-01', 'h', 0, '', '', '', 0, '', '', '')",
    "INSERT INTO alert (id, instrument_id, version_id, created_at, severity, summary, url,"
    " needs_check) VALUES (1, 1, 1, '2026-01-01', 'high', 's', 'u', false)",
    "INSERT INTO delivery (alert_id, channel, status, attempts, due_at) VALUES "
    "(1, 'a', 'sent', 1, '2026-01-01'), (1, 'b', 'pending', 0, '2026-01-01')",
]


def test_old_deliveries_get_distinct_keys_and_the_migration_goes_back(database_url: str) -> None:
    """On SQLite and, when the suite runs there, on PostgreSQL."""
    engine = open_engine(database_url)
    migrate(engine, "0001")
    with engine.begin() as connection:
        for statement in ROWS:
            connection.execute(text(statement))
    migrate(engine)
    with engine.connect() as connection:
        keys = [row[0] for row in connection.execute(text("SELECT key FROM delivery"))]
    assert len(keys) == 2 and all(len(k) == 32 for k in keys) and keys[0] != keys[1]
    assert {"sourcenotice", "noticedelivery"} <= set(inspect(engine).get_table_names())
    downgrade(engine, "0001")
    columns = {c["name"] for c in inspect(engine).get_columns("delivery")}
    assert "key" not in columns and "claimed_by" not in columns
    assert "sourcenotice" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM delivery")).scalar() == 2
    engine.dispose()
