"""Write ``khmer_words.txt.gz``: the Khmer vocabulary the quality score checks words against.

The words are tesseract's Khmer dictionary (the word DAWG of Debian's ``tesseract-ocr-khm``
``khm.traineddata``, Apache-2.0, built from Google's langdata word list), unpacked with
tesseract's own ``combine_tessdata`` and ``dawg2wordlist``, in the canonical spelling of
:func:`parsers.khmer.normalize` (rerun this when the normalisation changes). Run from
the project root::

    .venv/bin/python parsers/data/make_khmer_words.py [path/to/khm.traineddata]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from parsers.data.tessdata_words import dictionary_words, traineddata, write_words
from parsers.khmer import normalize

OUT = Path(__file__).with_name("khmer_words.txt.gz")


def main() -> None:
    # In the canonical spelling the quality score compares (parsers.khmer.normalize).
    found = dictionary_words(traineddata("khm"))
    write_words(OUT, sorted({normalize(w) for w in found} - {""}))


if __name__ == "__main__":
    main()
