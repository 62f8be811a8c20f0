"""Alerts made by the real reader, comparison, matcher and outbox from a Khmer and an
English sub-decree (contribution rates with the employer's and worker's shares, indexation
every year -> every two years), for the web tests of the officer's day (issue 16)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from alerts.deliver.outbox import record_alert
from alerts.match.matcher import Matcher
from parsers.compare.diff import compare
from parsers.read.reader import read
from tests.web.conftest import POSITIONS, XSS
from tracker.models import Change, Instrument, Version

KM_OLD = """អនុក្រឹត្យស្តីពីរបបសន្តិសុខសង្គមផ្នែកសោធននិវត្តន៍

មាត្រា ៣.- អត្រាភាគទាន
អត្រាភាគទានសោធននិវត្តន៍ត្រូវបានកំណត់ត្រឹម ៤% នៃប្រាក់ឈ្នួលប្រចាំខែ ក្នុងនោះនិយោជកបង់ ២% និងកម្មករនិយោជិតបង់ ២%។

មាត្រា ៨.- និយ័តកម្ម
សោធននិវត្តន៍ត្រូវធ្វើនិយ័តកម្មរៀងរាល់ឆ្នាំ ដោយផ្អែកលើសន្ទស្សន៍ថ្លៃទំនិញប្រើប្រាស់។
"""
KM_NEW = KM_OLD.replace("៤% នៃ", "៦% នៃ").replace("បង់ ២%", "បង់ ៣%")
KM_NEW = KM_NEW.replace("រៀងរាល់ឆ្នាំ", "រៀងរាល់ពីរឆ្នាំម្តង")
EN_OLD = f"""Sub-decree on Pensions {XSS}

Article 3. Contribution rate
The pension contribution rate is 4% of the monthly wage, of which the employer pays 2% \
and the worker pays 2%.

Article 7. Indexation
Pensions shall be adjusted every year to the consumer price index.
"""
EN_NEW = EN_OLD.replace("is 4%", "is 6%").replace("pays 2%", "pays 3%")
EN_NEW = EN_NEW.replace("every year", "every two years")
KM_TITLE = "អនុក្រឹត្យលេខ ៣៨ ស្តីពីសោធននិវត្តន៍"
EN_TITLE = f"Sub-decree 38 on pensions {XSS}"


@dataclass(frozen=True)
class Alerts:
    km: int
    en: int
    km_instrument: int


TEXTS = {"km": (KM_TITLE, KM_OLD, KM_NEW), "en": (EN_TITLE, EN_OLD, EN_NEW)}


def add_alert(s: Any, language: str, day: int) -> int:
    """The alert of the sub-decree in ``language`` changed on ``day`` of November 2026
    (source ``nssf-legal`` must exist); returns its id. The caller commits."""
    title, old, new = TEXTS[language]
    instrument = Instrument(
        source_id="nssf-legal",
        url=f"https://www.nssf.gov.kh/docs/{language}-38.pdf",
        title=title,
        type="sub-decree",
        language=language,
    )
    s.add(instrument)
    s.flush()
    assert instrument.id is not None
    versions = []
    for n, text in enumerate((old, new)):
        version = Version(
            instrument_id=instrument.id,
            url=instrument.url,
            fetched_at=datetime(2026, 11, day + n, 3, 0, tzinfo=UTC),
            sha256=f"{language}{n}".ljust(64, "0"),
            language=language,
            method="text",
            text=text,
        )
        s.add(version)
        versions.append(version)
    s.flush()
    changes = compare(read(old.encode()), read(new.encode()))
    rows = []
    for change in changes:
        data = change.to_json()
        rows.append(
            Change(
                instrument_id=instrument.id,
                old_version_id=versions[0].id,
                new_version_id=versions[1].id or 0,
                kind=change.kind,
                old_ref=change.old_ref,
                new_ref=change.new_ref,
                heading=change.heading,
                old_text=change.old_text,
                new_text=change.new_text,
                numbers=data["numbers"],
                ops=[op.to_json() for op in change.ops],
            )
        )
    s.add_all(rows)
    s.flush()
    matcher = Matcher(POSITIONS)
    alert = record_alert(
        s,
        instrument=instrument,
        version=versions[1],
        change_rows=rows,
        flags=[matcher.flag(c) for c in changes],
        channels=[],
        source_id="nssf-legal",
        baseline=False,
        now=datetime(2026, 11, day + 1, 4, 0, tzinfo=UTC),
        positions={p.id: p for p in POSITIONS},
    )
    assert alert is not None and alert.id is not None
    return alert.id


__all__ = ["POSITIONS", "Alerts", "add_alert"]
