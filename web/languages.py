"""The language versions of an instrument as its page shows them: each text with its role,
publisher, dates and whether its numbers agree with the official text; attaching and
detaching by hand (audited)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from alerts.deliver.messages import quantity_words
from parsers.compare.crosscheck import Value, crosscheck
from tracker import languages
from tracker.counterparts import aligned_refs, counterparts, readable_version
from tracker.history import document_of
from tracker.languages import LanguageVersionError
from tracker.models import Change, Instrument, Version
from web.audit import record
from web.errors import EditError
from web.translations import N_

ROLE_LABELS = {  # English; the page shows them in the reader's language
    languages.OFFICIAL: N_("official text"),
    languages.OFFICIAL_TRANSLATION: N_("official translation"),
    languages.UNOFFICIAL_TRANSLATION: N_("unofficial translation"),
}


@dataclass(frozen=True)
class Disagreement:
    a_ref: str
    b_ref: str
    a_values: str
    b_values: str
    # the numbers themselves, for a page that writes them in the reader's words
    a_numbers: tuple[Value, ...] = ()
    b_numbers: tuple[Value, ...] = ()


@dataclass(frozen=True)
class Agreement:
    """How a translation's latest text compares with the official text's, provision by
    provision (numbers with their units)."""

    agree: int
    differ: tuple[Disagreement, ...]
    missing_in_translation: tuple[str, ...]
    missing_in_official: tuple[str, ...]


@dataclass(frozen=True)
class LanguageRow:
    instrument: Instrument
    language: str
    role: str
    publisher: str
    date: str
    attached_by: str
    latest_fetched: datetime | None
    current: bool
    agreement: Agreement | None


def _values(values: tuple[Value, ...]) -> str:
    """The notices' own wording: ``70%``, ``KHR 1,200,000``, ``90 days``."""
    return ", ".join(quantity_words(v.value, v.unit) for v in values) or "none"


def _agreement(session: Session, official_id: int, translation_id: int) -> Agreement | None:
    a = document_of(readable_version(session, official_id))
    b = document_of(readable_version(session, translation_id))
    if a is None or b is None:
        return None
    check = crosscheck(a, b)
    return Agreement(
        agree=sum(1 for p in check.provisions if p.status == "agree"),
        differ=tuple(
            Disagreement(
                p.a_ref or "",
                p.b_ref or "",
                _values(p.a_only),
                _values(p.b_only),
                a_numbers=p.a_only,
                b_numbers=p.b_only,
            )
            for p in check.disagreements
        ),
        missing_in_translation=tuple(p.a_ref for p in check.missing if p.a_ref),
        missing_in_official=tuple(p.b_ref for p in check.missing if p.b_ref),
    )


def language_rows(session: Session, instrument_id: int) -> list[LanguageRow]:
    """The texts of the instrument's work, official first; empty for a single text."""
    found = languages.expressions(session, languages.work_id_of(session, instrument_id))
    official = next((e for e in found if e.role == languages.OFFICIAL), None)
    rows: list[LanguageRow] = []
    for e in found:
        instrument = session.get(Instrument, e.instrument_id)
        if instrument is None:
            continue
        latest = readable_version(session, e.instrument_id)
        agreement = (
            _agreement(session, official.instrument_id, e.instrument_id)
            if official is not None and e.instrument_id != official.instrument_id
            else None
        )
        rows.append(
            LanguageRow(
                instrument=instrument,
                language=languages.language_name(e.language),
                role=ROLE_LABELS.get(e.role, e.role),
                publisher=e.publisher,
                date=e.date,
                attached_by=e.attached_by,
                latest_fetched=latest.fetched_at if latest is not None else None,
                current=e.instrument_id == instrument_id,
                agreement=agreement,
            )
        )
    return rows


# The texts a list page compares with their official text, at most (characters of both).
LIST_CROSSCHECK_CHARS = 2_000_000


@dataclass(frozen=True)
class VersionBadge:
    """One language version of a work as the instruments list shows it."""

    instrument: Instrument
    code: str
    language: str
    role: str  # official / official translation / unofficial translation
    official: bool
    date: str
    latest_fetched: datetime | None
    matched: bool  # this text matches the list's search and filters
    behind_days: int | None = None  # the official text changed since, this many days ago
    differ: int | None = None  # provisions whose numbers disagree (None: not compared)
    missing: int | None = None  # provisions on one side only


@dataclass(frozen=True)
class WorkRow:
    """One instrument (a work) in the list: the text that names it (the official one when
    known) and each of its language versions."""

    instrument: Instrument
    badges: tuple[VersionBadge, ...]

    @property
    def others(self) -> tuple[VersionBadge, ...]:
        return tuple(b for b in self.badges if b.instrument.id != self.instrument.id)


def _fetched(session: Session, instrument_id: int) -> list[datetime]:
    """When each version of an instrument was fetched, newest first (no texts read)."""
    statement = (
        select(Version.fetched_at)
        .where(Version.instrument_id == instrument_id)
        .order_by(col(Version.fetched_at).desc(), col(Version.id).desc())
        .limit(2)
    )
    return [_aware(t) for t in session.exec(statement)]


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def work_rows(
    session: Session, works: Sequence[tuple[int, Sequence[int]]], now: datetime
) -> list[WorkRow]:
    """The list's rows: for each work (its id and the ids of its texts that matched), its
    language versions with their dates, how far a translation is behind a change of the
    official text, and whether their numbers agree (compared while the page's budget of
    text lasts; the instrument page always compares)."""
    budget = LIST_CROSSCHECK_CHARS
    rows: list[WorkRow] = []
    for work_id, matched in works:
        found = languages.expressions(session, work_id)
        if not found:
            instrument = session.get(Instrument, work_id)
            if instrument is not None:
                rows.append(WorkRow(instrument, ()))
            continue
        official = next((e for e in found if e.role == languages.OFFICIAL), None)
        official_fetched = _fetched(session, official.instrument_id) if official else []
        official_version = None
        if official is not None and len(found) > 1:
            official_version = readable_version(session, official.instrument_id)
        badges: list[VersionBadge] = []
        for e in found:
            instrument = session.get(Instrument, e.instrument_id)
            if instrument is None:
                continue
            fetched = _fetched(session, e.instrument_id)
            behind = differ = missing = None
            if official is not None and e.instrument_id != official.instrument_id:
                if len(official_fetched) > 1 and fetched and fetched[0] < official_fetched[0]:
                    behind = max(0, (now - official_fetched[0]).days)
                version = readable_version(session, e.instrument_id)
                a, b = document_of(official_version), document_of(version)
                size = len(a.text) + len(b.text) if a is not None and b is not None else 0
                if a is not None and b is not None and size <= budget:
                    budget -= size
                    check = crosscheck(a, b)
                    differ, missing = len(check.disagreements), len(check.missing)
            badges.append(
                VersionBadge(
                    instrument=instrument,
                    code=e.language,
                    language=languages.language_name(e.language),
                    role=ROLE_LABELS.get(e.role, e.role),
                    official=e.role == languages.OFFICIAL,
                    date=e.date,
                    latest_fetched=fetched[0] if fetched else None,
                    matched=e.instrument_id in matched,
                    behind_days=behind,
                    differ=differ,
                    missing=missing,
                )
            )
        if not badges:
            continue
        lead = next((b for b in badges if b.official), badges[0])
        rows.append(WorkRow(lead.instrument, tuple(badges)))
    return rows


@dataclass(frozen=True)
class OtherText:
    """The same provision in another language version, and which text it comes from."""

    instrument_id: int
    version_id: int
    language: str
    code: str
    ref: str
    text: str
    stored: bool  # recorded with the change (else read now from the latest text)


def other_texts(session: Session, change: Change) -> list[OtherText]:
    """The changed provision in each other language version of the work: as recorded with
    the change, else aligned now against that version's latest text."""
    found = [
        OtherText(
            c.instrument_id,
            c.version_id,
            languages.language_name(c.language),
            c.language,
            c.ref,
            c.text,
            True,
        )
        for c in counterparts(session, change.id or 0)
    ]
    have = {o.instrument_id for o in found}
    document = document_of(session.get(Version, change.new_version_id))
    if document is None or not change.new_ref:
        return found
    for other in languages.siblings(session, change.instrument_id):
        if other.instrument_id in have:
            continue
        version = readable_version(session, other.instrument_id)
        other_document = document_of(version)
        if version is None or version.id is None or other_document is None:
            continue
        ref = aligned_refs(document, other_document).get(change.new_ref)
        section = next((s for s in other_document.sections if s.ref == ref), None)
        if section is not None:
            found.append(
                OtherText(
                    other.instrument_id,
                    version.id,
                    languages.language_name(other.language),
                    other.language,
                    section.ref,
                    section.text,
                    False,
                )
            )
    return found


def attach_by_hand(
    session: Session, instrument: Instrument, other_id: int, role: str, user_name: str
) -> None:
    """The Secretariat says ``other_id`` is another language version of ``instrument``."""
    other = session.get(Instrument, other_id)
    if other is None:
        raise EditError("instrument", "the id of an instrument in the tracker", str(other_id))
    if role and role not in languages.ROLES:
        raise EditError("role", "one of " + ", ".join(languages.ROLES), repr(role[:40]))
    try:
        row = languages.attach(session, other, instrument, by=user_name, role=role)
    except LanguageVersionError as exc:
        raise EditError(
            "language version", "an instrument in another language", exc.reason
        ) from exc
    assert instrument.id is not None
    record(
        session,
        user_name,
        "instrument",
        instrument.id,
        "attach_language",
        {},
        {"instrument_id": other_id, "language": row.language, "role": row.role},
    )


def detach_by_hand(session: Session, instrument: Instrument, user_name: str) -> None:
    assert instrument.id is not None
    row = languages.row_of(session, instrument.id)
    if row is None:
        raise EditError("language version", "an attached language version", "a single text")
    before = {"work_id": row.work_id, "language": row.language, "role": row.role}
    languages.detach(session, instrument)
    record(session, user_name, "instrument", instrument.id, "detach_language", before, {})
