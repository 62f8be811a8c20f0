"""Officers' triage of alerts: acknowledge, assign to a task team (``AlertHandling``), and
judge the alert (relevant, not relevant, wrong position). Verdicts are ``Verdict`` rows, one
per flag behind the alert (``alerts.match.verdicts``): the labelled examples the matcher's
evaluation reads. Every step is in the audit log.

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

from alerts.match.verdicts import (
    VERDICTS as VERDICTS,
)
from alerts.match.verdicts import (
    Given,
    TriageError,
    given_by_alert,
    group_given,
    record_verdict,
)
from tracker.kinds import VerdictWord
from tracker.models import Alert, AlertHandling, AuditEntry, Change, Flag
from tracker.models import Verdict as VerdictRow
from web.audit import record
from web.errors import EditError
from web.translations import N_

# The verdicts in words, marked for the catalogues: a page translates them where it shows
# them (``_(verdict_labels[v])``, or ``m.label`` of macros.html, which knows them).
VERDICT_LABELS = {
    VerdictWord.RELEVANT: N_("relevant"),
    VerdictWord.NOT_RELEVANT: N_("not relevant"),
    VerdictWord.WRONG_POSITION: N_("wrong position"),
}
MAX_TEAM = 120
MAX_NOTE = 2_000
_POSITION_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _handling(session: Session, alert: Alert) -> AlertHandling:
    assert alert.id is not None
    found = session.get(AlertHandling, alert.id)
    return found if found is not None else AlertHandling(alert_id=alert.id)


def acknowledge(session: Session, alert: Alert, user_name: str) -> AlertHandling:
    triage = _handling(session, alert)
    if triage.acknowledged_at is None:
        triage.acknowledged_at = datetime.now(UTC)
        triage.acknowledged_by = user_name
        triage.updated_at = triage.acknowledged_at
        session.add(triage)
        record(session, user_name, "alert", triage.alert_id, "acknowledge", {}, {"by": user_name})
    return triage


def assign(session: Session, alert: Alert, task_team: str, user_name: str) -> AlertHandling:
    team = re.sub(r"\s+", " ", task_team).strip()
    if len(team) > MAX_TEAM:
        raise EditError("task_team", f"at most {MAX_TEAM} characters", f"{len(team)} characters")
    triage = _handling(session, alert)
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
) -> Given:
    """Record an officer's verdict on ``alert`` (on one of its positions if ``position``):
    one ``Verdict`` row per flag behind it (its changes' flags of that position, or of all
    its positions), or one for the alert when no flag is behind it."""
    assert alert.id is not None
    verdict = verdict.strip().replace(" ", "_").casefold()
    if verdict not in VERDICTS:
        raise EditError("verdict", "one of " + ", ".join(VERDICTS), repr(verdict[:40]))
    position = _position("position", position)
    if position and position not in alert.positions:
        raise EditError(
            "position", "one of the alert's positions " + ", ".join(alert.positions), position
        )
    correct = ""
    if verdict == VerdictWord.WRONG_POSITION:
        correct = _position("correct_position", correct_position)
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise EditError("note", f"at most {MAX_NOTE} characters", f"{len(note)} characters")
    at = datetime.now(UTC)
    rows = _judge_flags(session, alert, verdict, user_name, position, correct, note, at)
    if not rows:
        row = VerdictRow(
            alert_id=alert.id,
            position=position,
            judged=position,
            verdict=VerdictWord(verdict),
            correct_positions=[correct] if correct else [],
            note=note,
            user_name=user_name,
            created_at=at,
        )
        session.add(row)
        session.flush()
        rows = [row]
    record(
        session,
        user_name,
        "alert",
        alert.id,
        "feedback",
        {},
        {"verdict": verdict, "position": position, "correct_position": correct},
    )
    [given] = group_given(rows)
    return given


def _judge_flags(
    session: Session,
    alert: Alert,
    verdict: str,
    user_name: str,
    position: str,
    correct: str,
    note: str,
    at: datetime,
) -> list[VerdictRow]:
    """A verdict row for each flag behind the alert of ``position`` (or of all its
    positions), where ``sptrack eval export-feedback`` reads them."""
    assert alert.id is not None
    positions = [position] if position else list(alert.positions)
    changes = session.exec(
        select(Change).where(Change.new_version_id == alert.version_id).order_by(col(Change.id))
    )
    rows = []
    for change in changes:
        assert change.id is not None
        flagged = set(session.exec(select(Flag.position).where(Flag.change_id == change.id)))
        for flagged_position in sorted(flagged.intersection(positions)):
            corrections = [correct] if correct and correct != flagged_position else []
            try:
                row = record_verdict(
                    session,
                    change.id,
                    flagged_position,
                    verdict,
                    user=user_name,
                    correct_positions=corrections,
                    note=note,
                    alert_id=alert.id,
                    judged=position,
                    at=at,
                )
            except TriageError as exc:  # e.g. a correction to a position no longer known
                raise EditError("correct_position", "a known position id", str(exc)) from exc
            rows.append(row)
    return rows


def handling_by_alert(session: Session, alert_ids: Iterable[int]) -> dict[int, AlertHandling]:
    ids = list(alert_ids)
    if not ids:
        return {}
    statement = select(AlertHandling).where(col(AlertHandling.alert_id).in_(ids))
    return {t.alert_id: t for t in session.exec(statement)}


# --- one step, and its undo ------------------------------------------------------------------

STEP, UNDO = "triage", "undo triage"
_STATE = ("acknowledged_by", "acknowledged_at", "task_team", "assignee")


@dataclass(frozen=True)
class VerdictChoice:
    """An officer's verdict on one flagged position of an alert (``correct``: the right
    position, for ``wrong_position``)."""

    position: str
    verdict: str
    correct: str = ""


def _state(triage: AlertHandling) -> dict[str, Any]:
    return {
        "acknowledged_by": triage.acknowledged_by,
        "acknowledged_at": triage.acknowledged_at.isoformat() if triage.acknowledged_at else None,
        "task_team": triage.task_team,
        "assignee": triage.assignee,
    }


def triage_step(
    session: Session,
    alert: Alert,
    user_name: str,
    *,
    verdicts: Iterable[VerdictChoice] = (),
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
    triage = _handling(session, alert)
    session.add(triage)
    session.flush()  # one row, which assign and acknowledge then find
    before = _state(triage)
    verdict_ids: list[int] = []
    saved = latest_verdicts(given_by_alert(session, [alert.id]).get(alert.id, []))
    given = []
    for v in verdicts:
        was = saved.get(v.position)
        correct = v.correct if v.verdict == VerdictWord.WRONG_POSITION else ""
        if was is not None and (was.verdict, was.correct_position) == (v.verdict, correct):
            continue  # the menu shows the saved verdict: saving again repeats nothing
        given.append(v)
        given_now = give_feedback(session, alert, v.verdict, user_name, v.position, v.correct, note)
        verdict_ids.extend(given_now.ids)
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
    after = {
        **_state(triage),
        "verdict_ids": verdict_ids,
        "verdicts": {v.position or "*": v.verdict for v in given},
    }
    return record(session, user_name, "alert", alert.id, STEP, before, after)


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
    as they were, its verdicts removed (the ones before it count again). Only the alert's
    latest step can be undone, and only by the officer who took it."""
    assert alert.id is not None
    step = last_step(session, alert.id)
    if step is None or step.id != step_id:
        raise EditError("step", "the latest triage step of this alert", str(step_id))
    if step.user_name != user_name:
        raise EditError("step", f"a step of {user_name}", f"a step of {step.user_name}")
    triage = _handling(session, alert)
    before: Mapping[str, Any] = step.before
    triage.acknowledged_by = str(before.get("acknowledged_by") or "")
    at = before.get("acknowledged_at")
    triage.acknowledged_at = datetime.fromisoformat(at) if isinstance(at, str) else None
    triage.task_team = str(before.get("task_team") or "")
    triage.assignee = str(before.get("assignee") or "")
    triage.updated_at = datetime.now(UTC)
    session.add(triage)
    for verdict_id in step.after.get("verdict_ids", []):
        row = session.get(VerdictRow, int(verdict_id))
        if row is not None:
            session.delete(row)
    return record(session, user_name, "alert", alert.id, UNDO, step.after, {"step": step.id})


def latest_verdicts(given: Iterable[Given]) -> dict[str, Given]:
    """The latest verdict per position of an alert ("" for the whole alert)."""
    latest: dict[str, Given] = {}
    for f in sorted(given, key=lambda f: f.id):
        latest[f.position] = f
    return latest
