"""A change's numbers linked to their parameters: two shares moved to the same value link each
its own parameter, and a table row's change links that row's parameters; a reworded clause
keeps its parameter."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from parsers.compare.parameters import readings
from parsers.document import Document, Section, Table
from tracker.models import Instrument, Source, Version
from tracker.parameter_record import record
from tracker.parameters import links_for_change, parameters
from web.rendering import make_templates
from web.translations import load_translations

CALL = '{% from "parameter_numbers.html" import number_pairs %}{{ number_pairs(numbers, links) }}'


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        s.add(Source(id="s", name="Ministry"))
        s.flush()
        yield s


def _document(text: str, table: Table) -> Document:
    section = Section("Article 3", "Contribution rate", text, "article", "3")
    return dataclasses.replace(
        Document.empty(), sections=(section,), text=text, tables=(table,), language="en"
    )


def _record(s: Session, instrument: Instrument, document: Document, day: int) -> int:
    assert instrument.id is not None
    version = Version(
        instrument_id=instrument.id, url=instrument.url, sha256=str(day),
        fetched_at=datetime(2024 + day, 3, 4, tzinfo=UTC), document=document.to_json(),
    )  # fmt: skip
    s.add(version)
    s.flush()
    record(s, version, readings(document))
    assert version.id is not None
    return version.id


def test_equal_new_values_link_each_its_own_parameter(session: Session) -> None:
    s = session
    instrument = Instrument(source_id="s", url="http://x/38.pdf", language="en", title="SD 38")
    s.add(instrument)
    s.flush()
    assert instrument.id is not None

    def text(share: int) -> str:
        return f"The employer pays {share}% and the worker pays {share}% of the wage."

    def table(budget: str) -> Table:
        return Table(rows=(("Programme", "2026 (KHR million)"), ("Social pension", budget)))

    _record(s, instrument, _document(text(2), table("95,000")), 0)
    version = _record(s, instrument, _document(text(3), table("120,000")), 1)

    links = links_for_change(s, instrument.id, version, "Article 3")
    first = links[("%", 3.0)]
    second = first.nth(1)
    assert first.label == "Contribution rate, employer share"
    assert second is not None and second.label == "Contribution rate, worker share"
    assert first.nth(2) is None
    assert first.story == second.story == "the first increase since 2024"
    numbers = [
        {"old": 2.0, "new": 3.0, "unit": "%"},
        {"old": 2.0, "new": 3.0, "unit": "%"},
    ]
    html = (
        make_templates(load_translations())["en"]
        .env.from_string(CALL)
        .render(numbers=numbers, links=links)
    )
    linked = re.findall(r'href="/parameters/(\d+)" title="([^"]+)"', html)
    assert [label for _, label in linked] == [first.label, second.label]

    # the change the table comparison records for the row links the row's parameter
    cell = links_for_change(
        s, instrument.id, version, 'Table 1, row "Social pension", column "2026 (KHR million)"'
    )
    assert [link.label for link in cell.values()] == ["Social pension, 2026"]
    assert list(cell) == [("KHR", 120e9)]


def _stated(s: Session, instrument: Instrument, bodies: list[str], day: int) -> None:
    sections = tuple(
        Section(f"Article {n}", "", body, "article", str(n)) for n, body in enumerate(bodies, 1)
    )
    document = dataclasses.replace(
        Document.empty(), sections=sections, text="\n".join(bodies), language="en"
    )
    _record(s, instrument, document, day)


def test_a_reworded_clause_keeps_its_parameter_and_another_quantity_does_not(
    session: Session,
) -> None:
    s = session
    instrument = Instrument(source_id="s", url="http://x/95.pdf", language="en", title="P 95")
    s.add(instrument)
    s.flush()
    _stated(s, instrument, ["A maternity allowance of 70% of the wage is paid.",
                            "The registration fee is KHR 10,000."], 0)  # fmt: skip
    _stated(s, instrument, ["A maternity benefit of 100% of the wage is paid.",
                            "The late fine is KHR 50,000."], 1)  # fmt: skip
    histories = {v.label: [h.value for h in v.history] for v in parameters(s)}
    assert histories == {
        "maternity benefit": [70.0, 100.0],  # reworded: one parameter, its newest label
        "registration fee": [10_000.0],  # another thing in its place: another parameter
        "late fine": [50_000.0],
    }
