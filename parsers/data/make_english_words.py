"""Write ``english_words.txt.gz``: the English vocabulary the quality score checks words against.

The words are tesseract's English dictionary (the word DAWG of Debian's ``tesseract-ocr-eng``
``eng.traineddata``, Apache-2.0, built from Google's langdata word list), unpacked with
tesseract's own ``combine_tessdata`` and ``dawg2wordlist``; kept: words of two letters or
more, lower case, ASCII letters only. Run from the project root::

    .venv/bin/python parsers/data/make_english_words.py [path/to/eng.traineddata]
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import tempfile
from pathlib import Path

TESSDATA = Path("/usr/share/tesseract-ocr/5/tessdata/eng.traineddata")
OUT = Path(__file__).with_name("english_words.txt.gz")


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else TESSDATA
    with tempfile.TemporaryDirectory() as tmp:
        prefix = f"{tmp}/eng."
        subprocess.run(["combine_tessdata", "-u", str(source), prefix], check=True)
        words = Path(tmp) / "words.txt"
        subprocess.run(
            ["dawg2wordlist", f"{prefix}lstm-unicharset", f"{prefix}lstm-word-dawg", str(words)],
            check=True,
        )
        found = words.read_text("utf-8").lower().split()
    vocabulary = sorted({w for w in found if re.fullmatch("[a-z]{2,}", w)})
    # mtime=0: the same bytes on every run.
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(("\n".join(vocabulary) + "\n").encode("utf-8"))
    print(f"{OUT}: {len(vocabulary)} words")


if __name__ == "__main__":
    main()
