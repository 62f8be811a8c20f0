"""Drift between the language versions of one instrument, as notices sent exactly once.

Two kinds, both source notices (the outbox of source-health alerts: channels that ask for
``source_health`` or ``*`` get them, each once):

- ``translation-lag``: "the Khmer version changed on D; the English translation has not
  followed after N days", once per change of the official text and translation;
- ``translation-numbers``: "numbers disagree between the Khmer and English versions of
  Article 5: 70% vs 75%", once per disagreement (the same values on the same provisions
  are never notified twice, whichever versions carry them).

The cross-language check is :func:`parsers.crosscheck.crosscheck`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from alerts.channels import Channel
from alerts.outbox import enqueue_source_alert
from alerts.view import plain
from parsers.crosscheck import Provision, Value, crosscheck
from tracker import languages
from tracker.history import document_of, latest_version
from tracker.models import Instrument, LanguageVersion, Version

logger = logging.getLogger(__name__)

LAG, NUMBERS = "translation-lag", "translation-numbers"
_UNIT_WORDS = {"day": "days", "month": "months", "year": "years", "week": "weeks"}


def format_value(value: Value) -> str:
    """``70%``, ``KHR 1,200,000``, ``USD 10``, ``90 days``."""
    number = f"{value.value:,.2f}".rstrip("0").rstrip(".")
    if value.unit == "%":
        return f"{number}%"
    if value.unit in ("KHR", "USD"):
        return f"{value.unit} {number}"
    unit = value.unit if value.value == 1 else _UNIT_WORDS.get(value.unit, value.unit)
    return f"{number} {unit}".strip()


def _values(values: Sequence[Value]) -> str:
    return ", ".join(format_value(v) for v in values) or "none"


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _title(instrument: Instrument) -> str:
    return plain(
        instrument.title or f"{instrument.type} {instrument.number}".strip() or instrument.url,
        160,
        single_line=True,
    )


def numbers_summary(
    official: languages.Expression, translation: languages.Expression, provision: Provision
) -> str:
    """``numbers disagree between the Khmer and English versions of Article 5: 70% vs 75%``"""
    a_ref, b_ref = provision.a_ref or "", provision.b_ref or ""
    ref = b_ref if translation.language == "en" else a_ref
    other = a_ref if ref == b_ref else b_ref
    named = f"{ref} ({other})" if other and other != ref else ref
    return (
        f"numbers disagree between the {languages.language_name(official.language)} and "
        f"{languages.language_name(translation.language)} versions of {named}: "
        f"{_values(provision.a_only)} vs {_values(provision.b_only)}"
    )


def check_numbers(
    session: Session, instrument_id: int, *, channels: Sequence[Channel], now: datetime
) -> list[int]:
    """Compare the official text of the instrument's work with each translation, as last
    read; queue one notice per disagreement not notified before. The notices' ids."""
    official = languages.official_of(session, instrument_id)
    if official is None:
        return []
    official_version = languages.readable_version(session, official.instrument_id)
    official_document = document_of(official_version)
    if official_version is None or official_document is None:
        return []
    queued: list[int] = []
    for translation in languages.siblings(session, official.instrument_id):
        version = languages.readable_version(session, translation.instrument_id)
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
            summary = numbers_summary(official, translation, provision)
            queued.append(
                enqueue_source_alert(
                    session,
                    key=f"{NUMBERS}:{official.work_id}:{translation.instrument_id}:{digest}",
                    source_id=instrument.source_id,
                    kind=NUMBERS,
                    severity="medium",
                    summary=summary,
                    detail=f"{_title(instrument)}\n{summary}",
                    url=version.url,
                    channels=channels,
                    now=now,
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
            summary = (
                f"the {languages.language_name(official.language)} version changed on "
                f"{changed_at:%Y-%m-%d}; the {languages.language_name(translation.language)} "
                f"translation has not followed after {days} days"
            )
            queued.append(
                enqueue_source_alert(
                    session,
                    key=f"{LAG}:{translation.instrument_id}:{changed.id}",
                    source_id=instrument.source_id,
                    kind=LAG,
                    severity="low",
                    summary=summary,
                    detail=f"{_title(instrument)}\n{summary}",
                    url=instrument.url,
                    channels=channels,
                    now=now,
                )
            )
    return queued
