from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import select

from parsers.compare.change import Change as ParsedChange
from parsers.compare.change import DiffOp, NumberChange
from parsers.document import Document, Section
from tracker import history
from tracker.database import session
from tracker.models import Change, Instrument, Version

WHEN = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)


def _doc(text: str, sha: str, language: str = "km") -> Document:
    text = "លេខ ៣២ អនក្រ.បក\nអនុក្រឹត្យ\nស្តីពីរបបសោធននិវត្តន៍\n" + text
    return Document(
        text=text,
        raw_text=text + " raw",
        language=language,  # type: ignore[arg-type]
        pages=1,
        method="text",
        sections=(Section("មាត្រា ៤", "អត្រាភាគទាន", text, "article", "4"),),
        sha256=sha,
        content_type="application/pdf",
        title="អនុក្រឹត្យ ស្តីពីរបបសោធននិវត្តន៍",
    )


def _fetched(
    sha: str, url: str = "http://127.0.0.1/sd32.pdf", etag: str = '"v1"'
) -> history.Fetched:
    return history.Fetched(
        source_id="demo",
        url=url,
        sha256=sha,
        size=10,
        content_type="application/pdf",
        fetched_at=WHEN,
        etag=etag,
        title="អនុក្រឹត្យលេខ ៣២",
    )


def test_new_then_unchanged_then_changed(engine: Engine) -> None:
    with session(engine) as s:
        history.ensure_source(s, "demo", "Demo", "listing")
        first = history.store_fetched(s, _fetched("a" * 64), _doc("អត្រាភាគទាន ៤%", "a" * 64))
        s.commit()
        assert first.status == "new" and first.previous is None
        assert first.instrument.title == "អនុក្រឹត្យលេខ ៣២"
        assert first.instrument.language == "km"
        assert first.instrument.type == "sub-decree"
        assert first.instrument.number == "៣២ អនក្រ.បក"

        again = history.store_fetched(s, _fetched("a" * 64, etag='"v1b"'), None)
        s.commit()
        assert again.status == "unchanged"
        assert again.version.id == first.version.id
        assert again.version.etag == '"v1b"'  # fresher validators kept for the next crawl

        second = history.store_fetched(s, _fetched("b" * 64), _doc("អត្រាភាគទាន ៦%", "b" * 64))
        s.commit()
        assert second.status == "changed"
        assert second.previous is not None and second.previous.id == first.version.id
        assert len(s.exec(select(Version)).all()) == 2
        assert len(s.exec(select(Instrument)).all()) == 1


def test_document_round_trips_through_the_database(engine: Engine) -> None:
    original = _doc("មាត្រា ៤ អត្រាភាគទាន ៤%", "c" * 64)
    with session(engine) as s:
        history.ensure_source(s, "demo")
        stored = history.store_fetched(s, _fetched("c" * 64), original)
        s.commit()
        version_id = stored.version.id
    with session(engine) as s:
        version = s.get(Version, version_id)
        rebuilt = history.document_of(version)
    assert rebuilt is not None
    assert rebuilt.sections == original.sections
    assert rebuilt.text == original.text and rebuilt.raw_text == original.raw_text
    assert rebuilt.title == original.title and rebuilt.language == "km"


def test_unreadable_version_is_kept_and_skipped_as_a_comparison_base(engine: Engine) -> None:
    with session(engine) as s:
        history.ensure_source(s, "demo")
        good = history.store_fetched(s, _fetched("d" * 64), _doc("text", "d" * 64))
        bad = history.store_fetched(s, _fetched("e" * 64), None, "corrupt PDF")
        s.commit()
        assert bad.version.parse_error == "corrupt PDF"
        base = history.last_readable_version(s, bad.instrument.id or 0, bad.version)
        assert base is not None and base.id == good.version.id


def test_validators_by_url_skip_unreadable_versions(engine: Engine) -> None:
    with session(engine) as s:
        history.ensure_source(s, "demo")
        history.store_fetched(
            s, _fetched("f" * 64, url="http://127.0.0.1/a.pdf"), _doc("a", "f" * 64)
        )
        history.store_fetched(
            s, _fetched("1" * 64, url="http://127.0.0.1/b.pdf", etag='"b"'), None, "bad"
        )
        s.commit()
        found = history.validators(s, "demo")
    assert found == {"http://127.0.0.1/a.pdf": {"etag": '"v1"', "last_modified": ""}}


def test_changes_store_numbers_and_ops(engine: Engine) -> None:
    change = ParsedChange(
        kind="modified",
        old_ref="Article 4",
        new_ref="Article 4",
        old_text="The contribution rate is 4%.",
        new_text="The contribution rate is 6%.",
        numbers=(NumberChange(4.0, 6.0, "%", "4%", "6%"),),
        heading="Contribution rate",
        ops=(
            DiffOp("equal", "The contribution rate is ", "The contribution rate is "),
            DiffOp("replace", "4%", "6%"),
        ),
    )
    with session(engine) as s:
        history.ensure_source(s, "demo")
        one = history.store_fetched(s, _fetched("2" * 64), _doc("x", "2" * 64, "en"))
        two = history.store_fetched(s, _fetched("3" * 64), _doc("y", "3" * 64, "en"))
        rows = history.store_changes(
            s, one.instrument.id or 0, one.version.id, two.version.id or 0, [change]
        )
        s.commit()
        stored = s.exec(select(Change)).one()
    assert rows[0].id == stored.id
    assert stored.numbers == [
        {"old": 4.0, "new": 6.0, "unit": "%", "old_text": "4%", "new_text": "6%", "label": ""}
    ]
    assert stored.ops[1] == {"tag": "replace", "old": "4%", "new": "6%"}


def test_touch_marks_known_instruments_only(engine: Engine) -> None:
    later = datetime(2026, 12, 1, tzinfo=UTC)
    with session(engine) as s:
        history.ensure_source(s, "demo")
        stored = history.store_fetched(s, _fetched("4" * 64), _doc("x", "4" * 64))
        s.commit()
        assert history.touch(s, "demo", stored.instrument.url, later)
        assert not history.touch(s, "demo", "http://127.0.0.1/unknown.pdf", later)
        s.commit()
        assert s.get(Instrument, stored.instrument.id).last_seen_at == later  # type: ignore[union-attr]
