"""Speed of the READ stage's PDF text path against raw pypdfium2, on the pdf-wild corpus.

    .venv/bin/python bench/extraction_speed.py [--corpus DIR] [--runs N] [--ocr] [--json]

The born-digital files are those raw pypdfium2 can open and gets some text from (encrypted,
broken and image-only files are left out). In one run it times, over the same files:

- raw pypdfium2: open the document, ``get_textpage().get_text_range()`` on every page;
- the text path: ``parsers.read.reader.read(data, limits=ReadLimits(ocr=False))`` (choice of
extractor,
  Khmer normalisation, furniture removal, tables, sections);
- with ``--ocr``, the same with OCR on (only pages without a usable text layer are OCR'd).

It prints pages per second for each (wall clock, and CPU time of this process and its
children such as pdftotext), the ratio text path / raw, and the peak resident memory of
each pass (each pass runs in a fresh interpreter, so a peak includes the imports (~60 MB)). With
``--runs N`` the median of N runs is reported.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from parsers import ParseError, ReadLimits  # noqa: E402
from parsers.read.reader import read  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "pdf-wild"


def born_digital(corpus: Path) -> list[tuple[Path, int]]:
    """(path, pages) of the files raw pypdfium2 opens and reads some text from."""
    files = []
    for path in sorted(corpus.glob("*.pdf")):
        try:
            document = pdfium.PdfDocument(path)
        except pdfium.PdfiumError:
            continue
        try:
            pages = len(document)
            chars = sum(len(_raw_page(document, i).strip()) for i in range(pages))
        except pdfium.PdfiumError:
            continue
        finally:
            document.close()
        if chars:
            files.append((path, pages))
    return files


def _raw_page(document: pdfium.PdfDocument, index: int) -> str:
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            return str(textpage.get_text_range())
        finally:
            textpage.close()
    finally:
        page.close()


def raw_pdfium(data: bytes) -> None:
    document = pdfium.PdfDocument(data)
    try:
        for index in range(len(document)):
            _raw_page(document, index)
    finally:
        document.close()


def text_path(data: bytes, name: str, ocr: bool) -> str:
    try:
        read(data, name=name, limits=ReadLimits(ocr=ocr))
    except ParseError as exc:
        return str(exc)
    return ""


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _pass(kind: str, paths: list[Path]) -> dict[str, object]:
    """One timed pass over ``paths`` (run in a fresh interpreter: its own peak memory)."""
    logging.disable(logging.WARNING)  # pdfminer's complaints about odd fonts
    files = [(path.name, path.read_bytes()) for path in paths]
    wall = cpu = 0.0
    errors = []
    for name, data in files:
        started, cpu_started = time.perf_counter(), _cpu()
        if kind == "raw":
            raw_pdfium(data)
            error = ""
        else:
            error = text_path(data, name, ocr=kind == "ocr")
        wall += time.perf_counter() - started
        cpu += _cpu() - cpu_started
        if error:
            errors.append(error)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall_s": wall, "cpu_s": cpu, "peak_mb": peak_mb, "errors": errors}


def measure(files: list[tuple[Path, int]], ocr: bool) -> dict[str, dict[str, object]]:
    kinds = ["raw", "text"] + (["ocr"] if ocr else [])
    context = multiprocessing.get_context("spawn")
    paths = [path for path, _ in files]
    results = {}
    for kind in kinds:
        with context.Pool(1) as pool:
            results[kind] = pool.apply(_pass, (kind, paths))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--ocr", action="store_true", help="also time the path with OCR on")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    files = born_digital(args.corpus)
    pages = sum(p for _, p in files)
    runs = [measure(files, args.ocr) for _ in range(args.runs)]
    summary: dict[str, object] = {"files": len(files), "pages": pages, "runs": args.runs}
    for kind in runs[0]:
        wall = statistics.median(float(r[kind]["wall_s"]) for r in runs)  # type: ignore[arg-type]
        cpu = statistics.median(float(r[kind]["cpu_s"]) for r in runs)  # type: ignore[arg-type]
        summary[kind] = {
            "pages_per_s": round(pages / wall, 1),
            "pages_per_cpu_s": round(pages / cpu, 1),
            "peak_rss_mb": round(max(float(r[kind]["peak_mb"]) for r in runs), 1),  # type: ignore[arg-type]
            "errors": len(runs[0][kind]["errors"]),  # type: ignore[arg-type]
        }
    raw, text = summary["raw"], summary["text"]
    assert isinstance(raw, dict) and isinstance(text, dict)
    summary["ratio"] = round(text["pages_per_s"] / raw["pages_per_s"], 3)
    summary["ratio_cpu"] = round(text["pages_per_cpu_s"] / raw["pages_per_cpu_s"], 3)
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"pdf-wild born-digital: {len(files)} files, {pages} pages, median of {args.runs} run(s)")
    print(f"{'pass':<28} {'pages/s':>9} {'pages/cpu-s':>12} {'peak RSS MB':>12} {'errors':>7}")
    labels = {
        "raw": "raw pypdfium2",
        "text": "parsers.read.reader.read (OCR off)",
        "ocr": "parsers.read.reader.read (OCR on)",
    }
    for kind, label in labels.items():
        row = summary.get(kind)
        if isinstance(row, dict):
            print(
                f"{label:<28} {row['pages_per_s']:>9} {row['pages_per_cpu_s']:>12} "
                f"{row['peak_rss_mb']:>12} {row['errors']:>7}"
            )
    print(f"ratio text path / raw pypdfium2: {summary['ratio']} (CPU time: {summary['ratio_cpu']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
