"""Officers' triage of alerts: acknowledge, assign to a task team, and judge the alert
(relevant, not relevant, wrong position). Verdicts are kept as ``Feedback`` rows: the
labelled examples the matcher's evaluation reads. Every step is in the audit log.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from alerts.feedback import TriageError, record_triage
from tracker.models import Alert, AlertTriage, Change, Feedback, Flag
from web.audit import record
from web.errors import EditError

VERDICTS = ("relevant", "not_relevant", "wrong_position")
VERDICT_LABELS = {
    "relevant": "relevant",
    "not_relevant": "not relevant",
    "wrong_position": "wrong position",
}
MAX_TEAM = 120
MAX_NOTE = 2_000
_POSITION_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _triage(session: Session, alert: Alert) -> AlertTriage:
    assert alert.id is not None
    found = session.get(AlertTriage, alert.id)
    return found if found is not None else AlertTriage(alert_id=alert.id)


def acknowledge(session: Session, alert: Alert, user_name: str) -> AlertTriage:
    triage = _triage(session, alert)
    if triage.acknowledged_at is None:
        triage.acknowledged_at = datetime.now(UTC)
        triage.acknowledged_by = user_name
        triage.updated_at = triage.acknowledged_at
        session.add(triage)
        record(session, user_name, "alert", triage.alert_id, "acknowledge", {}, {"by": user_name})
    return triage


def assign(session: Session, alert: Alert, task_team: str, user_name: str) -> AlertTriage:
    team = re.sub(r"\s+", " ", task_team).strip()
    if len(team) > MAX_TEAM:
        raise EditError("task_team", f"at most {MAX_TEAM} characters", f"{len(team)} characters")
    triage = _triage(session, alert)
    if team != triage.task_team:
        before = {"task_team": triage.task_team}
        triage.task_team = team
        triage.updated_at = datetime.now(UTC)
        session.add(triage)
        record(session, user_name, "alert", triage.alert_id, "assign", before, {"task_team": team})
    return triage


def _position(field: str, value: str) -> str:
    value = value.strip()
    if value and not _POSITION_RE.fullmatch(value):
        raise EditError(field, "a position id such as maternity", repr(value[:60]))
    return value


def give_feedback(
    session: Session,
    alert: Alert,
    verdict: str,
    user_name: str,
    position: str = "",
    correct_position: str = "",
    note: str = "",
) -> Feedback:
    """Record an officer's verdict on ``alert`` (on one of its positions if ``position``)."""
    assert alert.id is not None
    verdict = verdict.strip().replace(" ", "_").casefold()
    if verdict not in VERDICTS:
        raise EditError("verdict", "one of " + ", ".join(VERDICTS), repr(verdict[:40]))
    position = _position("position", position)
    if position and position not in alert.positions:
        raise EditError(
            "position", "one of the alert's positions " + ", ".join(alert.positions), position
        )
    correct = _position("correct_position", correct_position) if verdict == "wrong_position" else ""
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise EditError("note", f"at most {MAX_NOTE} characters", f"{len(note)} characters")
    feedback = Feedback(
        alert_id=alert.id,
        position=position,
        verdict=verdict,
        correct_position=correct,
        note=note,
        user_name=user_name,
    )
    session.add(feedback)
    _label_flags(session, alert, verdict, user_name, position, correct, note)
    record(
        session,
        user_name,
        "alert",
        alert.id,
        "feedback",
        {},
        {"verdict": verdict, "position": position, "correct_position": correct},
    )
    return feedback


def _label_flags(
    session: Session,
    alert: Alert,
    verdict: str,
    user_name: str,
    position: str,
    correct: str,
    note: str,
) -> None:
    """The verdict also labels each flag behind the alert (its changes' flags of that
    position, or of all its positions), where ``sptrack eval export-feedback`` reads it."""
    positions = [position] if position else list(alert.positions)
    changes = session.exec(select(Change).where(Change.new_version_id == alert.version_id))
    for change in changes:
        assert change.id is not None
        flagged = set(session.exec(select(Flag.position).where(Flag.change_id == change.id)))
        for flagged_position in flagged.intersection(positions):
            corrections = [correct] if correct and correct != flagged_position else []
            try:
                record_triage(
                    session,
                    change.id,
                    flagged_position,
                    verdict,
                    user=user_name,
                    correct_positions=corrections,
                    note=note,
                )
            except TriageError as exc:  # e.g. a correction to a position no longer known
                raise EditError("correct_position", "a known position id", str(exc)) from exc


def triage_by_alert(session: Session, alert_ids: Iterable[int]) -> dict[int, AlertTriage]:
    ids = list(alert_ids)
    if not ids:
        return {}
    statement = select(AlertTriage).where(col(AlertTriage.alert_id).in_(ids))
    return {t.alert_id: t for t in session.exec(statement)}


def feedback_by_alert(session: Session, alert_ids: Iterable[int]) -> dict[int, list[Feedback]]:
    ids = list(alert_ids)
    found: dict[int, list[Feedback]] = {}
    if not ids:
        return found
    statement = select(Feedback).where(col(Feedback.alert_id).in_(ids)).order_by(col(Feedback.id))
    for feedback in session.exec(statement):
        found.setdefault(feedback.alert_id, []).append(feedback)
    return found


def all_feedback(session: Session, limit: int, offset: int = 0) -> list[Feedback]:
    statement = select(Feedback).order_by(col(Feedback.id)).limit(limit).offset(offset)
    return list(session.exec(statement))
