"""The language of a title or label, guessed from its script (Khmer or Latin letters)."""

from __future__ import annotations

import unicodedata


def guess_language(text: str) -> str:
    """``km`` when Khmer letters outnumber Latin ones, ``en`` for Latin, ``""`` for neither."""
    khmer = sum(1 for c in text if "\u1780" <= c <= "\u17ff" or "\u19e0" <= c <= "\u19ff")
    latin = sum(1 for c in text if c.isalpha() and unicodedata.name(c, "").startswith("LATIN"))
    if khmer == 0 and latin == 0:
        return ""
    return "km" if khmer >= latin else "en"
