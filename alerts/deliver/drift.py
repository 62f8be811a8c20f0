"""Drift between the language versions of one instrument, as notices sent exactly once.

Two kinds, both source notices (the outbox of source-health alerts: channels that ask for
``source_health`` or ``*`` get them, each once), worded in each channel's language from the
facts they carry (``alerts/deliver/templates/translation-*.<language>.txt.j2``; Khmer with Khmer
digits and dates):

- ``translation-lag``: "the Khmer version changed on D; the English translation has not
  followed after N days", once per change of the official text and translation;
- ``translation-numbers``: "numbers disagree between the Khmer and English versions of
  Article 5: 70% vs 75%", once per disagreement (the same values on the same provisions
  are never notified twice, whichever versions carry them).

The cross-language check is :func:`parsers.compare.crosscheck.crosscheck`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from alerts.deliver.channels import Channel
from alerts.deliver.messages import notice_summary
from alerts.deliver.outbox import enqueue_source_alert
from alerts.deliver.plain_text import plain
from parsers.compare.crosscheck import Provision, Value, crosscheck
from tracker import languages
from tracker.counterparts import readable_version
from tracker.history import document_of, latest_version
from tracker.models import Instrument, LanguageVersion, Version

logger = logging.getLogger(__name__)

LAG, NUMBERS = "translation-lag", "translation-numbers"


def _quantities(values: Sequence[Value]) -> list[dict[str, Any]]:
    return [{"value": v.value, "unit": v.unit} for v in values]


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _title(instrument: Instrument) -> str:
    return plain(
        instrument.title or f"{instrument.type} {instrument.number}".strip() or instrument.url,
        160,
        single_line=True,
    )


def numbers_facts(
    official: languages.Expression, translation: languages.Expression, provision: Provision
) -> dict[str, Any]:
    """What a numbers notice says, worded per reader by ``translation-numbers.<lang>``:
    ``numbers disagree between the Khmer and English versions of Article 5 (មាត្រា ៥):
    70% vs 75%`` / ``តួលេខមិនស៊ីគ្នា... នៃមាត្រា ៥ (Article 5)៖ ៧០% ទល់នឹង ៧៥%``."""
    return {
        "official": official.language,
        "translation": translation.language,
        "official_ref": plain(provision.a_ref or "", 120, single_line=True),
        "translation_ref": plain(provision.b_ref or "", 120, single_line=True),
        "official_values": _quantities(provision.a_only),
        "translation_values": _quantities(provision.b_only),
    }


def _summary(kind: str, facts: dict[str, Any]) -> str:
    """The stored (English) summary, the line lists and the web show."""
    line = notice_summary(kind, facts, "en")
    assert line is not None, f"no English template for {kind}"
    return line


def _enqueue(
    session: Session,
    kind: str,
    key: str,
    severity: str,
    instrument: Instrument,
    url: str,
    facts: dict[str, Any],
    channels: Sequence[Channel],
    now: datetime,
) -> int:
    """Queue one notice of ``kind`` about ``instrument`` (once per ``key``); its id."""
    return enqueue_source_alert(
        session,
        key=key,
        source_id=instrument.source_id,
        kind=kind,
        severity=severity,
        summary=_summary(kind, facts),
        detail=_title(instrument),
        url=url,
        channels=channels,
        now=now,
        facts=facts,
    )


def check_numbers(
    session: Session, instrument_id: int, *, channels: Sequence[Channel], now: datetime
) -> list[int]:
    """Compare the official text of the instrument's work with each translation, as last
    read; queue one notice per disagreement not notified before. The notices' ids."""
    official = languages.official_of(session, instrument_id)
    if official is None:
        return []
    official_version = readable_version(session, official.instrument_id)
    official_document = document_of(official_version)
    if official_version is None or official_document is None:
        return []
    queued: list[int] = []
    for translation in languages.siblings(session, official.instrument_id):
        version = readable_version(session, translation.instrument_id)
        document = document_of(version)
        instrument = session.get(Instrument, translation.instrument_id)
        if version is None or document is None or instrument is None:
            continue
        for provision in crosscheck(official_document, document).disagreements:
            fingerprint = "|".join(
                [
                    provision.a_ref or "",
                    provision.b_ref or "",
                    ";".join(f"{v.value}{v.unit}" for v in provision.a_only),
                    ";".join(f"{v.value}{v.unit}" for v in provision.b_only),
                ]
            )
            digest = hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:24]
            facts = numbers_facts(official, translation, provision)
            key = f"{NUMBERS}:{official.work_id}:{translation.instrument_id}:{digest}"
            queued.append(
                _enqueue(
                    session, NUMBERS, key, "medium", instrument, version.url, facts, channels, now
                )
            )
    return queued


def check_lag(
    session: Session, *, lag_days: int, channels: Sequence[Channel], now: datetime
) -> list[int]:
    """For every work whose official text changed ``lag_days`` or more days ago and a
    translation not fetched anew since, one notice (once per change and translation)."""
    works = session.exec(select(LanguageVersion.work_id).distinct()).all()
    queued: list[int] = []
    for work in sorted(works):
        official = next(
            (e for e in languages.expressions(session, work) if e.role == languages.OFFICIAL),
            None,
        )
        if official is None:
            continue
        versions = session.exec(
            select(Version)
            .where(Version.instrument_id == official.instrument_id)
            .order_by(col(Version.fetched_at).desc(), col(Version.id).desc())
        ).all()
        if len(versions) < 2:
            continue  # the official text never changed
        changed = versions[0]
        changed_at = _aware(changed.fetched_at)
        days = (now - changed_at).days
        if days < lag_days:
            continue
        for translation in languages.siblings(session, official.instrument_id):
            latest = latest_version(session, translation.instrument_id)
            instrument = session.get(Instrument, translation.instrument_id)
            if latest is None or instrument is None or _aware(latest.fetched_at) >= changed_at:
                continue
            facts = {
                "official": official.language,
                "translation": translation.language,
                "changed_on": f"{changed_at:%Y-%m-%d}",
                "days": days,
            }
            key = f"{LAG}:{translation.instrument_id}:{changed.id}"
            queued.append(
                _enqueue(session, LAG, key, "low", instrument, instrument.url, facts, channels, now)
            )
    return queued
