"""Write ``khmer_words.txt.gz``: the Khmer vocabulary the quality score checks words against.

The words are tesseract's Khmer dictionary (the word DAWG of Debian's ``tesseract-ocr-khm``
``khm.traineddata``, Apache-2.0, built from Google's langdata word list), unpacked with
tesseract's own ``combine_tessdata`` and ``dawg2wordlist``, in the canonical spelling of
:func:`parsers.khmer.normalize` (rerun this when the normalisation changes). Run from
the project root::

    .venv/bin/python parsers/data/make_khmer_words.py [path/to/khm.traineddata]
"""

from __future__ import annotations

import gzip
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from parsers.khmer import normalize

TESSDATA = Path("/usr/share/tesseract-ocr/5/tessdata/khm.traineddata")
OUT = Path(__file__).with_name("khmer_words.txt.gz")


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else TESSDATA
    with tempfile.TemporaryDirectory() as tmp:
        prefix = f"{tmp}/khm."
        subprocess.run(["combine_tessdata", "-u", str(source), prefix], check=True)
        words = Path(tmp) / "words.txt"
        subprocess.run(
            ["dawg2wordlist", f"{prefix}lstm-unicharset", f"{prefix}lstm-word-dawg", str(words)],
            check=True,
        )
        # In the canonical spelling the quality score compares (parsers.khmer.normalize).
        vocabulary = sorted({normalize(w) for w in words.read_text("utf-8").split()})
    # mtime=0: the same bytes on every run.
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(("\n".join(w for w in vocabulary if w) + "\n").encode("utf-8"))
    print(f"{OUT}: {len(vocabulary)} words")


if __name__ == "__main__":
    main()
