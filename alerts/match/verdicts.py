"""Officers' verdicts on flags, stored in one table and exported as labelled changes.

An officer says of one flag (a change and the position it was flagged for) that it is
``relevant``, ``not_relevant``, or about the ``wrong_position`` (naming the right ones, or
none). :func:`record_verdict` stores one (the web tracker's triage calls it for every flag
behind the alert position judged); rows are only added, and the latest verdict on a flag,
of anyone, is the one that counts. :func:`given_by_alert` and :func:`all_given` read them
back as the officers gave them (one :class:`Given` per verdict given on an alert).
:func:`export_feedback` turns every judged change into a labelled change in the JSON Lines
format that ``sptrack eval match`` reads (``evaluation.labelled_changes``), so the matcher
is measured on real alerts:

- gold positions = flags judged relevant + positions named by wrong-position verdicts;
- a change is exported only when every position it was flagged for has a verdict (an
  unjudged flag would count as right or wrong without anyone saying so);
- language: Khmer when most letters of the change are Khmer, else English.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from alerts.errors import AlertError
from alerts.positions import POSITION_IDS
from parsers.khmer import khmer_share
from tracker.kinds import VerdictWord
from tracker.models import Change, Flag, Verdict, Version

VERDICTS: tuple[VerdictWord, ...] = tuple(VerdictWord)


class TriageError(AlertError):
    """A verdict that cannot be stored (unknown change, flag, verdict or position)."""


@dataclass(frozen=True)
class ExportReport:
    """What :func:`export_feedback` wrote."""

    exported: int
    incomplete: int  # judged changes with a flag nobody judged yet


@dataclass(frozen=True)
class Given:
    """One verdict as an officer gave it on an alert: ``position`` is the alert's position
    judged ("" for the whole alert), ``correct_position`` the right one named (or "");
    ``ids`` the flag rows it is stored as, ``id`` the first of them."""

    id: int
    alert_id: int
    position: str
    verdict: str
    correct_position: str
    note: str
    user_name: str
    created_at: datetime
    ids: tuple[int, ...]


def record_verdict(
    session: Session,
    change_id: int,
    position: str,
    verdict: str,
    *,
    user: str,
    correct_positions: Iterable[str] = (),
    note: str = "",
    alert_id: int | None = None,
    judged: str | None = None,
    at: datetime | None = None,
) -> Verdict:
    """Store an officer's verdict on the flag of ``position`` on change ``change_id``, given
    on alert ``alert_id`` for the alert's position ``judged`` (by default ``position``) at
    ``at`` (by default now); with no alert, a verdict on the flag alone (no alert's page
    lists it; the evaluation's export reads it).

    Raises :class:`TriageError` naming what is wrong. The caller commits.
    """
    if verdict not in VERDICTS:
        raise TriageError(f"verdict must be one of {', '.join(VERDICTS)}, got {verdict!r}")
    correct = sorted(set(correct_positions))
    for p in [position, *correct]:
        if p not in POSITION_IDS:
            raise TriageError(f"unknown position {p!r}")
    if correct and verdict != VerdictWord.WRONG_POSITION:
        raise TriageError("correct positions are given only with the verdict wrong_position")
    if position in correct:
        raise TriageError(f"{position!r} is the flagged position, not a correction")
    if session.get(Change, change_id) is None:
        raise TriageError(f"no change {change_id}")
    flagged = session.exec(
        select(Flag).where(Flag.change_id == change_id, Flag.position == position)
    ).first()
    if flagged is None:
        raise TriageError(f"change {change_id} was not flagged for {position!r}")
    row = Verdict(
        alert_id=alert_id,
        change_id=change_id,
        position=position,
        judged=position if judged is None else judged,
        verdict=VerdictWord(verdict),
        correct_positions=correct,
        note=note,
        user_name=user,
        created_at=at or datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return row


def group_given(rows: Iterable[Verdict]) -> list[Given]:
    """Rows given together on an alert (same alert, position judged, officer and time) as
    one :class:`Given` each, oldest first; rows given on no alert are left out."""
    groups: dict[tuple[int, str, str, datetime], list[Verdict]] = {}
    for row in sorted(rows, key=lambda r: r.id or 0):
        if row.alert_id is None:
            continue
        key = (row.alert_id, row.judged, row.user_name, row.created_at)
        groups.setdefault(key, []).append(row)
    return [_given(group) for group in groups.values()]


def _given(rows: Sequence[Verdict]) -> Given:
    first = rows[0]
    assert first.id is not None and first.alert_id is not None
    named = [p for r in rows for p in r.correct_positions]
    return Given(
        id=first.id,
        alert_id=first.alert_id,
        position=first.judged,
        verdict=first.verdict,
        correct_position=named[0] if named else "",
        note=first.note,
        user_name=first.user_name,
        created_at=first.created_at,
        ids=tuple(r.id for r in rows if r.id is not None),
    )


def given_by_alert(session: Session, alert_ids: Iterable[int]) -> dict[int, list[Given]]:
    """The verdicts given on each alert, oldest first."""
    ids = list(alert_ids)
    found: dict[int, list[Given]] = {}
    if not ids:
        return found
    rows = session.exec(select(Verdict).where(col(Verdict.alert_id).in_(ids)))
    for given in group_given(rows):
        found.setdefault(given.alert_id, []).append(given)
    return found


def all_given(session: Session, limit: int, offset: int = 0) -> list[Given]:
    """Every verdict given on an alert, oldest first, ``limit`` of them from ``offset``."""
    rows = session.exec(select(Verdict).where(col(Verdict.alert_id).is_not(None)))
    return group_given(rows)[offset : offset + limit]


def feedback_cases(session: Session) -> Iterator[dict[str, Any] | None]:
    """One labelled change (a JSON object) per judged change, in change order; ``None`` for
    a judged change that still has an unjudged flag."""
    judged = session.exec(
        select(Verdict)
        .where(col(Verdict.change_id).is_not(None))
        .order_by(col(Verdict.change_id), col(Verdict.id))
    ).all()
    by_change: dict[int, list[Verdict]] = {}
    for t in judged:
        assert t.change_id is not None
        by_change.setdefault(t.change_id, []).append(t)
    for change_id, verdicts in by_change.items():
        change = session.get(Change, change_id)
        if change is None:  # pragma: no cover - foreign key
            continue
        flagged = set(session.exec(select(Flag.position).where(Flag.change_id == change_id)))
        latest: dict[str, Verdict] = {}
        for t in verdicts:  # by id: a later verdict (of anyone) replaces an earlier one
            latest[t.position] = t
        if flagged - set(latest):
            yield None
            continue
        gold = {p for p, t in latest.items() if t.verdict == VerdictWord.RELEVANT}
        for t in latest.values():
            if t.verdict == VerdictWord.WRONG_POSITION:
                gold.update(t.correct_positions)
        yield _case(session, change, gold)


def _case(session: Session, change: Change, gold: set[str]) -> dict[str, Any]:
    text = change.new_text or change.old_text
    version = session.get(Version, change.new_version_id)
    title = version.title if version is not None else ""
    return {
        "id": f"feedback-{change.id}",
        "lang": "km" if khmer_share(text) >= 0.5 else "en",
        "split": "feedback",
        "case": "feedback",
        "title": title,
        "heading": change.heading,
        "old": _body(change.old_text, change.heading),
        "new": _body(change.new_text, change.heading),
        "positions": sorted(gold),
        "note": f"change {change.id} ({change.kind} {change.new_ref or change.old_ref or ''})",
    }


def _body(text: str, heading: str) -> str:
    """The provision's text without its reference-and-heading line (the evaluation writes its
    own), when the first line is that line."""
    first, _, rest = text.partition("\n")
    if rest and ((heading and heading in first) or (len(first) < 80 and _is_ref(first))):
        return rest.strip()
    return text.strip()


def _is_ref(line: str) -> bool:
    words = line.split()
    return bool(words) and words[0].lower() in ("article", "មាត្រា", "chapter", "ជំពូក")


def export_feedback(session: Session, out: Any) -> ExportReport:
    """Write every completely judged change to the text stream ``out`` as JSON Lines."""
    exported = incomplete = 0
    for case in feedback_cases(session):
        if case is None:
            incomplete += 1
            continue
        out.write(json.dumps(case, ensure_ascii=False) + "\n")
        exported += 1
    return ExportReport(exported, incomplete)
