"""Migration 0011_verdict_one_table: the verdicts of ``triage`` (per flag) and ``feedback``
(per alert) carried over into ``verdict``, and back again by the downgrade."""

from __future__ import annotations

import io
import json

from sqlalchemy import Connection, inspect, text
from sqlmodel import select

from alerts.match.verdicts import export_feedback, given_by_alert
from tracker.database import downgrade, migrate, open_engine, session
from tracker.models import AlertHandling, Verdict

BEFORE = "0010_i18n_user_language"
NOTE = "ប្រយោគធម្មតា <b>ok</b>"
ROWS = [
    "INSERT INTO source (id, name, spider, baseline_done, consecutive_failures) "
    "VALUES ('s', 'S', 'listing', true, 0)",
    "INSERT INTO instrument (id, source_id, url, title, type, number, issuer, language, status,"
    " listing_date, signed_date, effective_date, first_seen_at, last_seen_at) VALUES "
    "(1, 's', 'u', 't', '', '', '', '', 'published', '', '', '', '2026-01-01', '2026-01-01')",
    "INSERT INTO version (id, instrument_id, url, fetched_at, sha256, size, content_type,"
    " language, method, quality, title, text, raw_text) VALUES "
    "(1, 1, 'u', '2026-01-01', 'h1', 0, '', '', '', 0, '', '', ''),"
    " (2, 1, 'u', '2026-01-02', 'h2', 0, '', '', '', 0, 'អនុក្រឹត្យ', '', '')",
    "INSERT INTO change (id, instrument_id, old_version_id, new_version_id, kind, heading,"
    " old_text, new_text, numbers, ops, needs_check) VALUES"
    " (1, 1, 1, 2, 'modified', 'មាត្រា ៤', 'ការឈប់ ៩០ថ្ងៃ។', 'ការឈប់ ៩៨ថ្ងៃ។', '[]', '[]', false),"
    " (2, 1, 1, 2, 'modified', 'Article 5', 'Leave is 90 days.', 'Leave is 98 days.', '[]',"
    " '[]', false)",
    "INSERT INTO flag (change_id, position, score, severity, evidence) VALUES"
    " (1, 'maternity', 0.9, 'high', '[]'), (1, 'budget', 0.2, 'low', '[]'),"
    " (2, 'maternity', 0.8, 'high', '[]')",
    "INSERT INTO alert (id, instrument_id, version_id, created_at, positions, severity,"
    " summary, url, needs_check) VALUES"
    " (1, 1, 2, '2026-01-02', '[\"maternity\", \"budget\"]', 'high', 's', 'u', false)",
    # dara: the whole alert is not relevant; sophea: maternity is the wrong position
    "INSERT INTO feedback (id, alert_id, position, verdict, correct_position, note, user_name,"
    " created_at) VALUES"
    f" (1, 1, '', 'not_relevant', '', '{NOTE}', 'dara', '2026-01-03 09:00:00'),"
    " (2, 1, 'maternity', 'wrong_position', 'social_pension', '', 'sophea',"
    " '2026-01-03 10:00:00')",
    # ... the labels the web tracker gave the flags with them, and kanha's own verdict
    'INSERT INTO triage (id, change_id, position, verdict, correct_positions, "user", note,'
    " created_at) VALUES"
    f" (1, 1, 'maternity', 'not_relevant', '[]', 'dara', '{NOTE}', '2026-01-03 09:00:00'),"
    f" (2, 1, 'budget', 'not_relevant', '[]', 'dara', '{NOTE}', '2026-01-03 09:00:00'),"
    f" (3, 2, 'maternity', 'not_relevant', '[]', 'dara', '{NOTE}', '2026-01-03 09:00:00'),"
    " (4, 1, 'maternity', 'wrong_position', '[\"social_pension\"]', 'sophea', '',"
    " '2026-01-03 10:00:00'),"
    " (5, 2, 'maternity', 'wrong_position', '[\"social_pension\"]', 'sophea', '',"
    " '2026-01-03 10:00:00'),"
    " (6, 1, 'budget', 'relevant', '[]', 'kanha', '', '2026-01-04 08:00:00')",
    "INSERT INTO alerttriage (alert_id, acknowledged_by, task_team, assignee, updated_at)"
    " VALUES (1, 'dara', 'ក្រុមសោធន', 'sophea', '2026-01-03')",
    "INSERT INTO auditentry (id, at, user_name, entity, entity_id, action, before, after)"
    " VALUES (1, '2026-01-03', 'sophea', 'alert', '1', 'triage', '{}',"
    ' \'{"feedback_ids": [2], "verdicts": {"maternity": "wrong_position"}}\')',
]
FEEDBACK = [
    (1, 1, "", "not_relevant", "", NOTE, "dara"),
    (2, 1, "maternity", "wrong_position", "social_pension", "", "sophea"),
]
TRIAGE = [
    (1, 1, "maternity", "not_relevant", [], "dara", NOTE),
    (2, 1, "budget", "not_relevant", [], "dara", NOTE),
    (3, 2, "maternity", "not_relevant", [], "dara", NOTE),
    (4, 1, "maternity", "wrong_position", ["social_pension"], "sophea", ""),
    (5, 2, "maternity", "wrong_position", ["social_pension"], "sophea", ""),
    (6, 1, "budget", "relevant", [], "kanha", ""),
]


Rows = list[tuple[object, ...]]


def _old_tables(connection: Connection) -> tuple[Rows, Rows, object]:
    feedback = connection.execute(
        text(
            "SELECT id, alert_id, position, verdict, correct_position, note, user_name"
            " FROM feedback ORDER BY id"
        )
    )
    triage = connection.execute(
        text(
            'SELECT id, change_id, position, verdict, correct_positions, "user", note'
            " FROM triage ORDER BY id"
        )
    )
    after = connection.execute(text("SELECT after FROM auditentry WHERE id = 1")).scalar()
    decoded = [(*row[:4], _json(row[4]), *row[5:]) for row in triage]
    return [tuple(r) for r in feedback], decoded, after


def _json(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value


def test_verdicts_carried_over_to_one_table_and_back(database_url: str) -> None:
    """On SQLite and, when the suite runs there, on PostgreSQL."""
    engine = open_engine(database_url)
    migrate(engine, BEFORE)
    with engine.begin() as connection:
        for statement in ROWS:
            connection.execute(text(statement))
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"verdict", "alerthandling"} <= tables
    assert not {"triage", "feedback", "alerttriage"} & tables
    with session(engine) as s:
        rows = s.exec(select(Verdict).order_by(Verdict.id)).all()  # type: ignore[arg-type]
        got = [
            (
                r.id,
                r.alert_id,
                r.change_id,
                r.position,
                r.judged,
                r.verdict,
                r.correct_positions,
                r.user_name,
                r.note,
            )
            for r in rows
        ]
        assert got == [
            (1, 1, 1, "budget", "", "not_relevant", [], "dara", NOTE),
            (2, 1, 1, "maternity", "", "not_relevant", [], "dara", NOTE),
            (3, 1, 2, "maternity", "", "not_relevant", [], "dara", NOTE),
            (4, 1, 1, "maternity", "maternity", "wrong_position", ["social_pension"], "sophea", ""),
            (5, 1, 2, "maternity", "maternity", "wrong_position", ["social_pension"], "sophea", ""),
            (6, None, 1, "budget", "budget", "relevant", [], "kanha", ""),
        ]
        # the alert's page lists the two verdicts given on it, as before
        given = given_by_alert(s, [1])[1]
        assert [(g.position, g.verdict, g.correct_position, g.user_name) for g in given] == [
            ("", "not_relevant", "", "dara"),
            ("maternity", "wrong_position", "social_pension", "sophea"),
        ]
        assert [g.ids for g in given] == [(1, 2, 3), (4, 5)]
        handling = s.get(AlertHandling, 1)
        assert handling is not None
        assert (handling.acknowledged_by, handling.task_team, handling.assignee) == (
            "dara",
            "ក្រុមសោធន",
            "sophea",
        )
        # the export reads the latest verdict per flag, as it read triage
        out = io.StringIO()
        report = export_feedback(s, out)
        assert (report.exported, report.incomplete) == (2, 0)
        cases = {c["id"]: c for c in map(json.loads, out.getvalue().splitlines())}
        assert cases["feedback-1"]["positions"] == ["budget", "social_pension"]
        assert cases["feedback-1"]["lang"] == "km"
        assert cases["feedback-2"]["positions"] == ["social_pension"]
    with engine.connect() as connection:
        after = _json(connection.execute(text("SELECT after FROM auditentry")).scalar())
    assert after == {"verdict_ids": [4, 5], "verdicts": {"maternity": "wrong_position"}}

    downgrade(engine, BEFORE)
    tables = set(inspect(engine).get_table_names())
    assert {"triage", "feedback", "alerttriage"} <= tables
    assert not {"verdict", "alerthandling"} & tables
    with engine.connect() as connection:
        feedback, triage, after = _old_tables(connection)
        handling = connection.execute(
            text("SELECT acknowledged_by, task_team, assignee FROM alerttriage")
        ).all()
    assert feedback == FEEDBACK
    # one triage row per flag and officer, their latest verdict (ids in another order)
    assert sorted(map(repr, (t[1:] for t in triage))) == sorted(map(repr, (t[1:] for t in TRIAGE)))
    assert _json(after) == {"feedback_ids": [2], "verdicts": {"maternity": "wrong_position"}}
    assert [tuple(h) for h in handling] == [("dara", "ក្រុមសោធន", "sophea")]
    # new rows after a round trip get new ids (PostgreSQL's sequences were moved on)
    migrate(engine)
    with session(engine) as s:
        s.add(Verdict(alert_id=1, position="budget", verdict="relevant", user_name="dara"))
        s.commit()
        assert len(s.exec(select(Verdict)).all()) == 7
    engine.dispose()
