"""Language versions of one instrument: a work and its expressions per language.

Cambodian instruments are official in Khmer; an English text is a translation (official
when the issuer says so, most often unofficial), published later and elsewhere, sometimes
with its number written differently. Each language's text stays an instrument of its own
(its URL, its versions, its changes); a :class:`~tracker.models.LanguageVersion` row names
the work it expresses and its role. The work is named by the instrument first known of the
set, so its page and links stay where they were.

A new document joins the work of an instrument in another language when type, number and
date agree (digits in any script, type names in Khmer or English); the Secretariat attaches
and detaches by hand. Functions take an open session and leave committing to the caller.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from parsers.khmer import normalize
from tracker.errors import TrackerError
from tracker.history import document_of, latest_version
from tracker.models import (
    Instrument,
    LanguageVersion,
    Source,
    utcnow,
)

logger = logging.getLogger(__name__)

OFFICIAL = "official"
OFFICIAL_TRANSLATION = "official_translation"
UNOFFICIAL_TRANSLATION = "unofficial_translation"
ROLES = (OFFICIAL, OFFICIAL_TRANSLATION, UNOFFICIAL_TRANSLATION)
AUTO = "auto"
#: A document in two languages at once is never attached by itself: it may be the
#: official text printed bilingually, and its changes must not pass for a translation's.
MIXED = "mixed"

#: The language Cambodian instruments are official in.
OFFICIAL_LANGUAGE = "km"
LANGUAGE_NAMES = {"km": "Khmer", "en": "English", "fr": "French"}

# Type names as instruments print them, in Khmer and English, to one key.
_TYPE_NAMES = {
    "ប្រកាសអន្តរក្រសួង": "inter-ministerial prakas",
    "inter-ministerial prakas": "inter-ministerial prakas",
    "interministerial prakas": "inter-ministerial prakas",
    "joint prakas": "inter-ministerial prakas",
    "ព្រះរាជក្រឹត្យ": "royal decree",
    "royal decree": "royal decree",
    "ព្រះរាជក្រម": "royal kram",
    "royal kram": "royal kram",
    "អនុក្រឹត្យ": "sub-decree",
    "sub-decree": "sub-decree",
    "sub decree": "sub-decree",
    "subdecree": "sub-decree",
    "ច្បាប់": "law",
    "law": "law",
    "ប្រកាស": "prakas",
    "prakas": "prakas",
    "proclamation": "prakas",
    "សារាចរ": "circular",
    "circular": "circular",
    "សេចក្តីសម្រេច": "decision",
    "decision": "decision",
    "សេចក្តីណែនាំ": "instruction",
    "instruction": "instruction",
    "guideline": "instruction",
}
_TYPE_KEYS = {normalize(name).replace("ដ", "ត"): key for name, key in _TYPE_NAMES.items()}
_NUMBER_RE = re.compile(r"\d+(?:\s*/\s*\d+)?")
_UNOFFICIAL_RE = re.compile(r"\bun-?official\s+translation\b|បកប្រែ\s*ក្រៅ\s*ផ្លូវ\s*ការ", re.I)
_OFFICIAL_RE = re.compile(r"\bofficial\s+translation\b|បកប្រែ\s*ផ្លូវ\s*ការ", re.I)


class LanguageVersionError(TrackerError):
    """A language version cannot be attached (or detached) as asked."""

    def __init__(self, instrument_id: int, reason: str) -> None:
        self.instrument_id = instrument_id
        self.reason = reason
        super().__init__(f"instrument {instrument_id}: {reason}")


@dataclass(frozen=True)
class Expression:
    """One language version of a work, as the tracker and its pages read it."""

    instrument_id: int
    work_id: int
    language: str
    role: str
    publisher: str
    date: str
    attached_by: str


def type_key(name: str) -> str:
    """The instrument type's key from its name in Khmer or English (``អនុក្រឹត្យ`` and
    ``SUB-DECREE`` are both ``sub-decree``); '' when unknown."""
    folded = normalize(unicodedata.normalize("NFC", name)).strip().lower().replace("ដ", "ត")
    folded = re.sub(r"[\s_]+", " ", folded)
    return _TYPE_KEYS.get(folded) or _TYPE_KEYS.get(folded.replace("-", " "), "")


def number_key(number: str) -> str:
    """The leading number of an instrument's number, digits in any script, leading zeros
    dropped: ``៣៨ អនក្រ.បក`` and ``38 ANK.BK`` are ``38``; ``០៩៥/២៥`` is ``95/25``."""
    digits = "".join(
        str(unicodedata.digit(c)) if c.isdigit() else c
        for c in unicodedata.normalize("NFC", number)
    )
    match = _NUMBER_RE.search(digits)
    if match is None:
        return ""
    return "/".join(str(int(part)) for part in match.group(0).replace(" ", "").split("/"))


def work_key(instrument: Instrument) -> tuple[str, str, str] | None:
    """(type, number, date) when all three are known, else None: two instruments in
    different languages with the same key are versions of one work."""
    kind, number = type_key(instrument.type), number_key(instrument.number)
    date = instrument.signed_date.strip()
    if not (kind and number and date):
        return None
    return kind, number, date


def role_of(language: str, text: str = "") -> str:
    """The role a text of this language plays: Khmer is the official text; another
    language is an official translation only when the text says so."""
    if language == OFFICIAL_LANGUAGE:
        return OFFICIAL
    head = text[:3000]
    if _UNOFFICIAL_RE.search(head):
        return UNOFFICIAL_TRANSLATION
    if _OFFICIAL_RE.search(head):
        return OFFICIAL_TRANSLATION
    return UNOFFICIAL_TRANSLATION


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code or "unknown language")


def row_of(session: Session, instrument_id: int) -> LanguageVersion | None:
    statement = select(LanguageVersion).where(LanguageVersion.instrument_id == instrument_id)
    return session.exec(statement).first()


def work_id_of(session: Session, instrument_id: int) -> int:
    """The work an instrument expresses (itself when it has no other language version)."""
    row = row_of(session, instrument_id)
    return row.work_id if row is not None else instrument_id


def expressions(session: Session, work_id: int) -> list[Expression]:
    """The language versions of a work, official first, then by language; empty when the
    work has a single text."""
    rows = session.exec(
        select(LanguageVersion)
        .where(LanguageVersion.work_id == work_id)
        .order_by(col(LanguageVersion.id))
    ).all()
    found = [
        Expression(
            r.instrument_id, r.work_id, r.language, r.role, r.publisher, r.date, r.attached_by
        )
        for r in rows
    ]
    return sorted(found, key=lambda e: (e.role != OFFICIAL, ROLES.index(e.role), e.language))


def siblings(session: Session, instrument_id: int) -> list[Expression]:
    """The other language versions of an instrument's work."""
    work = work_id_of(session, instrument_id)
    return [e for e in expressions(session, work) if e.instrument_id != instrument_id]


def official_of(session: Session, instrument_id: int) -> Expression | None:
    """The official text of the instrument's work, when the tracker knows one."""
    work = work_id_of(session, instrument_id)
    return next((e for e in expressions(session, work) if e.role == OFFICIAL), None)


def is_translation(session: Session, instrument_id: int) -> bool:
    """True when the instrument is a translation of a work whose official text is known
    (another instrument): its changes are translation changes, not legal changes."""
    row = row_of(session, instrument_id)
    if row is None or row.role == OFFICIAL:
        return False
    official = official_of(session, instrument_id)
    return official is not None and official.instrument_id != instrument_id


def _new_row(
    session: Session, instrument: Instrument, work_id: int, by: str, role: str = ""
) -> LanguageVersion:
    assert instrument.id is not None
    source = session.get(Source, instrument.source_id)
    text = instrument.title
    document = document_of(latest_version(session, instrument.id))
    if document is not None:
        text = document.text
    row = LanguageVersion(
        work_id=work_id,
        instrument_id=instrument.id,
        language=instrument.language,
        role=role or role_of(instrument.language, text),
        publisher=instrument.issuer
        or (source.name if source and source.name else "")
        or instrument.source_id,
        date=instrument.signed_date or instrument.listing_date,
        attached_by=by,
        attached_at=utcnow(),
    )
    session.add(row)
    return row


def attach(
    session: Session, instrument: Instrument, to: Instrument, *, by: str, role: str = ""
) -> LanguageVersion:
    """Make ``instrument`` a language version of ``to``'s work; return its row.

    Refused (:class:`LanguageVersionError`) when it is the same instrument, already of that
    work, of another work with other versions, of an unknown language, or when the work
    already has a text in its language.
    """
    assert instrument.id is not None and to.id is not None
    if role and role not in ROLES:
        raise LanguageVersionError(instrument.id, f"role must be one of {', '.join(ROLES)}")
    if instrument.id == to.id:
        raise LanguageVersionError(instrument.id, "cannot be a language version of itself")
    if not instrument.language or not to.language:
        raise LanguageVersionError(
            instrument.id if not instrument.language else to.id, "its language is not known"
        )
    work = work_id_of(session, to.id)
    current = row_of(session, instrument.id)
    if current is not None and current.work_id == work:
        raise LanguageVersionError(instrument.id, f"already a language version of {work}")
    if current is not None:
        raise LanguageVersionError(
            instrument.id, f"already a language version of {current.work_id}: detach it first"
        )
    present = expressions(session, work)
    if not present:
        target = session.get(Instrument, work)
        assert target is not None
        present = [_expression(_new_row(session, target, work, by))]
    clash = next((e for e in present if e.language == instrument.language), None)
    if clash is not None:
        raise LanguageVersionError(
            instrument.id,
            f"work {work} already has a {language_name(instrument.language)} text "
            f"(instrument {clash.instrument_id})",
        )
    row = _new_row(session, instrument, work, by, role)
    session.flush()
    logger.info(
        "instrument %s (%s) attached to work %s by %s", instrument.id, row.language, work, by
    )
    return row


def _expression(row: LanguageVersion) -> Expression:
    return Expression(
        row.instrument_id,
        row.work_id,
        row.language,
        row.role,
        row.publisher,
        row.date,
        row.attached_by,
    )


def detach(session: Session, instrument: Instrument) -> None:
    """Make an instrument a work of its own again. When it named its work, the work is
    then named by the next instrument of the set; a work left with one text has no rows."""
    assert instrument.id is not None
    row = row_of(session, instrument.id)
    if row is None:
        raise LanguageVersionError(instrument.id, "not a language version of another instrument")
    work = row.work_id
    session.delete(row)
    session.flush()
    rest = list(
        session.exec(
            select(LanguageVersion)
            .where(LanguageVersion.work_id == work)
            .order_by(col(LanguageVersion.instrument_id))
        )
    )
    if len(rest) <= 1:
        for other in rest:
            session.delete(other)
    elif work == instrument.id:
        new_work = rest[0].instrument_id
        for other in rest:
            other.work_id = new_work
    session.flush()


def set_role(session: Session, instrument: Instrument, role: str) -> LanguageVersion:
    """Record a language version's role as the Secretariat knows it."""
    assert instrument.id is not None
    if role not in ROLES:
        raise LanguageVersionError(instrument.id, f"role must be one of {', '.join(ROLES)}")
    row = row_of(session, instrument.id)
    if row is None:
        raise LanguageVersionError(instrument.id, "not a language version of another instrument")
    row.role = role
    session.flush()
    return row


def publisher_edition_key(instrument: Instrument) -> str:
    """The edition key a publisher gave (ODC's dataset, NSPC's id: the same record in each
    language), or ''; a key the tracker derived from type and number alone is not one."""
    key = instrument.edition_key
    derived = re.compile(rf"{re.escape(instrument.source_id)}:[^:]+:\d+(?:/\d+)?")
    return "" if not key or derived.fullmatch(key) else key


def attach_automatically(session: Session, instrument: Instrument) -> LanguageVersion | None:
    """Attach a document to the work of an instrument in another language whose type,
    number and date agree, or that its publisher names as the same record in another
    language (a shared edition key); None when there is none, or more than one work fits."""
    if (
        instrument.id is None
        or instrument.language in ("", MIXED)
        or row_of(session, instrument.id)
    ):
        return None
    key = work_key(instrument)
    edition = publisher_edition_key(instrument)
    if key is None and not edition:
        return None
    others = select(Instrument).where(
        Instrument.id != instrument.id,
        Instrument.language != instrument.language,
        col(Instrument.language).not_in(("", MIXED)),
    )
    candidates = (
        list(session.exec(others.where(Instrument.edition_key == edition))) if edition else []
    )
    if key is not None:
        candidates += session.exec(others.where(Instrument.signed_date == instrument.signed_date))
    works: dict[int, Instrument] = {}
    for other in candidates:
        assert other.id is not None
        same_record = bool(edition) and other.edition_key == edition
        if not same_record and (key is None or work_key(other) != key):
            continue
        work = work_id_of(session, other.id)
        if any(e.language == instrument.language for e in expressions(session, work)):
            continue
        works.setdefault(work, other)
    if len(works) != 1:
        if works:
            logger.warning(
                "instrument %s fits works %s: attach it by hand", instrument.id, sorted(works)
            )
        return None
    [(_, other)] = works.items()
    return attach(session, instrument, other, by=AUTO)


def merge_agreeing(session: Session, instruments: Sequence[Instrument]) -> int:
    """Attach, in id order, every instrument that agrees with one in another language;
    the number attached."""
    attached = 0
    for instrument in sorted(instruments, key=lambda i: i.id or 0):
        if attach_automatically(session, instrument) is not None:
            attached += 1
    return attached
