"""Language versions of one instrument: keys across scripts, attaching by hand and
automatically, detaching, and the migration that merges pairs already stored."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker import languages
from tracker.database import downgrade, migrate, open_engine
from tracker.languages import LanguageVersionError
from tracker.models import Instrument, LanguageVersion, Source


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("អនុក្រឹត្យ", "sub-decree"),
        ("SUB-DECREE", "sub-decree"),
        ("Sub Decree", "sub-decree"),
        ("ប្រកាស", "prakas"),
        ("Prakas", "prakas"),
        ("សេចក្ដីសម្រេច", "decision"),
        ("សេចក្តីសម្រេច", "decision"),
        ("ព្រះរាជក្រឹត្យ", "royal decree"),
        ("ប្រកាសអន្តរក្រសួង", "inter-ministerial prakas"),
        ("novel", ""),
    ],
)
def test_type_names_in_khmer_and_english(name: str, key: str) -> None:
    assert languages.type_key(name) == key


@pytest.mark.parametrize(
    ("number", "key"),
    [
        ("៣៨ អនក្រ.បក", "38"),
        ("38 ANK.BK", "38"),
        ("០៩៥/២៥ ក.ប/ប្រ.ក", "95/25"),
        ("095/25 KB/Pr.K", "95/25"),
        ("ANK.BK", ""),
    ],
)
def test_numbers_in_khmer_and_arabic_digits(number: str, key: str) -> None:
    assert languages.number_key(number) == key


def test_roles_from_language_and_what_the_text_says() -> None:
    assert languages.role_of("km", "UNOFFICIAL TRANSLATION") == "official"
    assert languages.role_of("en", "Unofficial Translation\nSUB-DECREE") == "unofficial_translation"
    assert languages.role_of("en", "Official translation\nLAW") == "official_translation"
    assert languages.role_of("en", "SUB-DECREE on pensions") == "unofficial_translation"


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        s.add(Source(id="s", name="Ministry"))
        s.add(Source(id="odc", name="Open Development Cambodia"))
        s.flush()
        yield s


def _instrument(s: Session, url: str, language: str, **meta: str) -> Instrument:
    row = Instrument(source_id=meta.pop("source", "s"), url=url, language=language, **meta)
    s.add(row)
    s.flush()
    return row


KM = {"type": "sub-decree", "number": "៣៨ អនក្រ.បក", "signed_date": "2024-03-04"}
EN = {"type": "SUB-DECREE", "number": "38 ANK.BK", "signed_date": "2024-03-04"}


@pytest.mark.parametrize("khmer_first", [True, False], ids=["khmer-first", "english-first"])
def test_attached_automatically_when_type_number_and_date_agree(
    session: Session, khmer_first: bool
) -> None:
    first, second = (("km", KM), ("en", EN)) if khmer_first else (("en", EN), ("km", KM))
    a = _instrument(session, "a", first[0], **first[1])
    other_year = _instrument(session, "c", second[0], **{**second[1], "signed_date": "2020-01-02"})
    assert languages.attach_automatically(session, other_year) is None, "another year"
    b = _instrument(session, "b", second[0], source="odc", **second[1])
    row = languages.attach_automatically(session, b)
    assert row is not None and row.work_id == a.id and row.attached_by == "auto"
    official = languages.official_of(session, b.id or 0)
    assert official is not None and official.language == "km"
    assert languages.is_translation(session, (b if khmer_first else a).id or 0)
    assert not languages.is_translation(session, (a if khmer_first else b).id or 0)
    assert {e.publisher for e in languages.expressions(session, a.id or 0)} == {
        "Ministry",
        "Open Development Cambodia",
    }
    # A bilingual print is never taken for a translation by itself.
    mixed = _instrument(session, "m", "mixed", **second[1])
    assert languages.attach_automatically(session, mixed) is None
    # A third text in a language the work already has is not attached.
    again = _instrument(session, "d", second[0], **second[1])
    assert languages.attach_automatically(session, again) is None


def test_the_publishers_edition_key_names_the_same_record(session: Session) -> None:
    """ODC's dataset in Khmer and English: one work though no date is printed; a key the
    tracker derived from type and number alone (any year) is not enough."""
    km = _instrument(session, "odc-km", "km", source="odc", edition_key="odc:sub-decree-1")
    en = _instrument(session, "odc-en", "en", source="odc", edition_key="odc:sub-decree-1")
    row = languages.attach_automatically(session, en)
    assert row is not None and row.work_id == km.id
    derived = _instrument(session, "s-km", "km", type="prakas", edition_key="s:prakas:12")
    other = _instrument(session, "s-en", "en", type="prakas", edition_key="s:prakas:12")
    assert languages.publisher_edition_key(derived) == ""
    assert languages.attach_automatically(session, other) is None
    assert languages.siblings(session, derived.id or 0) == []


def test_attach_and_detach_by_hand(session: Session) -> None:
    km = _instrument(session, "km", "km", **KM)
    en = _instrument(session, "en", "en", type="", number="", signed_date="")
    fr = _instrument(session, "fr", "fr")
    km2 = _instrument(session, "km2", "km")
    assert languages.attach_automatically(session, en) is None, "nothing to go by"
    languages.attach(session, en, km, by="sokha", role="official_translation")
    languages.attach(session, fr, en, by="sokha")  # to the work, whichever text is named
    assert [e.language for e in languages.expressions(session, km.id or 0)] == ["km", "en", "fr"]
    with pytest.raises(LanguageVersionError, match="already has a Khmer text"):
        languages.attach(session, km2, en, by="sokha")
    with pytest.raises(LanguageVersionError, match="already a language version"):
        languages.attach(session, en, fr, by="sokha")
    with pytest.raises(LanguageVersionError, match="itself"):
        languages.attach(session, km, km, by="sokha")
    with pytest.raises(LanguageVersionError, match="role must be one of"):
        languages.attach(session, km2, fr, by="sokha", role="draft")
    # The instrument naming the work leaves: the next one names it.
    languages.detach(session, km)
    assert languages.work_id_of(session, en.id or 0) == en.id
    assert languages.work_id_of(session, fr.id or 0) == en.id
    assert languages.official_of(session, en.id or 0) is None
    languages.detach(session, fr)
    assert session.exec(select(LanguageVersion)).all() == [], "one text left: no work rows"
    with pytest.raises(LanguageVersionError, match="not a language version"):
        languages.detach(session, fr)


_INSTRUMENT = (
    "INSERT INTO instrument (id, source_id, url, title, type, number, issuer, language, status,"
    " listing_date, signed_date, effective_date, edition_key, first_seen_at, last_seen_at,"
    " consultation_deadline, owner_team, notes) VALUES ({id}, 's', '{url}', 't', '{type}',"
    " '{number}', '', '{language}', 'published', '', '{date}', '', '', '2026-01-01',"
    " '2026-01-01', '', '', '')"
)


def test_migration_merges_stored_pairs_that_agree(database_url: str) -> None:
    """On SQLite and, when the suite runs there, on PostgreSQL."""
    engine = open_engine(database_url)
    migrate(engine, "0007_sessions")
    rows = [
        (1, "km-38", "អនុក្រឹត្យ", "៣៨ អនក្រ.បក", "km", "2024-03-04"),
        (2, "en-38", "Sub-Decree", "38 ANK.BK", "en", "2024-03-04"),
        (3, "km-95", "ប្រកាស", "០៩៥/២៥ ក.ប/ប្រ.ក", "km", "2025-09-10"),
        (4, "en-95", "prakas", "95/25 KB/Pr.K", "en", "2025-09-11"),  # another date
        (5, "km-12", "prakas", "12", "km", "2025-01-01"),
        (6, "km-12b", "prakas", "១២", "km", "2025-01-01"),  # two Khmer texts: by hand
        (7, "en-12", "prakas", "12", "en", "2025-01-01"),
    ]
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO source (id, name, spider, baseline_done, consecutive_failures,"
                " health, last_found, cursor) VALUES ('s', 'Ministry', 'listing', true, 0,"
                " 'ok', 0, '')"
            )
        )
        for i, url, kind, number, language, date in rows:
            connection.execute(
                text(
                    _INSTRUMENT.format(
                        id=i, url=url, type=kind, number=number, language=language, date=date
                    )
                )
            )
        connection.execute(
            text(
                "INSERT INTO version (instrument_id, url, fetched_at, sha256, size, content_type,"
                " language, method, quality, title, text, raw_text) VALUES (2, 'en-38',"
                " '2026-01-01', 'h', 0, '', 'en', 'text', 1, '', 'Official translation', '')"
            )
        )
    migrate(engine)
    with engine.connect() as connection:
        merged = connection.execute(
            text(
                "SELECT work_id, instrument_id, language, role, publisher FROM languageversion"
                " ORDER BY instrument_id"
            )
        ).all()
        kinds = connection.execute(text("SELECT count(*) FROM alert")).scalar()
    assert [tuple(r) for r in merged] == [
        (1, 1, "km", "official", "Ministry"),
        (1, 2, "en", "official_translation", "Ministry"),
    ]
    assert kinds == 0
    downgrade(engine, "0007_sessions")
    with engine.connect() as connection:
        tables = connection.dialect.get_table_names(connection)
    assert "languageversion" not in tables and "changecounterpart" not in tables
    migrate(engine)
    engine.dispose()
