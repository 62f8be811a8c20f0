"""An alert's one-line summary, in the reader's language.

``Contribution rate: Sub-decree 32 on pensions, Article 4: 4% -> 6% (employer 2% -> 3%)``:
the strongest position, the instrument, and its strongest flagged changes in words.

The English line is stored with the alert when it is recorded (:mod:`alerts.deliver.outbox`;
``sptrack alerts list`` and the JSON API give it as ``summary``). A reader of another
language gets the line built when shown, from the same stored rows (the version's changes
and their flags) with the positions' names in that language (positions.toml ``name_km``):
:func:`alert_summaries` for a page of alerts, three queries whatever their number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from sqlmodel import Session, col, select

from alerts.deliver.channels import severity_rank
from alerts.deliver.flag_views import humanise
from alerts.deliver.message_words import KIND_WORDS
from alerts.deliver.number_views import NumberView, change_in_words
from alerts.deliver.plain_text import plain
from alerts.positions import Position
from parsers.khmer import to_khmer_digits
from tracker.models import Alert, Change, Flag, Instrument

SUMMARY_CHANGES = 2
SUMMARY_LIMIT = 300
LEGAL, TRANSLATION, LANGUAGE_VERSION = "legal", "translation", "language_version"
#: Alerts that are not a legal change say what they are, before the line.
NOT_LEGAL_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {TRANSLATION: "Translation only", LANGUAGE_VERSION: "New language version"},
    "km": {TRANSLATION: "តែការបកប្រែប៉ុណ្ណោះ", LANGUAGE_VERSION: "កំណែភាសាថ្មី"},
}


class Flagged(Protocol):
    """What a summary needs of a flag: the matcher's (when recorded) or a stored row."""

    @property
    def position(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def score(self) -> float: ...


def strength(flags: Sequence[Flagged]) -> tuple[int, float]:
    return (
        max((severity_rank(f.severity) for f in flags), default=-1),
        max((float(f.score) for f in flags), default=0.0),
    )


def rank_positions(flags: Sequence[Flagged]) -> list[str]:
    """Distinct positions, strongest first: by highest severity, then highest score."""
    best: dict[str, tuple[int, float]] = {}
    for flag in flags:
        found = (severity_rank(flag.severity), float(flag.score))
        best[flag.position] = max(best.get(flag.position, found), found)
    return sorted(best, key=lambda p: (-best[p][0], -best[p][1], p))


def _more(count: int, language: str) -> str:
    if count <= 0:
        return ""
    if language == "km":
        return f" និងការផ្លាស់ប្តូរ {to_khmer_digits(str(count))} ទៀត"
    return f" and {count} more change{'s' if count > 1 else ''}"


def summary_line(
    instrument: Instrument,
    change_rows: Sequence[Change],
    flags: Sequence[Sequence[Flagged]],
    *,
    language: str = "en",
    positions: Mapping[str, Position] | None = None,
    kind: str = LEGAL,
) -> str:
    """One line in words from the strongest flagged changes (``flags`` parallel to
    ``change_rows``), in ``language``: in English the position's id in words (as stored
    since the first alert), in Khmer its Khmer name from ``positions`` where it has one."""
    flagged = [(row, fl) for row, fl in zip(change_rows, flags, strict=True) if fl]
    flagged.sort(key=lambda pair: tuple(-x for x in strength(pair[1])))
    top = rank_positions([f for _, fl in flagged for f in fl])
    title = instrument.title or f"{instrument.type} {instrument.number}".strip() or instrument.url
    kinds = KIND_WORDS.get(language, KIND_WORDS["en"])
    parts = [
        change_in_words(
            row.new_ref or row.old_ref or "",
            row.kind,
            [NumberView.from_json(n) for n in row.numbers],
            kinds,
            language=language,
        )
        for row, _ in flagged[:SUMMARY_CHANGES]
    ]
    tail = _more(len(flagged) - SUMMARY_CHANGES, language)
    if top:
        known = (positions or {}).get(top[0])
        name = known.name_in(language) if known and language != "en" else humanise(top[0])
        line = plain(f"{name}: {title}, {'; '.join(parts)}{tail}", SUMMARY_LIMIT, single_line=True)
    else:
        line = plain(title, SUMMARY_LIMIT, single_line=True)
    prefix = NOT_LEGAL_WORDS.get(language, NOT_LEGAL_WORDS["en"]).get(kind)
    return plain(f"{prefix}: {line}", SUMMARY_LIMIT, single_line=True) if prefix else line


def alert_summaries(
    session: Session,
    alerts: Sequence[Alert],
    positions: Mapping[str, Position],
    language: str,
) -> dict[int, str]:
    """Each alert's summary in ``language`` by id: the stored line in English, else built
    from the stored changes and flags (the stored line where its changes are gone); three
    queries (changes, flags, instruments) whatever the number of alerts."""
    found = {a.id: a.summary for a in alerts if a.id is not None}
    if language == "en" or not found:
        return found
    versions = {a.version_id for a in alerts}
    rows = session.exec(
        select(Change).where(col(Change.new_version_id).in_(versions)).order_by(col(Change.id))
    ).all()
    ids = [row.id for row in rows if row.id is not None]
    flag_rows = session.exec(select(Flag).where(col(Flag.change_id).in_(ids))).all() if ids else []
    by_change: dict[int, list[Flag]] = {}
    for flag in flag_rows:
        by_change.setdefault(flag.change_id, []).append(flag)
    by_version: dict[int, list[Change]] = {}
    for row in rows:
        by_version.setdefault(row.new_version_id, []).append(row)
    wanted = {a.instrument_id for a in alerts}
    instruments = {
        i.id: i for i in session.exec(select(Instrument).where(col(Instrument.id).in_(wanted)))
    }
    for alert in alerts:
        changes = by_version.get(alert.version_id, [])
        instrument = instruments.get(alert.instrument_id)
        if alert.id is None or instrument is None or not changes:
            continue
        found[alert.id] = summary_line(
            instrument,
            changes,
            [by_change.get(row.id or 0, []) for row in changes],
            language=language,
            positions=positions,
            kind=alert.kind,
        )
    return found
