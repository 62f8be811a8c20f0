"""One verdict table: ``triage`` (a verdict per flag) and ``feedback`` (a verdict per alert)
become ``verdict``, one row per flag judged, carrying who, when, the verdict, the right
positions and the alert position judged; ``alerttriage`` (acknowledgement and assignment,
not a verdict) becomes ``alerthandling``.

Upgrade: each feedback row becomes one row per flag behind it (one row with no change when
no flag is), in feedback order; then each triage row that is not the same as the last row
of that flag and officer so made (a verdict given outside the web tracker) is added after
them, on no alert. Triage steps in the audit log name the verdict rows (``verdict_ids``)
instead of the feedback rows. Downgrade: the rows given together on an alert become one feedback row, the
latest row per flag and officer one triage row, and the audit log names feedback rows again.

Revision ID: 0011_verdict_one_table
Revises: 0010_i18n_user_language
Create Date: 2026-12-04
"""

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011_verdict_one_table"
down_revision = "0010_i18n_user_language"
branch_labels = None
depends_on = None

# Columns copied as the database returns them (no type: dates stay exactly as stored);
# JSON columns typed, so both dialects give lists and dicts.
_verdict = sa.table(
    "verdict",
    sa.column("id"),
    sa.column("alert_id"),
    sa.column("change_id"),
    sa.column("position"),
    sa.column("judged"),
    sa.column("verdict"),
    sa.column("correct_positions", sa.JSON()),
    sa.column("note"),
    sa.column("user_name"),
    sa.column("created_at"),
)
_triage = sa.table(
    "triage",
    sa.column("id"),
    sa.column("change_id"),
    sa.column("position"),
    sa.column("verdict"),
    sa.column("correct_positions", sa.JSON()),
    sa.column("user"),
    sa.column("note"),
    sa.column("created_at"),
)
_feedback = sa.table(
    "feedback",
    sa.column("id"),
    sa.column("alert_id"),
    sa.column("position"),
    sa.column("verdict"),
    sa.column("correct_position"),
    sa.column("note"),
    sa.column("user_name"),
    sa.column("created_at"),
)
_alert = sa.table("alert", sa.column("id"), sa.column("version_id"), sa.column("positions", sa.JSON()))
_change = sa.table("change", sa.column("id"), sa.column("new_version_id"))
_flag = sa.table("flag", sa.column("change_id"), sa.column("position"))
_audit = sa.table(
    "auditentry",
    sa.column("id"),
    sa.column("entity"),
    sa.column("action"),
    sa.column("after", sa.JSON()),
)


def _create_verdict() -> None:
    op.create_table(
        "verdict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.Column("position", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("judged", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("verdict", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("correct_positions", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("user_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alert.id"]),
        sa.ForeignKeyConstraint(["change_id"], ["change.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("alert_id", "change_id", "position"):
        op.create_index(f"ix_verdict_{column}", "verdict", [column], unique=False)


def _create_old_tables() -> None:
    op.create_table(
        "triage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("position", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("verdict", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("correct_positions", sa.JSON(), nullable=True),
        sa.Column("user", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["change_id"], ["change.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_triage_change_id", "triage", ["change_id"], unique=False)
    op.create_index("ix_triage_position", "triage", ["position"], unique=False)
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("position", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("verdict", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("correct_position", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("user_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alert.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_feedback_alert_id", "feedback", ["alert_id"], unique=False)


def _drop(table: str, indexes: Iterable[str]) -> None:
    for index in indexes:
        op.drop_index(index, table_name=table)
    op.drop_table(table)


def _insert(connection: sa.Connection, table: sa.TableClause, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(table.insert(), rows)
        if connection.dialect.name == "postgresql":  # ids were given: move the sequence on
            name = table.name
            connection.execute(
                sa.text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) FROM {name}")
            )


def _flags_by_version(connection: sa.Connection) -> dict[Any, list[tuple[int, set[str]]]]:
    """Each version's changes (in id order) with the positions they were flagged for."""
    flagged: dict[int, set[str]] = {}
    for change_id, position in connection.execute(sa.select(_flag.c.change_id, _flag.c.position)):
        flagged.setdefault(change_id, set()).add(position)
    found: dict[Any, list[tuple[int, set[str]]]] = {}
    statement = sa.select(_change.c.id, _change.c.new_version_id).order_by(_change.c.id)
    for change_id, version_id in connection.execute(statement):
        found.setdefault(version_id, []).append((change_id, flagged.get(change_id, set())))
    return found


def _steps(connection: sa.Connection) -> list[Any]:
    statement = sa.select(_audit.c.id, _audit.c.after).where(
        _audit.c.entity == "alert", _audit.c.action == "triage"
    )
    return list(connection.execute(statement))


def _rename_ids(connection: sa.Connection, old: str, new: str, ids: dict[int, list[int]]) -> None:
    for step_id, after in _steps(connection):
        if not isinstance(after, dict) or old not in after:
            continue
        renamed = [n for i in after[old] for n in ids.get(int(i), [])]
        fixed = {(new if k == old else k): v for k, v in after.items()}
        fixed[new] = list(dict.fromkeys(renamed))
        connection.execute(_audit.update().where(_audit.c.id == step_id).values(after=fixed))


def upgrade() -> None:
    connection = op.get_bind()
    _create_verdict()
    by_version = _flags_by_version(connection)
    alerts = {a.id: a for a in connection.execute(sa.select(_alert))}
    rows: list[dict[str, Any]] = []
    made: dict[int, list[int]] = {}  # feedback id -> verdict ids
    last: dict[tuple[Any, str, str], dict[str, Any]] = {}  # flag and officer -> latest row
    for f in connection.execute(sa.select(_feedback).order_by(_feedback.c.id)):
        alert = alerts.get(f.alert_id)
        judged = [f.position] if f.position else list((alert.positions if alert else None) or [])
        common = {
            "alert_id": f.alert_id,
            "judged": f.position,
            "verdict": f.verdict,
            "note": f.note or "",
            "user_name": f.user_name,
            "created_at": f.created_at,
        }
        mine: list[dict[str, Any]] = []
        for change_id, positions in by_version.get(alert.version_id if alert else None, []):
            for position in sorted(positions.intersection(judged)):
                correct = f.correct_position
                named = [correct] if correct and correct != position else []
                mine.append(
                    {**common, "change_id": change_id, "position": position, "correct_positions": named}
                )
        if not mine:
            named = [f.correct_position] if f.correct_position else []
            mine.append({**common, "change_id": None, "position": f.position, "correct_positions": named})
        for row in mine:
            row["id"] = len(rows) + 1
            rows.append(row)
            last[(row["change_id"], row["position"], row["user_name"])] = row
        made[f.id] = [row["id"] for row in mine]
    for t in connection.execute(sa.select(_triage).order_by(_triage.c.id)):
        correct = sorted(t.correct_positions or [])
        was = last.get((t.change_id, t.position, t.user))
        if was is not None and (was["verdict"], sorted(was["correct_positions"]), was["note"]) == (
            t.verdict,
            correct,
            t.note or "",
        ):
            continue  # the web tracker's label of a feedback row already carried over
        rows.append(
            {
                "id": len(rows) + 1,
                "alert_id": None,
                "change_id": t.change_id,
                "position": t.position,
                "judged": t.position,
                "verdict": t.verdict,
                "correct_positions": correct,
                "note": t.note or "",
                "user_name": t.user,
                "created_at": t.created_at,
            }
        )
    _insert(connection, _verdict, rows)
    _rename_ids(connection, "feedback_ids", "verdict_ids", made)
    _drop("triage", ["ix_triage_position", "ix_triage_change_id"])
    _drop("feedback", ["ix_feedback_alert_id"])
    op.rename_table("alerttriage", "alerthandling")


def downgrade() -> None:
    connection = op.get_bind()
    op.rename_table("alerthandling", "alerttriage")
    _create_old_tables()
    feedback: list[dict[str, Any]] = []
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    of_row: dict[int, list[int]] = {}  # verdict id -> feedback id
    latest: dict[tuple[Any, str, str], Any] = {}
    for v in connection.execute(sa.select(_verdict).order_by(_verdict.c.id)):
        if v.change_id is not None:
            latest[(v.change_id, v.position, v.user_name)] = v
        if v.alert_id is None:
            continue
        key = (v.alert_id, v.judged, v.user_name, v.created_at)
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "id": len(feedback) + 1,
                "alert_id": v.alert_id,
                "position": v.judged,
                "verdict": v.verdict,
                "correct_position": "",
                "note": v.note or "",
                "user_name": v.user_name,
                "created_at": v.created_at,
            }
            feedback.append(group)
        if not group["correct_position"] and v.correct_positions:
            group["correct_position"] = v.correct_positions[0]
        of_row[v.id] = [group["id"]]
    triage = [
        {
            "id": i,
            "change_id": v.change_id,
            "position": v.position,
            "verdict": v.verdict,
            "correct_positions": list(v.correct_positions or []),
            "user": v.user_name,
            "note": v.note or "",
            "created_at": v.created_at,
        }
        for i, v in enumerate(sorted(latest.values(), key=lambda v: v.id), 1)
    ]
    _insert(connection, _feedback, feedback)
    _insert(connection, _triage, triage)
    _rename_ids(connection, "verdict_ids", "feedback_ids", of_row)
    _drop("verdict", ["ix_verdict_position", "ix_verdict_change_id", "ix_verdict_alert_id"])
