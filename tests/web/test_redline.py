"""Stored diff ops -> redline segments; texts without ops are diffed by words."""

from __future__ import annotations

from web.redline import Segment, build_redline, diff_ops


def _joined(segments: tuple[Segment, ...], *kinds: str) -> str:
    return "".join(s.text for s in segments if s.kind in kinds)


def test_stored_ops_become_inline_and_side_segments() -> None:
    ops = [
        {"tag": "equal", "old": "Maternity leave is ", "new": "Maternity leave is "},
        {"tag": "replace", "old": "90", "new": "98"},
        {"tag": "equal", "old": " days", "new": " days"},
        {"tag": "insert", "old": "", "new": " in full"},
        {"tag": "delete", "old": " at half pay", "new": ""},
    ]
    red = build_redline(ops, "unused", "unused")
    assert red.inline == (
        Segment("equal", "Maternity leave is "),
        Segment("del", "90"),
        Segment("ins", "98"),
        Segment("equal", " days"),
        Segment("ins", " in full"),
        Segment("del", " at half pay"),
    )
    assert _joined(red.old, "equal", "del") == "Maternity leave is 90 days at half pay"
    assert _joined(red.new, "equal", "ins") == "Maternity leave is 98 days in full"
    assert all(s.kind != "ins" for s in red.old) and all(s.kind != "del" for s in red.new)
    assert red.changed


def test_khmer_texts_without_ops_are_diffed_by_words() -> None:
    old = "ប្រាក់សោធនប្រចាំខែ ៥០០.០០០ រៀល"
    new = "ប្រាក់សោធនប្រចាំខែ ៦០០.០០០ រៀល"
    red = build_redline([], old, new)
    assert _joined(red.old, "equal", "del") == old
    assert _joined(red.new, "equal", "ins") == new
    # Khmer digits are cut at the thousands dot by the word breaker: only the group that
    # changed is marked
    assert _joined(red.inline, "del") == "៥០០"
    assert _joined(red.inline, "ins") == "៦០០"
    assert red.inline[0] == Segment("equal", "ប្រាក់សោធនប្រចាំខែ ")


def test_khmer_word_change_inside_a_run_without_spaces() -> None:
    old = "អត្ថប្រយោជន៍មាតុភាពសម្រាប់កម្មករ"
    new = "អត្ថប្រយោជន៍ឈឺសម្រាប់កម្មករ"
    ops = diff_ops(old, new)
    assert "".join(o["old"] for o in ops) == old
    assert "".join(o["new"] for o in ops) == new
    changed = [o for o in ops if o["tag"] != "equal"]
    assert changed and all("អត្ថប្រយោជន៍" not in o["old"] for o in changed)


def test_added_and_removed_provisions() -> None:
    added = build_redline([], "", "Article 9. New benefit.")
    assert [s.kind for s in added.inline] == ["ins"]
    removed = build_redline([], "Article 9. Old benefit.", "")
    assert [s.kind for s in removed.inline] == ["del"]
    same = build_redline([], "Same text.", "Same text.")
    assert not same.changed


def test_malformed_ops_fall_back_to_the_texts() -> None:
    red = build_redline([{"tag": "bogus", "old": 1}], "a b", "a c")
    assert _joined(red.inline, "del") == "b" and _joined(red.inline, "ins") == "c"


def test_matched_words_are_marked_in_every_side_and_markup_stays_text() -> None:
    from web.redline import highlight

    redline = highlight(
        build_redline(
            [], "Maternity leave is 90 days <b>.", "Maternity leave is 98 days <b>. មាតុភាព"
        ),
        ["maternity leave", "មាតុភាព", "x"],  # one letter: too short to mark
    )
    [first, *_] = redline.inline
    assert first.pieces[0] == ("Maternity leave", True)
    assert any(p == ("មាតុភាព", True) for s in redline.new for p in s.pieces)
    assert "".join(t for s in redline.inline for t, _ in s.pieces) == "".join(
        s.text for s in redline.inline
    )


def test_the_compare_page_marks_no_rewrap_and_exactly_a_changed_word(
    module_tracker, sign_in
) -> None:  # type: ignore[no-untyped-def]
    """Whole versions, English and Khmer: re-laid text unmarked, the one edit marked."""
    import re
    from datetime import UTC, datetime

    from tracker.database import open_engine, session
    from tracker.models import Instrument, Version

    en = "The maternity benefit is paid monthly.\nPage 1\nIt is 4% of the wage."
    km = "សមាជិកមានសិទ្ធិទទួលបានសោធននិវត្តន៍ប្រចាំខែ។ ព្រះរាជក្រឹត្យ ឆ្នាំ២០២៣ស្តីពីការតែងតាំង។"
    texts = {
        "en": (en, "The maternity bene-\nfit is paid\nweekly. It is 4%  of the wage."),
        "km": (km, km.replace("២០២៣ស្តី", "២០២៣ ស្តី").replace("ប្រចាំខែ", "ប្រចាំឆ្នាំ")),
    }
    pages = {}
    with session(open_engine(module_tracker.url)) as s:
        for language, (old, new) in texts.items():
            instrument = Instrument(source_id="nssf-legal", url=f"https://x.example/{language}")
            s.add(instrument)
            s.flush()
            versions = [
                Version(
                    instrument_id=instrument.id,
                    url=instrument.url,
                    fetched_at=datetime(2025, month, 1, tzinfo=UTC),
                    sha256=str(month) * 64,
                    language=language,
                    text=text,
                )
                for month, text in ((1, old), (2, new))
            ]
            s.add_all(versions)
            s.flush()
            pages[language] = (
                f"/instruments/{instrument.id}/compare?old={versions[0].id}&new={versions[1].id}"
            )
        s.commit()
    client = sign_in(module_tracker, "viewer")
    for language, changed in (("en", ("monthly", "weekly")), ("km", ("ប្រចាំខែ", "ប្រចាំឆ្នាំ"))):
        page = client.get(pages[language])
        assert page.status_code == 200
        body = page.text.split('<div class="sides">', 1)[1]
        assert re.findall(r"<del>(.*?)</del>", body, re.S) == [changed[0]], language
        assert re.findall(r"<ins>(.*?)</ins>", body, re.S) == [changed[1]], language
