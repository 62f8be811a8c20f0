"""Officers' triage of alerts: acknowledge, assign to a task team, and judge the alert
(relevant, not relevant, wrong position). Verdicts are kept as ``Feedback`` rows: the
labelled examples the matcher's evaluation reads. Every step is in the audit log.

:func:`triage_step` does all of it in one step (one form, one request: a verdict per
flagged position, the task team, the officer assigned, acknowledged) and records what it
changed in one ``triage`` audit entry, so that :func:`undo_step` can put it back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from alerts.match.feedback import TriageError, record_triage
from tracker.models import Alert, AlertTriage, AuditEntry, Change, Feedback, Flag, Triage
from web.audit import record
from web.errors import EditError
from web.translations import N_

VERDICTS = ("relevant", "not_relevant", "wrong_position")
# The verdicts in words, marked for the catalogues: a page translates them where it shows
# them (``_(verdict_labels[v])``, or ``m.label`` of macros.html, which knows them).
VERDICT_LABELS = {
    "relevant": N_("relevant"),
    "not_relevant": N_("not relevant"),
    "wrong_position": N_("wrong position"),
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


# --- one step, and its undo ------------------------------------------------------------------

STEP, UNDO = "triage", "undo triage"
_STATE = ("acknowledged_by", "acknowledged_at", "task_team", "assignee")


@dataclass(frozen=True)
class Verdict:
    """An officer's verdict on one flagged position of an alert (``correct``: the right
    position, for ``wrong_position``)."""

    position: str
    verdict: str
    correct: str = ""


def _state(triage: AlertTriage) -> dict[str, Any]:
    return {
        "acknowledged_by": triage.acknowledged_by,
        "acknowledged_at": triage.acknowledged_at.isoformat() if triage.acknowledged_at else None,
        "task_team": triage.task_team,
        "assignee": triage.assignee,
    }


def _label_rows(session: Session, alert: Alert, user_name: str) -> dict[int, dict[str, Any]]:
    """The labels this user has given the flags behind ``alert``: id -> what they say."""
    changes = session.exec(select(Change.id).where(Change.new_version_id == alert.version_id))
    ids = [c for c in changes if c is not None]
    if not ids:
        return {}
    rows = session.exec(
        select(Triage).where(col(Triage.change_id).in_(ids), Triage.user == user_name)
    )
    return {
        t.id: {"verdict": t.verdict, "correct_positions": list(t.correct_positions), "note": t.note}
        for t in rows
        if t.id is not None
    }


def triage_step(
    session: Session,
    alert: Alert,
    user_name: str,
    *,
    verdicts: Iterable[Verdict] = (),
    task_team: str | None = None,
    assignee: str | None = None,
    known_users: Iterable[str] = (),
    acknowledged: bool = True,
    note: str = "",
) -> AuditEntry:
    """Verdicts, task team, assignee and acknowledgement of ``alert`` in one step; returns
    the step's audit entry (its id undoes it). ``assignee`` must be one of ``known_users``
    (or empty). The caller commits."""
    assert alert.id is not None
    triage = _triage(session, alert)
    session.add(triage)
    session.flush()  # one row, which assign and acknowledge then find
    before = _state(triage)
    labels_before = _label_rows(session, alert, user_name)
    feedback_ids: list[int] = []
    saved = latest_verdicts(feedback_by_alert(session, [alert.id]).get(alert.id, []))
    given = []
    for v in verdicts:
        was = saved.get(v.position)
        correct = v.correct if v.verdict == "wrong_position" else ""
        if was is not None and (was.verdict, was.correct_position) == (v.verdict, correct):
            continue  # the menu shows the saved verdict: saving again repeats nothing
        given.append(v)
        feedback = give_feedback(session, alert, v.verdict, user_name, v.position, v.correct, note)
        session.flush()
        assert feedback.id is not None
        feedback_ids.append(feedback.id)
    if task_team is not None:
        assign(session, alert, task_team, user_name)
    if assignee is not None:
        name = assignee.strip()
        if name and name not in set(known_users):
            raise EditError("assignee", "an officer of this tracker", repr(name[:60]))
        triage.assignee = name
        triage.updated_at = datetime.now(UTC)
        session.add(triage)
    if acknowledged:
        acknowledge(session, alert, user_name)
    session.flush()
    labels_after = _label_rows(session, alert, user_name)
    after = {
        **_state(triage),
        "feedback_ids": feedback_ids,
        "verdicts": {v.position or "*": v.verdict for v in given},
    }
    changed = [i for i in labels_after if labels_before.get(i) != labels_after[i]]
    before_labels = {str(i): labels_before.get(i) for i in changed}
    return record(
        session,
        user_name,
        "alert",
        alert.id,
        STEP,
        {**before, "labels": before_labels},
        after,
    )


def last_step(session: Session, alert_id: int) -> AuditEntry | None:
    """The alert's latest triage step not undone yet (undoing again goes one step further
    back)."""
    entries = session.exec(
        select(AuditEntry)
        .where(
            AuditEntry.entity == "alert",
            AuditEntry.entity_id == str(alert_id),
            col(AuditEntry.action).in_((STEP, UNDO)),
        )
        .order_by(col(AuditEntry.id).desc())
    )
    undone: set[int] = set()
    for entry in entries:
        if entry.action == UNDO:
            undone.add(int(entry.after.get("step", 0)))
        elif entry.id not in undone:
            return entry
    return None


def undo_step(session: Session, alert: Alert, step_id: int, user_name: str) -> AuditEntry:
    """Put back what triage step ``step_id`` changed: the acknowledgement, team and assignee
    as they were, its verdicts removed, the flags' labels as they were. Only the alert's
    latest step can be undone, and only by the officer who took it."""
    assert alert.id is not None
    step = last_step(session, alert.id)
    if step is None or step.id != step_id:
        raise EditError("step", "the latest triage step of this alert", str(step_id))
    if step.user_name != user_name:
        raise EditError("step", f"a step of {user_name}", f"a step of {step.user_name}")
    triage = _triage(session, alert)
    before: Mapping[str, Any] = step.before
    triage.acknowledged_by = str(before.get("acknowledged_by") or "")
    at = before.get("acknowledged_at")
    triage.acknowledged_at = datetime.fromisoformat(at) if isinstance(at, str) else None
    triage.task_team = str(before.get("task_team") or "")
    triage.assignee = str(before.get("assignee") or "")
    triage.updated_at = datetime.now(UTC)
    session.add(triage)
    for feedback_id in step.after.get("feedback_ids", []):
        feedback = session.get(Feedback, int(feedback_id))
        if feedback is not None:
            session.delete(feedback)
    for label_id, was in (before.get("labels") or {}).items():
        label = session.get(Triage, int(label_id))
        if label is None:
            continue
        if was is None:
            session.delete(label)
        else:
            label.verdict = str(was["verdict"])
            label.correct_positions = list(was["correct_positions"])
            label.note = str(was["note"])
            session.add(label)
    return record(session, user_name, "alert", alert.id, UNDO, step.after, {"step": step.id})


def latest_verdicts(feedback: Iterable[Feedback]) -> dict[str, Feedback]:
    """The latest verdict per position of an alert ("" for the whole alert)."""
    latest: dict[str, Feedback] = {}
    for f in sorted(feedback, key=lambda f: f.id or 0):
        latest[f.position] = f
    return latest
