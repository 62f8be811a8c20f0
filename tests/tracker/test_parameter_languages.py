"""One parameter in two languages: a translation's parameters tied to the official text's by
provision, unit and value history, when the translation lags, states a quantity more, or
states a provision's quantities in another order. English and Khmer."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from parsers.compare.parameters import readings
from parsers.document import Document, Section, Table
from tracker import languages
from tracker.models import Instrument, Source, Version
from tracker.parameter_languages import link_languages
from tracker.parameter_record import record
from tracker.parameters import parameters

KM_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")
KM = [
    "ស្ត្រីមានសិទ្ធិទទួលប្រាក់ឧបត្ថម្ភមាតុភាពស្មើនឹង {rate}% នៃប្រាក់ឈ្នួល។",
    "ការឈប់សម្រាកមាតុភាពមានរយៈពេល {days} ថ្ងៃ។",
    "ការពិន័យគឺ {fine_km} រៀល។ ការពិន័យបន្ថែមគឺ 100.000 រៀល។",
]
EN = [
    "A woman is entitled to a maternity benefit equal to {rate}% of her wage.",
    # one quantity more than the Khmer text states
    "The maternity leave lasts {days} days, of which at least 30 days after childbirth.",
    # the Khmer text's two quantities in the other order
    "An additional fine of KHR 100,000 is due. The fine is KHR {fine}.",
]


def _document(bodies: list[str], khmer: bool, **values: object) -> dict:
    keyword = "មាត្រា" if khmer else "Article"
    sections = []
    for n, body in enumerate(bodies, start=1):
        text = body.format(**values)
        number = str(n).translate(KM_DIGITS) if khmer else str(n)
        sections.append(
            Section(f"{keyword} {number}", "", text.translate(KM_DIGITS) if khmer else text)
        )
    document = dataclasses.replace(
        Document.empty(),
        sections=tuple(sections),
        text="\n".join(s.text for s in sections),
        language="km" if khmer else "en",
    )
    return document.to_json()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        s.add(Source(id="s", name="Ministry"))
        s.flush()
        yield s


def _version(s: Session, instrument: Instrument, document: dict, day: int) -> None:
    assert instrument.id is not None
    version = Version(
        instrument_id=instrument.id,
        url=instrument.url,
        sha256=f"{instrument.id}-{day}",
        fetched_at=datetime(2025, 9, day, tzinfo=UTC),
        document=document,
        language=instrument.language,
    )
    s.add(version)
    s.flush()
    read = readings(Document.from_json(document))
    record(s, version, read)
    link_languages(s, instrument.id)


def test_a_lagging_translation_with_a_quantity_more_is_tied_to_the_official_text(
    session: Session,
) -> None:
    s = session
    km = Instrument(source_id="s", url="http://x/km.pdf", language="km", title="ប្រកាស ០៩៥")
    en = Instrument(source_id="s", url="http://x/en.pdf", language="en", title="Prakas 095")
    s.add_all([km, en])
    s.flush()
    languages.attach(s, en, km, by="test", role="unofficial_translation")
    first = {"rate": 70, "days": 90, "fine": "500,000", "fine_km": "500.000"}
    _version(s, km, _document(KM, True, **first), 1)
    _version(s, en, _document(EN, False, **first), 1)
    # the Khmer text moves; the English translation has not followed yet
    _version(s, km, _document(KM, True, rate=100, days=98, fine_km="1.000.000"), 2)

    views = {v.id: v for v in parameters(s)}
    english = {
        (v.label, v.history[-1].value): v for v in views.values() if v.instrument_id == en.id
    }

    def counterpart(label: str, value: float) -> tuple[str, tuple[float, ...]]:
        target = views[english[(label, value)].counterpart_id or 0]
        return target.label, tuple(h.value for h in target.history)

    assert counterpart("maternity benefit", 70) == ("ប្រាក់ឧបត្ថម្ភមាតុភាព", (70, 100))
    assert counterpart("maternity leave", 90) == ("ការឈប់សម្រាកមាតុភាព", (90, 98))
    assert english[("maternity leave, minimum", 30)].counterpart_id is None  # the English says more
    assert counterpart("fine", 500_000) == ("ការពិន័យ", (500_000, 1_000_000))
    assert counterpart("additional fine", 100_000) == ("ការពិន័យបន្ថែម", (100_000,))
    # the official text lists the translation's parameters beside its own
    km_leave = views[english[("maternity leave", 90)].counterpart_id or 0]
    assert km_leave.translations == (english[("maternity leave", 90)].id,)


def test_shares_are_tied_by_whose_share_they_are_when_values_do_not_tell(
    session: Session,
) -> None:
    """The Khmer text names the employer's share first, the English translation the
    worker's, and repeats both in a table; the Khmer employer's share moves, the English
    lags: each English share still finds its own party's."""
    s = session
    km = Instrument(source_id="s", url="http://x/km38.pdf", language="km", title="អនុក្រឹត្យ ៣៨")
    en = Instrument(source_id="s", url="http://x/en38.pdf", language="en", title="Sub-decree 38")
    s.add_all([km, en])
    s.flush()
    languages.attach(s, en, km, by="test", role="unofficial_translation")
    khmer = ["អត្រាភាគទានគឺ {total}% ដែលនិយោជកបង់ {employer}% និងកម្មករបង់ ២%។"]
    table_lines = "Party Share of the wage\nEmployer 2%\nWorker 2%"
    english = ["The contribution rate is 4%: the worker pays 2% and the employer pays 2%.\n"
               + table_lines]  # fmt: skip
    table = Table(rows=(("Party", "Share of the wage"), ("Employer", "2%"), ("Worker", "2%")))
    _version(s, km, _document(khmer, True, total=4, employer=2), 1)
    _version(s, en, {**_document(english, False), "tables": [table.to_json()]}, 1)
    _version(s, km, _document(khmer, True, total=5, employer=3), 2)

    views = {v.id: v for v in parameters(s)}
    tied = {
        v.label: views[v.counterpart_id].label if v.counterpart_id else None
        for v in views.values()
        if v.instrument_id == en.id
    }
    assert tied == {
        "contribution rate": "អត្រាភាគទាន",
        "contribution rate, worker share": "អត្រាភាគទានរបស់កម្មករ",
        "contribution rate, employer share": "អត្រាភាគទានរបស់និយោជក",
        # the table says it again: the same parameters of the Khmer text
        "Employer, Share of the wage": "អត្រាភាគទានរបស់និយោជក",
        "Worker, Share of the wage": "អត្រាភាគទានរបស់កម្មករ",
    }
