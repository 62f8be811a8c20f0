"""OCR: our path against plain tesseract on the same page images.

    .venv/bin/python bench/ocr_plain.py [--json] [--dpi 300] [--stems a,b]

Every page of each source (born-digital fixture PDFs, English and Khmer; their true text
beside them) is rendered in grey at ``--dpi``, clean and made noisy the way
tests/fixtures/make_scans.py damages a scan (rotation, blur, grain, specks, dust, JPEG).
Then, on the same images:

- plain tesseract: ``tesseract page.png stdout -l LANG`` with its defaults (``--psm 3``),
  the pages joined;
- our path: the pages as an image-only PDF read by ``parsers.read.reader.read`` (page image,
  preprocessing only where it raises tesseract's confidence, ``--psm 6``, clean-up of the
  TSV, structure).

It prints the character accuracy of each (1 - parsers.read.quality.char_error_rate against the
true text) and seconds.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

import numpy as np  # noqa: E402
from make_scans import Damage, degrade, image_pdf, render_pages  # noqa: E402
from PIL import Image  # noqa: E402

from parsers import ReadLimits  # noqa: E402
from parsers.read.quality import char_error_rate  # noqa: E402
from parsers.read.reader import read  # noqa: E402

DOCUMENTS = ROOT / "evaluation" / "data" / "documents"
STEMS = (
    "prakas_maternity_en",
    "budget_en",
    "subdecree_en_v1",
    "prakas_maternity_km",
    "budget_km",
    "subdecree_km_v1",
)


def plain_tesseract(images: list[Image.Image], lang: str, dpi: int) -> str:
    texts = []
    with tempfile.TemporaryDirectory(prefix="sptrack-bench-") as tmp:
        for index, image in enumerate(images):
            path = Path(tmp) / f"page{index}.png"
            image.save(path, dpi=(dpi, dpi))
            done = subprocess.run(
                ["tesseract", str(path), "stdout", "-l", lang],
                capture_output=True,
                check=True,
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            )
            texts.append(done.stdout.decode("utf-8", "replace"))
    return "\n".join(texts)


def our_path(jpegs: list[bytes], dpi: int) -> str:
    with tempfile.TemporaryDirectory(prefix="sptrack-bench-") as tmp:
        path = Path(tmp) / "scan.pdf"
        image_pdf(jpegs, path, dpi=dpi)
        return read(path.read_bytes(), name="scan.pdf", limits=ReadLimits()).text


def measure(stem: str, dpi: int) -> list[dict[str, object]]:
    truth = (DOCUMENTS / f"{stem}.txt").read_text(encoding="utf-8")
    lang = "khm" if stem.endswith("_km") or "_km_" in stem else "eng"
    pages = render_pages(DOCUMENTS / f"{stem}.pdf", dpi=dpi)
    rows = []
    rng = np.random.default_rng(zlib.crc32(stem.encode("utf-8")))
    for condition in ("clean", "noisy"):
        if condition == "clean":
            jpegs = []
            for page in pages:
                buffer = io.BytesIO()
                page.save(buffer, format="JPEG", quality=95)
                jpegs.append(buffer.getvalue())
        else:
            jpegs = [degrade(page, Damage(), rng) for page in pages]
        images = [Image.open(io.BytesIO(jpeg)).convert("L") for jpeg in jpegs]
        started = time.perf_counter()
        plain = plain_tesseract(images, lang, dpi)
        plain_s = time.perf_counter() - started
        started = time.perf_counter()
        ours = our_path(jpegs, dpi)
        ours_s = time.perf_counter() - started
        rows.append(
            {
                "stem": stem,
                "condition": condition,
                "pages": len(pages),
                "plain": round(max(0.0, 1 - char_error_rate(plain, truth)), 4),
                "ours": round(max(0.0, 1 - char_error_rate(ours, truth)), 4),
                "plain_s": round(plain_s, 1),
                "ours_s": round(ours_s, 1),
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--stems", default=",".join(STEMS))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = [row for stem in args.stems.split(",") for row in measure(stem, args.dpi)]
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    head = ("source", "image", "pages", "plain", "ours", "plain s", "ours s")
    print("{:24} {:6} {:>5} {:>7} {:>7} {:>8} {:>7}".format(*head))
    for row in rows:
        print(
            f"{row['stem']!s:24} {row['condition']!s:6} {row['pages']:>5} {row['plain']:>7.4f} "
            f"{row['ours']:>7.4f} {row['plain_s']:>8} {row['ours_s']:>7}"
        )
    for condition in ("clean", "noisy"):
        chosen = [r for r in rows if r["condition"] == condition]
        plain = statistics.fmean(float(r["plain"]) for r in chosen)  # type: ignore[arg-type]
        ours = statistics.fmean(float(r["ours"]) for r in chosen)  # type: ignore[arg-type]
        print(f"mean {condition}: plain tesseract {plain:.4f}, ours {ours:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
