"""The same text typeset at 8 pt and at 16 pt must compare as identical.

    .venv/bin/python bench/khmer_sizes.py [--sizes 8,16] [--scan] [--texts a,b]

Each text of the metamorphic bed (tests/fixtures/make_metamorphic.py, Khmer and English)
is set by LibreOffice, justified, in Khmer OS at every size of ``--sizes``; each PDF is read
(text layer; with ``--scan`` also its 300-dpi rendering as an image-only PDF, read by OCR)
and every other size is compared with the first: the number of changes must be 0.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

from make_metamorphic import TEXTS, Layout, layout_fodt, soffice_convert, title_of  # noqa: E402
from make_scans import image_pdf, render_pages  # noqa: E402

from parsers import Document  # noqa: E402
from parsers.compare.diff import compare  # noqa: E402
from parsers.read.reader import read  # noqa: E402


def scanned(pdf: Path) -> Document:
    jpegs = []
    for page in render_pages(pdf, dpi=300):
        buffer = io.BytesIO()
        page.save(buffer, format="JPEG", quality=95)
        jpegs.append(buffer.getvalue())
    out = pdf.with_suffix(".scan.pdf")
    image_pdf(jpegs, out, dpi=300)
    return read(out.read_bytes(), name=out.name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="8,16")
    parser.add_argument("--scan", action="store_true")
    parser.add_argument("--texts", default="", help="comma-separated text names (default: all)")
    args = parser.parse_args()
    texts = {
        name: text
        for name, text in TEXTS.items()
        if not args.texts or name in args.texts.split(",")
    }
    sizes = [float(s) for s in args.sizes.split(",")]
    total = 0
    with tempfile.TemporaryDirectory(prefix="sptrack-sizes-") as tmp:
        work = Path(tmp)
        sources = []
        for name, (lang, blocks) in texts.items():
            for size in sizes:
                src = work / f"{name}_{size:g}pt.fodt"
                layout = Layout(size=size)
                src.write_text(layout_fodt(blocks, lang, layout, title_of(blocks)), "utf-8")
                sources.append(src)
        soffice_convert(sources, work)
        for name, (lang, _) in texts.items():
            pdfs = [work / f"{name}_{size:g}pt.pdf" for size in sizes]
            readings = {"text layer": [read(p.read_bytes(), name=p.name) for p in pdfs]}
            if args.scan:
                readings["scan"] = [scanned(p) for p in pdfs]
            for how, documents in readings.items():
                for size, document in zip(sizes[1:], documents[1:], strict=True):
                    changes = compare(documents[0], document)
                    total += len(changes)
                    print(
                        f"{name:16} {lang} {how:10} {sizes[0]:g} pt vs {size:g} pt: "
                        f"{len(changes)} changes"
                    )
                    for change in changes[:5]:
                        ref = change.new_ref or change.old_ref
                        old, new = change.old_text[:60], change.new_text[:60]
                        print(f"    {change.kind} {ref}: {old!r} -> {new!r}")
    print(f"total changes: {total}")
    return 0 if total == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
