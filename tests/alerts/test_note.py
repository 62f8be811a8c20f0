"""Rapid-response notes: DOCX (read back with python-docx) and Markdown."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from alerts.deliver.alert_loader import load_alert_view
from alerts.deliver.note import write_note
from alerts.deliver.note_docx import KHMER_FONT
from alerts.errors import AlertError

DEADLINES = ("Comments to NSSF by 15 March 2026 (owner: Secretariat)",)


def view_of(world, **kwargs):
    alert_id = world.alert(changes=[world.contribution, world.khmer], **kwargs)
    with world.factory() as session:
        return load_alert_view(session, alert_id, world.positions, world.base_url)


def runs_of(paragraph) -> list[tuple[str, str]]:
    """(kind, text) of a paragraph's runs: del (struck through), ins (underlined), equal."""
    out = []
    for run in paragraph.runs:
        kind = "del" if run.font.strike else "ins" if run.font.underline else "equal"
        out.append((kind, run.text))
    return out


def redlines(document) -> list[list[tuple[str, str]]]:
    """The redline paragraphs: those with a struck-through or underlined run."""
    found = [runs_of(p) for p in document.paragraphs]
    return [runs for runs in found if any(kind != "equal" for kind, _ in runs)]


def marked(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(kind, text) for kind, text in runs if kind != "equal"]


def docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_docx_note_holds_changes_numbers_stance_and_sources(world, tmp_path: Path) -> None:
    view = view_of(world, method="ocr")
    out = write_note(view, tmp_path / "notes" / "note.docx", DEADLINES)
    assert out == tmp_path / "notes" / "note.docx"

    document = docx.Document(str(out))
    text = docx_text(document)
    # each changed article as a redline: deleted words struck through, inserted underlined
    english, khmer = redlines(document)
    assert marked(english) == [("del", "4"), ("ins", "6"), ("del", "2"), ("ins", "3")]
    assert marked(khmer) == [("del", "៤"), ("ins", "៦")]
    assert "".join(t for k, t in english if k != "ins") == world.contribution["old_text"]
    assert "".join(t for k, t in english if k != "del") == world.contribution["new_text"]
    assert "".join(t for k, t in khmer if k != "del") == world.khmer["new_text"]
    numbers = next(t for t in document.tables if len(t.columns) == 4)
    rows = [[cell.text for cell in row.cells] for row in numbers.rows]
    assert ["Article 4", "%", "4%", "6%"] in rows
    assert ["Article 4", "employer", "2%", "3%"] in rows
    assert ["មាត្រា ៤", "%", "៤% (4%)", "៦% (6%)"] in rows
    for expected in (
        "Rates should rise gradually, agreed in the tripartite board, never cut.",
        "Adequate pensions need adequate, predictable contributions.",
        "ប្រាក់សោធននិវត្តន៍គ្រប់គ្រាន់ ត្រូវការការរួមចំណែកគ្រប់គ្រាន់។",
        "What changed / ការផ្លាស់ប្តូរ",
        "Why it matters / ហេតុអ្វីសំខាន់",
        "Sources / ប្រភព",
        "Analysis / ការវិភាគ",
        "Recommendation / អនុសាសន៍",
        DEADLINES[0],
        "0" * 63 + "1",
        "2 Mar 2026 10:00 (Phnom Penh time)",  # the one date format (issue 16)
        "NEEDS HUMAN CHECK (read by OCR)",
        f"{world.base_url}/changes/",
    ):
        assert expected in text, expected
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:cs")) == KHMER_FONT
    khmer_runs = [
        run for paragraph in document.paragraphs for run in paragraph.runs
        if "អត្រាភាគទាន" in run.text
    ]  # fmt: skip
    assert khmer_runs
    assert all(r._element.rPr.rFonts.get(qn("w:cs")) == KHMER_FONT for r in khmer_runs)


def test_markdown_note_holds_the_same(world, tmp_path: Path) -> None:
    view = view_of(world)
    out = write_note(view, tmp_path / "note.md", DEADLINES)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Rapid-response note / កំណត់ត្រាឆ្លើយតបរហ័ស: Sub-decree 32 on pensions")
    assert "> The contribution rate is ~~4~~<ins>6</ins>% of the assumed wage" in text
    assert "> អត្រាភាគទានស្មើនឹង ~~៤~~<ins>៦</ins>% នៃប្រាក់ឈ្នួលប្រចាំខែ។" in text
    assert "*Redline: deleted words struck through, inserted words underlined" in text
    assert "| Article 4 | employer | 2% | 3% |" in text
    assert "| មាត្រា ៤ | % | ៤% (4%) | ៦% (6%) |" in text
    assert "Stance: Rates should rise gradually" in text
    assert "- ប្រាក់សោធននិវត្តន៍គ្រប់គ្រាន់ ត្រូវការការរួមចំណែកគ្រប់គ្រាន់។" in text
    assert f"- {DEADLINES[0]}" in text
    assert "## Analysis / ការវិភាគ" in text and "## Recommendation / អនុសាសន៍" in text
    assert "sha256 `" + "0" * 63 + "1`" in text
    assert "NEEDS HUMAN CHECK" not in text


def test_markdown_note_keeps_document_text_inert(world, tmp_path: Path) -> None:
    change = dict(world.contribution)
    change["new_text"] = "6% | <script>x</script>\n# heading [link](http://evil)"
    alert_id = world.alert(changes=[change])
    with world.factory() as session:
        view = load_alert_view(session, alert_id, world.positions, world.base_url)
    text = write_note(view, tmp_path / "note.md").read_text(encoding="utf-8")
    assert "<script>" not in text
    # inserted words underlined (<ins>), markup and Markdown in them inert
    assert (
        "<ins>&lt;script&gt;x&lt;/script&gt;<br>\\# heading \\[link\\](http://evil</ins>)" in text
    )


def test_bad_suffix_is_a_clear_error(world, tmp_path: Path) -> None:
    view = view_of(world)
    with pytest.raises(
        AlertError, match=r"expected a \.docx or \.md file name, got suffix '\.pdf'"
    ):
        write_note(view, tmp_path / "note.pdf")
    assert not (tmp_path / "note.pdf").exists()


def test_note_takes_deadlines_and_stage_from_the_tracker(world, tmp_path: Path) -> None:
    from tracker.models import Alert, Instrument

    alert_id = world.alert(changes=[world.khmer], title="អនុក្រឹត្យលេខ ៣២")
    with world.factory() as session:
        alert = session.get(Alert, alert_id)
        instrument = session.get(Instrument, alert.instrument_id)
        instrument.effective_date, instrument.signed_date = "2026-04-01", "2026-02-20"
        instrument.status = "adopted"
        session.add(instrument)
        session.commit()
        view = load_alert_view(session, alert_id, world.positions, world.base_url)
    for out in (tmp_path / "note.md", tmp_path / "note.docx"):
        write_note(view, out, DEADLINES)
        text = (
            out.read_text(encoding="utf-8")
            if out.suffix == ".md"
            else docx_text(docx.Document(str(out)))
        )
        for expected in (
            "In force from / ចូលជាធរមាន: 2026-04-01",
            "Signed / ចុះហត្ថលេខា: 2026-02-20",
            "Stage / ដំណាក់កាល: adopted",
            "Owner / អ្នកទទួលខុសត្រូវ: (to be set)",
            "Response deadline / ផុតកំណត់ឆ្លើយតប: (to be set)",
            DEADLINES[0],
            "Deadlines and owners / កាលកំណត់ និងអ្នកទទួលខុសត្រូវ",
            # the redline: ~~old~~<ins>new</ins> in Markdown, both runs in DOCX's text
            "អត្រាភាគទានស្មើនឹង ~~៤~~<ins>៦</ins>% នៃប្រាក់ឈ្នួលប្រចាំខែ។"
            if out.suffix == ".md"
            else "អត្រាភាគទានស្មើនឹង ៤៦% នៃប្រាក់ឈ្នួលប្រចាំខែ។",
        ):
            assert expected in text, (out.suffix, expected)


def test_note_bytes_for_a_download_are_the_same_note(world, tmp_path: Path) -> None:
    import io

    from alerts.deliver.note import note_bytes

    view = view_of(world)
    data = note_bytes(view, "docx")
    assert docx_text(docx.Document(io.BytesIO(data))) == docx_text(
        docx.Document(str(write_note(view, tmp_path / "n.docx")))
    )
    assert note_bytes(view, "md").decode("utf-8") == (
        write_note(view, tmp_path / "n.md").read_text(encoding="utf-8")
    )
    with pytest.raises(AlertError, match=r"got suffix '\.pdf'"):
        note_bytes(view, "pdf")
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_the_task_team_of_the_triage_is_the_notes_owner(world, tmp_path: Path) -> None:
    from alerts.deliver.note import task_team_of
    from tracker.models import AlertHandling

    alert_id = world.alert(changes=[world.khmer], title="អនុក្រឹត្យលេខ ៣២")
    with world.factory() as session:
        assert task_team_of(session, alert_id) == ""
        session.add(AlertHandling(alert_id=alert_id, task_team="ក្រុមសោធន <b>pensions</b>"))
        session.commit()
        team = task_team_of(session, alert_id)
        view = load_alert_view(session, alert_id, world.positions, world.base_url)
    assert team == "ក្រុមសោធន <b>pensions</b>"
    document = docx.Document(str(write_note(view, tmp_path / "n.docx", team=team)))
    text = docx_text(document)
    assert "Owner / អ្នកទទួលខុសត្រូវ: ក្រុមសោធន <b>pensions</b>" in text
    assert "Task team / ក្រុមការងារ: ក្រុមសោធន <b>pensions</b>" in text
    assert "(to be set) / (មិនទាន់កំណត់)" in text  # the response deadline still is
    markdown = write_note(view, tmp_path / "n.md", team=team).read_text(encoding="utf-8")
    assert "- Owner / អ្នកទទួលខុសត្រូវ: ក្រុមសោធន &lt;b&gt;pensions&lt;/b&gt;" in markdown


def test_a_long_khmer_article_is_marked_word_by_word(world, tmp_path: Path) -> None:
    """Stored ops that do not give the texts back are diffed again by words; control
    characters in document text never reach the DOCX."""
    old = (
        "កម្មករនិយោជិតជាស្ត្រីដែលសម្រាលកូន ទទួលបានប្រាក់ឧបត្ថម្ភមាតុភាពស្មើនឹង ៧០% "
        "នៃប្រាក់ឈ្នួលប្រចាំថ្ងៃ ក្នុងរយៈពេល ៩០ ថ្ងៃ។"
    )
    # Control characters DOCX (XML) cannot hold; not NUL, which PostgreSQL refuses to store
    # (the readers drop every control character before anything is stored).
    new = old.replace("៩០", "៩៨").replace("ប្រចាំថ្ងៃ", "ប្រចាំថ្ងៃ\x07\x1b")
    change = {
        "kind": "modified",
        "old_ref": "មាត្រា ៧",
        "new_ref": "មាត្រា ៧",
        "heading": "",
        "old_text": old,
        "new_text": new,
        "numbers": [],
        "ops": [{"tag": "replace", "old": "៩០", "new": "៩៨"}],
    }
    alert_id = world.alert(changes=[change])
    with world.factory() as session:
        view = load_alert_view(session, alert_id, world.positions, world.base_url)
    document = docx.Document(str(write_note(view, tmp_path / "k.docx")))
    [redline] = redlines(document)
    assert marked(redline) == [("del", "៩០"), ("ins", "៩៨")]
    assert "".join(t for k, t in redline if k != "ins") == old
    assert "\x07" not in docx_text(document) and "\x1b" not in docx_text(document)
