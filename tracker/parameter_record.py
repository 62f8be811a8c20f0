"""Recording the parameter registry: each version's readings added to its instrument's
parameters in the order the versions were fetched (a reworded clause keeps its parameter's
history), and the registry rebuilt by replaying every stored version in that order, so a
store filled before the registry existed gets the registry a fresh crawl would have built."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from difflib import SequenceMatcher

from sqlmodel import Session, col, delete, select

from parsers.compare.parameter_roles import is_khmer, role_signs
from parsers.compare.parameters import Reading
from tracker.history import document_of
from tracker.models import Parameter, ParameterValue, Version
from tracker.parameter_languages import link_languages


def _last_value(session: Session, parameter_id: int) -> ParameterValue | None:
    statement = (
        select(ParameterValue)
        .where(ParameterValue.parameter_id == parameter_id)
        .order_by(col(ParameterValue.seen_at).desc(), col(ParameterValue.id).desc())
    )
    return session.exec(statement).first()


def record(session: Session, version: Version, readings: Sequence[Reading]) -> int:
    """Add ``version``'s readings to its instrument's parameters; the number of new values
    (a value equal to the parameter's last one adds nothing)."""
    assert version.id is not None
    existing = {
        p.key: p
        for p in session.exec(
            select(Parameter).where(Parameter.instrument_id == version.instrument_id)
        )
    }
    reworded = _reworded(session, version, readings, existing)
    added = 0
    for reading in readings:
        parameter = existing.get(reading.key) or reworded.get(reading.key)
        if parameter is not None and parameter.key != reading.key:
            del existing[parameter.key]
            parameter.key = reading.key
            existing[reading.key] = parameter
        if parameter is None:
            parameter = Parameter(
                instrument_id=version.instrument_id, key=reading.key, label="", unit=""
            )
            existing[reading.key] = parameter
        parameter.label, parameter.unit = reading.label, reading.unit
        parameter.ref, parameter.heading = reading.ref, reading.heading
        parameter.positions = list(reading.positions)
        parameter.last_version_id = version.id
        session.add(parameter)
        session.flush()
        assert parameter.id is not None
        last = _last_value(session, parameter.id)
        if last is not None and last.value == reading.value:
            continue
        session.add(
            ParameterValue(
                parameter_id=parameter.id,
                version_id=version.id,
                value=reading.value,
                text=reading.text,
                ref=reading.ref,
                clause=reading.clause,
                sha256=version.sha256,
                seen_at=version.fetched_at,
                effective_date=reading.effective_date,
            )
        )
        added += 1
    session.flush()
    return added


def _previous_version_id(session: Session, version: Version, found: Iterable[Parameter]) -> int:
    """The version recorded before ``version`` (the newest any parameter was last seen in)."""
    ids = {p.last_version_id for p in found if p.last_version_id not in (None, version.id)}
    if not ids:
        return 0
    statement = (
        select(Version.id)
        .where(col(Version.id).in_(ids))
        .order_by(col(Version.fetched_at).desc(), col(Version.id).desc())
    )
    return session.exec(statement).first() or 0


def _alike(a: str, b: str) -> bool:
    """Two labels of one thing reworded: a content word in common ("maternity allowance",
    "maternity benefit"), or for Khmer, written mostly alike."""
    if is_khmer(a) or is_khmer(b):
        return SequenceMatcher(None, a, b, autojunk=False).ratio() >= _KHMER_ALIKE
    return bool(_content_words(a) & _content_words(b))


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.casefold()) if len(w) > 3}


_KHMER_ALIKE = 0.6


def _reworded(
    session: Session, version: Version, readings: Sequence[Reading], existing: dict[str, Parameter]
) -> dict[str, Parameter]:
    """New keys of ``readings`` that continue a parameter the previous version stated and this
    one no longer does, in the same provision and unit: one on each side, the same roles,
    and the same value or labels alike (a reworded clause keeps its parameter's history)."""
    previous = _previous_version_id(session, version, existing.values())
    keys = {r.key for r in readings}
    gone: dict[tuple[str, str], list[Parameter]] = {}
    for p in existing.values():
        if p.last_version_id == previous and p.key not in keys:
            gone.setdefault((p.ref, p.unit), []).append(p)
    fresh: dict[tuple[str, str], list[Reading]] = {}
    for r in readings:
        if r.key not in existing:
            fresh.setdefault((r.ref, r.unit), []).append(r)
    out: dict[str, Parameter] = {}
    for where, [reading] in ((w, rs) for w, rs in fresh.items() if len(rs) == 1):
        if len(candidates := gone.get(where, [])) != 1:
            continue
        parameter = candidates[0]
        assert parameter.id is not None
        last = _last_value(session, parameter.id)
        same_value = last is not None and last.value == reading.value
        if role_signs(parameter.label) == role_signs(reading.label) and (
            same_value or _alike(parameter.label, reading.label)
        ):
            out[reading.key] = parameter
    return out


def rebuild(
    session: Session,
    read: Callable[[Version], Sequence[Reading]],
    instrument_ids: Iterable[int] | None = None,
) -> int:
    """Build the registry anew from every readable stored version, oldest first; ``read``
    gives a version's readings (positions included). The number of values recorded."""
    ids = list(instrument_ids) if instrument_ids is not None else None
    params = select(Parameter.id)
    if ids is not None:
        params = params.where(col(Parameter.instrument_id).in_(ids))
    session.exec(  # type: ignore[call-overload]
        delete(ParameterValue).where(col(ParameterValue.parameter_id).in_(params))
    )
    stale = delete(Parameter)
    if ids is not None:
        stale = stale.where(col(Parameter.instrument_id).in_(ids))
    session.exec(stale)  # type: ignore[call-overload]
    versions = select(Version).where(col(Version.document).is_not(None))
    if ids is not None:
        versions = versions.where(col(Version.instrument_id).in_(ids))
    versions = versions.order_by(col(Version.fetched_at), col(Version.id))
    total = 0
    instruments: set[int] = set()
    for version in session.exec(versions):
        if document_of(version) is not None:
            total += record(session, version, read(version))
            instruments.add(version.instrument_id)
    for instrument_id in sorted(instruments):
        link_languages(session, instrument_id)
    return total
