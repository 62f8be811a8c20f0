"""What ``make_english_words.py`` and ``make_khmer_words.py`` share: the words of tesseract's
dictionary for one language, unpacked from its ``.traineddata`` with tesseract's own
``combine_tessdata`` and ``dawg2wordlist``, and the gzip file the quality score reads."""

from __future__ import annotations

import gzip
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

TESSDATA = Path("/usr/share/tesseract-ocr/5/tessdata")


def traineddata(language: str) -> Path:
    """The ``.traineddata`` named on the command line, else Debian's for ``language``."""
    return Path(sys.argv[1]) if len(sys.argv) > 1 else TESSDATA / f"{language}.traineddata"


def dictionary_words(source: Path) -> list[str]:
    """The words of the word DAWG in ``source``, as tesseract lists them."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = f"{tmp}/{source.stem}."
        subprocess.run(["combine_tessdata", "-u", str(source), prefix], check=True)
        words = Path(tmp) / "words.txt"
        subprocess.run(
            ["dawg2wordlist", f"{prefix}lstm-unicharset", f"{prefix}lstm-word-dawg", str(words)],
            check=True,
        )
        return words.read_text("utf-8").split()


def write_words(out: Path, vocabulary: Sequence[str]) -> None:
    """``vocabulary`` one word a line, gzipped the same to the byte on every run."""
    with out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(("\n".join(vocabulary) + "\n").encode("utf-8"))
    print(f"{out}: {len(vocabulary)} words")
