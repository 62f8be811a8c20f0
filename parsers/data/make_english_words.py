"""Write ``english_words.txt.gz``: the English vocabulary the quality score checks words against.

The words are tesseract's English dictionary (the word DAWG of Debian's ``tesseract-ocr-eng``
``eng.traineddata``, Apache-2.0, built from Google's langdata word list), unpacked with
tesseract's own ``combine_tessdata`` and ``dawg2wordlist``; kept: words of two letters or
more, lower case, ASCII letters only. Run from the project root::

    .venv/bin/python parsers/data/make_english_words.py [path/to/eng.traineddata]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from parsers.data.tessdata_words import dictionary_words, traineddata, write_words

OUT = Path(__file__).with_name("english_words.txt.gz")


def main() -> None:
    found = [w.lower() for w in dictionary_words(traineddata("eng"))]
    write_words(OUT, sorted({w for w in found if re.fullmatch("[a-z]{2,}", w)}))


if __name__ == "__main__":
    main()
