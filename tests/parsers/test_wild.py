"""Every real-world PDF of shared/corpus/pdf-wild goes through the isolated reader: text, or
a ParseError that says why; never another exception, a crash or a hang."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers import Document, ParseError, ReadLimits
from parsers.errors import ReaderCrashed, TimedOut
from parsers.read.isolation import read_isolated

WILD = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "pdf-wild"
FILES = sorted(p.name for p in WILD.glob("*.pdf")) if WILD.is_dir() else []
CATEGORY = (
    {e["file"]: e["category"] for e in json.loads((WILD / "manifest.json").read_text())}
    if (WILD / "manifest.json").is_file()
    else {}
)
#: Seconds one file may take (the slowest takes ~1 s on 2 busy cores).
LIMIT_S = 60

#: Known weak spots, each with its reason (strict xfail: a fix makes the test say so).
KNOWN: dict[str, str] = {}

pytestmark = pytest.mark.skipif(not FILES, reason=f"{WILD} is not beside the project")


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN[n], strict=True)) if n in KNOWN else n
        for n in FILES
    ],
)
def test_wild_pdf_gives_text_or_a_readable_error(name: str) -> None:
    data = (WILD / name).read_bytes()
    try:
        document = read_isolated(data, name=name, limits=ReadLimits(ocr=False), timeout_s=LIMIT_S)
    except (TimedOut, ReaderCrashed) as exc:
        pytest.fail(f"{type(exc).__name__}: {exc}")
    except ParseError as exc:
        message = str(exc)
        assert message.startswith(f"{name}: ") and "\n" not in message
        assert "Success" not in message and len(message) < 300
        assert exc.expected and exc.got
        assert CATEGORY.get(name) in (None, "pdfium-fails(malformed/encrypted)")
        return
    assert isinstance(document, Document)
    assert document.content_type == "application/pdf" and document.pages
    assert document.text or document.warnings  # an empty reading says why
    if CATEGORY.get(name, "").startswith("text-"):
        assert document.text
