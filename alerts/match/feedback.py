"""Officers' triage of flags, stored and exported as labelled changes.

An officer says of one flag (a change and the position it was flagged for) that it is
``relevant``, ``not_relevant``, or about the ``wrong_position`` (naming the right ones, or
none). :func:`record_triage` stores the verdict (the web tracker's triage calls it; the last
verdict of an officer on a flag replaces the earlier one). :func:`export_feedback` turns
every triaged change into a labelled change in the JSON Lines format that ``sptrack eval
match`` reads (``app.labelled_changes``), so the matcher is measured on real alerts:

- gold positions = flags judged relevant + positions named by wrong-position verdicts;
- a change is exported only when every position it was flagged for has a verdict (an
  unjudged flag would count as right or wrong without anyone saying so);
- language: Khmer when most letters of the change are Khmer, else English.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from sqlmodel import Session, col, select

from alerts.errors import AlertError
from alerts.positions import POSITION_IDS
from parsers.khmer import khmer_share
from tracker.models import Change, Flag, Triage, Version

Verdict = Literal["relevant", "not_relevant", "wrong_position"]
VERDICTS: tuple[Verdict, ...] = ("relevant", "not_relevant", "wrong_position")


class TriageError(AlertError):
    """A triage verdict that cannot be stored (unknown change, flag, verdict or position)."""


@dataclass(frozen=True)
class ExportReport:
    """What :func:`export_feedback` wrote."""

    exported: int
    incomplete: int  # triaged changes with a flag nobody judged yet


def record_triage(
    session: Session,
    change_id: int,
    position: str,
    verdict: str,
    *,
    user: str,
    correct_positions: Iterable[str] = (),
    note: str = "",
) -> Triage:
    """Store an officer's verdict on the flag of ``position`` on change ``change_id``.

    Raises :class:`TriageError` naming what is wrong. The caller commits.
    """
    if verdict not in VERDICTS:
        raise TriageError(f"verdict must be one of {', '.join(VERDICTS)}, got {verdict!r}")
    correct = sorted(set(correct_positions))
    for p in [position, *correct]:
        if p not in POSITION_IDS:
            raise TriageError(f"unknown position {p!r}")
    if correct and verdict != "wrong_position":
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
    triage = session.exec(
        select(Triage).where(
            Triage.change_id == change_id, Triage.position == position, Triage.user == user
        )
    ).first()
    if triage is None:
        triage = Triage(change_id=change_id, position=position, verdict=verdict, user=user)
    triage.verdict = verdict
    triage.correct_positions = correct
    triage.note = note
    session.add(triage)
    session.flush()
    return triage


def feedback_cases(session: Session) -> Iterator[dict[str, Any] | None]:
    """One labelled change (a JSON object) per triaged change, in change order; ``None`` for
    a triaged change that still has an unjudged flag."""
    triaged = session.exec(select(Triage).order_by(col(Triage.change_id), col(Triage.id))).all()
    by_change: dict[int, list[Triage]] = {}
    for t in triaged:
        by_change.setdefault(t.change_id, []).append(t)
    for change_id, verdicts in by_change.items():
        change = session.get(Change, change_id)
        if change is None:  # pragma: no cover - foreign key
            continue
        flagged = set(session.exec(select(Flag.position).where(Flag.change_id == change_id)))
        latest: dict[str, Triage] = {}
        for t in verdicts:  # by id: a later verdict (of anyone) replaces an earlier one
            latest[t.position] = t
        if flagged - set(latest):
            yield None
            continue
        gold = {p for p, t in latest.items() if t.verdict == "relevant"}
        for t in latest.values():
            if t.verdict == "wrong_position":
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
    """Write every completely triaged change to the text stream ``out`` as JSON Lines."""
    exported = incomplete = 0
    for case in feedback_cases(session):
        if case is None:
            incomplete += 1
            continue
        out.write(json.dumps(case, ensure_ascii=False) + "\n")
        exported += 1
    return ExportReport(exported, incomplete)
