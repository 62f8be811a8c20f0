"""Extraction quality per kind of document: similarity and CER of the READ stage against the
true text, and seconds per page.

    .venv/bin/python bench/extraction_eval.py [--json]

CER = Levenshtein distance between the normalised texts with all whitespace removed,
divided by the length of the truth; similarity = 1 - CER. Fixtures come from
tests/fixtures/make_fixtures.py and (the degraded scans) tests/fixtures/make_scans.py.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsers import char_error_rate, read  # noqa: E402

DOCUMENTS = ROOT / "tests" / "fixtures" / "documents"

#: kind -> (fixture file, truth stem)
CASES: dict[str, list[tuple[str, str]]] = {
    "born-digital English (PDF)": [
        ("subdecree_en_v1.pdf", "subdecree_en_v1"),
        ("subdecree_en_v2.pdf", "subdecree_en_v2"),
        ("prakas_maternity_en.pdf", "prakas_maternity_en"),
    ],
    "exported Khmer (LibreOffice PDF)": [
        ("subdecree_km_v1.pdf", "subdecree_km_v1"),
        ("subdecree_km_v2.pdf", "subdecree_km_v2"),
        ("subdecree_km_v1_reexport.pdf", "subdecree_km_v1"),
        ("prakas_maternity_km.pdf", "prakas_maternity_km"),
    ],
    "Word Khmer and English (DOCX)": [
        ("subdecree_km_v1.docx", "subdecree_km_v1"),
        ("subdecree_km_v2.docx", "subdecree_km_v2"),
        ("subdecree_en_v1.docx", "subdecree_en_v1"),
    ],
    "web pages with menus (HTML)": [
        ("subdecree_km_v1.html", "subdecree_km_v1"),
        ("subdecree_en_v2.html", "subdecree_en_v2"),
    ],
    "scanned Khmer (OCR)": [("subdecree_km_scan.pdf", "subdecree_km_scan")],
    "scanned English": [
        ("scan_subdecree_en_v1.pdf", "scan_subdecree_en_v1"),
        ("scan_prakas_maternity_en.pdf", "scan_prakas_maternity_en"),
    ],
    "scanned Khmer (degraded)": [
        ("scan_subdecree_km_v1.pdf", "scan_subdecree_km_v1"),
        ("scan_prakas_maternity_km.pdf", "scan_prakas_maternity_km"),
    ],
}


def evaluate() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for kind, cases in CASES.items():
        errors: list[float] = []
        seconds = 0.0
        pages = 0
        methods: set[str] = set()
        for name, stem in cases:
            data = (DOCUMENTS / name).read_bytes()
            started = time.perf_counter()
            document = read(data, name=name)
            seconds += time.perf_counter() - started
            truth = (DOCUMENTS / f"{stem}.txt").read_text(encoding="utf-8")
            errors.append(char_error_rate(document.text, truth))
            methods.add(document.method)
            pages += document.pages or 1
        rows.append(
            {
                "kind": kind,
                "files": len(cases),
                "similarity_mean": 1 - statistics.fmean(errors),
                "similarity_min": 1 - max(errors),
                "cer_mean": statistics.fmean(errors),
                "cer_max": max(errors),
                "method": "/".join(sorted(methods)),
                "seconds": seconds,
                "pages": pages,
                "seconds_per_page": seconds / pages,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    rows = evaluate()
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(
        f"{'kind':36} {'files':>5} {'sim mean':>8} {'sim min':>8} {'CER mean':>9} {'CER max':>8} "
        f"{'method':>8} {'pages':>5} {'s/page':>6}"
    )
    for row in rows:
        print(
            f"{row['kind']!s:36} {row['files']!s:>5} {row['similarity_mean']:>8.4f} "
            f"{row['similarity_min']:>8.4f} {row['cer_mean']:>9.4f} {row['cer_max']:>8.4f} "
            f"{row['method']!s:>8} {row['pages']!s:>5} {row['seconds_per_page']:>6.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
