from __future__ import annotations

import random
import re

from parsers.compare.wording import _khmer_spacing, prepare
from parsers.document import Section
from parsers.tokens import spans, tokenize, words

# What _khmer_spacing finds, as the one pattern it stands for: whitespace between two Khmer
# letters, and the empty places between a Khmer letter and a Khmer digit.
_SPACING_RE = re.compile(
    r"(?<=[\u1780-\u17dd])\s+(?=[\u1780-\u17dd])"
    r"|(?<=[\u1780-\u17dd])(?=[\u17e0-\u17e9])|(?<=[\u17e0-\u17e9])(?=[\u1780-\u17dd])"
)
_ALPHABET = list("ab9-.,%’ \t\n\u00a0\u2003\x1cកខគ្ាំ។៖៝០៥៩\u17ea\u200bé")


def _strings(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 24))) for _ in range(count)]


_TEXTS = [
    "Article 12.- The employer shall pay 4% (KHR 400,000) within 30 days.\n- 3 -",
    "មាត្រា ១២.- និយោជកត្រូវបង់ភាគទាន ៤% នៃប្រាក់ឈ្នួល ក្នុងរយៈពេល ៣០ ថ្ងៃ។\nទំព័រ ៣",
]


def test_tokens_cover_the_text_but_whitespace() -> None:
    for text in _TEXTS + _strings(1, 2_000):
        tokens = tokenize(text)
        assert [(t.text, t.start, t.end) for t in tokens] == spans(text)
        assert words(text) == [t.text for t in tokens]
        assert all(text[t.start : t.end] == t.text for t in tokens)
        assert all(t.space_after == text[t.end : t.end + 1].isspace() for t in tokens)
        assert "".join(t.text for t in tokens) == "".join(text.split())


def test_khmer_words_are_icu_words() -> None:
    assert words(_TEXTS[1])[:4] == ["មាត្រា", "១២", ".", "-"]
    assert "ភាគទាន" in words(_TEXTS[1])


def test_khmer_spacing_is_its_pattern() -> None:
    for text in _strings(2, 20_000):
        assert _khmer_spacing(text) == [m.span() for m in _SPACING_RE.finditer(text)], text


def test_prepared_khmer_is_the_same_however_spaced_and_wrapped() -> None:
    text = "មាត្រា ៦.- និយោជក ត្រូវបង់ ភាគទាន ៤% នៃ ប្រាក់ឈ្នួល តាម មាត្រា៧។"
    wrapped = text.replace(" ត្រូវបង់ ", "\nត្រូវបង់").replace(" នៃ ", "នៃ\n")
    a = prepare(Section("មាត្រា ៦", "", text, kind="មាត្រា", number="៦"))
    b = prepare(Section("មាត្រា ៦", "", wrapped, kind="មាត្រា", number="៦"))
    assert a.keys == b.keys
    assert a.xrefs == b.xrefs  # ៧ after មាត្រា, glued or not, is a cross-reference
    assert "article" in a.xrefs
    assert [wrapped[s] for s in b.starts] == [text[s] for s in a.starts]
