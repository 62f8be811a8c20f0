"""The same provision across a work's language versions: the provisions of two texts
aligned by reference (by structure and numbers), the counterpart text recorded for each
change, and the newest readable version of each text. Functions take an open session and
leave committing to the caller."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlmodel import Session, col, select

from parsers.compare.crosscheck import crosscheck
from parsers.document import Document
from tracker.history import document_of
from tracker.languages import siblings
from tracker.models import Change, ChangeCounterpart, Instrument, Version


def _base_ref(ref: str) -> str:
    """The section a point belongs to: ``មាត្រា ៣ ចំណុច ក`` and ``Article 3(a)`` -> the article."""
    ref = re.sub(r"\s+ចំណុច\s+\S+$", "", ref)
    return re.sub(r"\([a-z]\)$", "", ref)


def aligned_refs(a: Document, b: Document) -> dict[str, str]:
    """Each section ref of ``a`` with its counterpart's ref in ``b`` (the cross-language
    alignment by structure and numbers)."""
    pairs: dict[str, str] = {}
    for provision in crosscheck(a, b).provisions:
        if provision.a_ref is None or provision.b_ref is None:
            continue
        pairs.setdefault(_base_ref(provision.a_ref), _base_ref(provision.b_ref))
    return pairs


def readable_version(session: Session, instrument_id: int) -> Version | None:
    """The newest version of an instrument that was read."""
    statement = (
        select(Version)
        .where(Version.instrument_id == instrument_id, col(Version.document).is_not(None))
        .order_by(col(Version.fetched_at).desc(), col(Version.id).desc())
    )
    return session.exec(statement).first()


def record_counterparts(
    session: Session, instrument: Instrument, document: Document, changes: Sequence[Change]
) -> list[ChangeCounterpart]:
    """For each change of ``document`` (a new version of ``instrument``), the text of the
    same provision in each other language version of the work, as last read."""
    assert instrument.id is not None
    found: list[ChangeCounterpart] = []
    for other in siblings(session, instrument.id):
        version = readable_version(session, other.instrument_id)
        other_document = document_of(version)
        if version is None or version.id is None or other_document is None:
            continue
        pairs = aligned_refs(document, other_document)
        sections = {s.ref: s for s in other_document.sections}
        for change in changes:
            ref = pairs.get(change.new_ref or "")
            if change.id is None or ref is None or ref not in sections:
                continue
            found.append(
                ChangeCounterpart(
                    change_id=change.id,
                    instrument_id=other.instrument_id,
                    version_id=version.id,
                    language=other.language,
                    ref=ref,
                    text=sections[ref].text,
                )
            )
    session.add_all(found)
    session.flush()
    return found


def counterparts(session: Session, change_id: int) -> list[ChangeCounterpart]:
    statement = (
        select(ChangeCounterpart)
        .where(ChangeCounterpart.change_id == change_id)
        .order_by(col(ChangeCounterpart.id))
    )
    return list(session.exec(statement))
