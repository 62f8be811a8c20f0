from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from evaluation.extract import (
    BORN_DIGITAL_EN,
    DOCX,
    EXPORTED_KM,
    HTML,
    SCANNED_EN,
    SCANNED_KM,
    KindScore,
    evaluate_extraction,
    kind_of,
    render_table,
    truth_for,
)
from parsers import Document

KM_LINES = ["មាត្រា ១.-", "អត្រាភាគទានត្រូវបានកំណត់ត្រឹម ៤% នៃប្រាក់ឈ្នួល។"]
EN_LINES = ["Article 1.- Rate", "The contribution rate is 4% of the wage."]


def _docx(lines: list[str]) -> bytes:
    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "NSSF"  # furniture: not scored
    for line in lines:
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "rate_km.txt").write_text("\n".join(KM_LINES) + "\n", encoding="utf-8")
    (tmp_path / "rate_km.docx").write_bytes(_docx(KM_LINES))
    # A second rendering scored against the same truth (stem cut at its last "_").
    (tmp_path / "rate_km_retyped.docx").write_bytes(_docx([*KM_LINES[:1], "អត្រាភាគទាន ៦%។"]))
    (tmp_path / "rate_en.txt").write_text("\n".join(EN_LINES), encoding="utf-8")
    page = "<html><body><nav>Home</nav><main>" + "".join(f"<p>{x}</p>" for x in EN_LINES)
    (tmp_path / "rate_en.html").write_text(page + "</main></body></html>", encoding="utf-8")
    (tmp_path / "broken_en.pdf").write_bytes(b"%PDF-1.7\n1 0 obj garbage")
    (tmp_path / "broken_en.txt").write_text("Some text", encoding="utf-8")
    (tmp_path / "lonely.txt").write_text("a truth without an input", encoding="utf-8")
    (tmp_path / "no_truth.docx").write_bytes(_docx(EN_LINES))
    return tmp_path


def test_scores_per_kind_on_a_small_folder(folder: Path) -> None:
    scores = evaluate_extraction(folder)
    assert [s.kind for s in scores] == [BORN_DIGITAL_EN, DOCX, HTML]
    by_kind = {s.kind: s for s in scores}
    docx_score = by_kind[DOCX]
    assert [f.name for f in docx_score.files] == ["rate_km.docx", "rate_km_retyped.docx"]
    assert [f.truth for f in docx_score.files] == ["rate_km.txt", "rate_km.txt"]
    exact, retyped = docx_score.files
    assert exact.similarity == 1.0 and exact.language == "km" and exact.method == "text"
    assert 0.3 < retyped.similarity < 0.95
    assert docx_score.mean == pytest.approx((1.0 + retyped.similarity) / 2)
    assert docx_score.worst == retyped.similarity
    assert docx_score.target is None and docx_score.passed is None
    assert by_kind[HTML].mean == 1.0
    broken = by_kind[BORN_DIGITAL_EN]
    assert broken.files[0].similarity == 0.0
    assert "broken_en.pdf" in broken.files[0].error
    assert broken.target == 0.995 and broken.passed is False
    payload = docx_score.to_json()
    assert payload["kind"] == DOCX and len(payload["files"]) == 2


def test_render_table(folder: Path) -> None:
    table = render_table(evaluate_extraction(folder), detail=True)
    lines = table.split("\n")
    assert lines[0].split() == [
        "kind",
        "files",
        "mean",
        "worst",
        "target",
        "ok",
        "method",
        "secs",
        "wordF1",
        "w-target",
    ]
    html = next(line for line in lines if line.startswith(HTML))
    assert html.split()[1:5] == ["1", "1.0000", "1.0000", "-"]
    born = next(line for line in lines if line.startswith(BORN_DIGITAL_EN))
    assert "0.0000" in born and "0.995" in born and "NO" in born
    assert any("rate_km_retyped.docx" in line for line in lines)
    assert render_table([]).startswith("no inputs")
    assert render_table([KindScore(SCANNED_KM)]).split("\n")[2].startswith(SCANNED_KM)


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="not a folder"):
        evaluate_extraction(tmp_path / "nope")


def test_truth_lookup(tmp_path: Path) -> None:
    (tmp_path / "subdecree_km_v1.txt").write_text("x", encoding="utf-8")
    assert truth_for(tmp_path / "subdecree_km_v1_reexport.pdf") == tmp_path / "subdecree_km_v1.txt"
    assert truth_for(tmp_path / "subdecree_km_v1.pdf") == tmp_path / "subdecree_km_v1.txt"
    assert truth_for(tmp_path / "other.pdf") is None


def _document(language: str, method: str) -> Document:
    return Document("t", "t", language, 1, method, (), "", "application/pdf")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "document", "kind"),
    [
        ("subdecree_en_v1.pdf", _document("en", "text"), BORN_DIGITAL_EN),
        ("subdecree_km_v1.pdf", _document("km", "text"), EXPORTED_KM),
        ("scan_subdecree_en_v1.pdf", _document("en", "text"), SCANNED_EN),
        ("subdecree_km_scan.pdf", _document("km", "ocr"), SCANNED_KM),
        ("page_km.pdf", _document("mixed", "mixed"), SCANNED_KM),
        ("scanned_en.pdf", None, SCANNED_EN),
        ("x_km.pdf", None, EXPORTED_KM),
        ("x.docx", _document("km", "text"), DOCX),
        ("x.HTM", None, HTML),
    ],
)
def test_kind_convention(name: str, document: Document | None, kind: str) -> None:
    assert kind_of(Path(name), document) == kind
