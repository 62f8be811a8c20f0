"""read_isolated: the reader in a killable child with a memory cap; errors come back as is."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from parsers import CorruptDocument, Document, ParseError, ReadLimits, UnsupportedFormat
from parsers.errors import OutOfMemory, ReaderCrashed, TimedOut
from parsers.read.isolation import _outcome, read_isolated
from parsers.read.reader import HTML, PDF, read

Load = Callable[[str], bytes]

NO_OCR = ReadLimits(ocr=False)


@pytest.mark.parametrize("name", ["subdecree_km_v1.pdf", "subdecree_en_v2.pdf"])
def test_the_document_is_the_one_read_in_process(load: Load, name: str) -> None:
    data = load(name)
    document = read_isolated(data, name=name, limits=NO_OCR)
    assert document == read(data, name=name, limits=NO_OCR)
    assert document.text and document.sections


def test_a_parse_error_comes_back_with_its_class_message_and_attributes(load: Load) -> None:
    data = load("encrypted.pdf")
    with pytest.raises(CorruptDocument) as direct:
        read(data, name="encrypted.pdf")
    with pytest.raises(CorruptDocument) as isolated:
        read_isolated(data, name="encrypted.pdf")
    assert str(isolated.value) == str(direct.value)
    assert "encrypted" in str(isolated.value)
    assert vars(isolated.value) == vars(direct.value)
    assert isolated.value.kind == "PDF" and isolated.value.name == "encrypted.pdf"


def test_zero_bytes_is_a_readable_error() -> None:
    with pytest.raises(UnsupportedFormat, match=r"^empty\.pdf: .*got empty"):
        read_isolated(b"", name="empty.pdf")


def test_truncated_pdf_is_a_readable_error(load: Load) -> None:
    with pytest.raises(CorruptDocument, match="cannot read PDF"):
        read_isolated(load("corrupt_truncated.pdf"), name="corrupt_truncated.pdf")


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [("subdecree_km_v1.html", "ប្រាក់"), ("subdecree_en_v2.html", "contribution")],
)
def test_html_served_as_pdf_is_read_as_html(load: Load, fixture: str, expected: str) -> None:
    document = read_isolated(load(fixture), name="x.pdf", limits=NO_OCR)
    assert document.content_type == HTML
    assert expected in document.text.lower()


def test_image_only_pdf_without_ocr_records_why_it_has_no_text(load: Load) -> None:
    document = read_isolated(load("subdecree_km_scan.pdf"), name="scan.pdf", limits=NO_OCR)
    assert document.content_type == PDF
    assert document.text == ""
    assert any("OCR is off" in w for w in document.warnings)
    assert "no text found" in document.warnings


def test_timeout_kills_the_reader_and_the_ocr_it_started(
    load: Load, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="parsers.read.isolation")
    data = load("scan_subdecree_km_v1.pdf")  # OCR of its pages takes seconds
    started = time.monotonic()
    with pytest.raises(TimedOut, match=r"^scan\.pdf: gave up after 0\.5 s$") as caught:
        read_isolated(data, name="scan.pdf", timeout_s=0.5)
    assert time.monotonic() - started < 5
    assert caught.value.seconds == 0.5
    group = int(re.search(r"process group (\d+)", caplog.text).group(1))  # type: ignore[union-attr]
    assert _group_members(group) == []  # tesseract and pdfium died with the child


def test_memory_cap_gives_out_of_memory() -> None:
    started = time.monotonic()
    with pytest.raises(OutOfMemory, match=r"^big: ran out of memory \(limit 400 MB\)$"):
        read_isolated(b"x", name="big", memory_mb=400, reader=hog_memory)
    assert time.monotonic() - started < 10


def test_a_stuck_reader_is_killed_on_time() -> None:
    started = time.monotonic()
    with pytest.raises(TimedOut, match=r"gave up after 0\.3 s"):
        read_isolated(b"x", name="stuck", timeout_s=0.3, reader=stuck)
    assert time.monotonic() - started < 5


def test_a_reader_killed_by_a_signal_is_a_crash() -> None:
    with pytest.raises(ReaderCrashed, match=r"^seg: reader crashed \(signal 11, SIGSEGV\)$"):
        read_isolated(b"x", name="seg", reader=segfault)


def test_an_unexpected_exception_is_a_crash_with_its_last_line() -> None:
    with pytest.raises(ReaderCrashed, match=r"reader crashed \(KeyError: 'Root'\)"):
        read_isolated(b"x", name="odd.pdf", reader=broken)


def test_a_child_that_dies_without_answering_is_a_crash() -> None:
    with pytest.raises(ReaderCrashed, match=r"exit code 3 without an answer"):
        _outcome(None, 3, name="a.pdf", memory_mb=2048)


@pytest.mark.parametrize(("kwargs"), [{"timeout_s": 0}, {"memory_mb": 0}])
def test_limits_must_be_positive(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must be > 0"):
        read_isolated(b"text", **kwargs)  # type: ignore[arg-type]


def test_every_isolation_error_is_a_parse_error() -> None:
    for error in (TimedOut(1), OutOfMemory(1), ReaderCrashed("signal 9")):
        assert isinstance(error, ParseError) and error.expected and error.got


def hog_memory(data: bytes, **_: object) -> Document:
    """Allocates far more than the cap (in the child)."""
    chunks = [bytearray(64 * 1024 * 1024) for _ in range(64)]
    raise AssertionError(f"allocated {len(chunks)} chunks under the cap")


def stuck(data: bytes, **_: object) -> Document:
    threading.Event().wait()  # blocks forever, like a reader in a loop
    raise AssertionError("unreachable")


def segfault(data: bytes, **_: object) -> Document:
    os.kill(os.getpid(), signal.SIGSEGV)
    raise AssertionError("unreachable")


def broken(data: bytes, **_: object) -> Document:
    raise KeyError("Root")


def _group_members(group: int) -> list[int]:
    """Live processes whose process group is ``group``."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def test_children_do_not_run_the_parents_main_script_again(tmp_path: Path) -> None:
    """multiprocessing would re-run the main script in every child (for `sptrack`, the
    whole command line and its libraries: seconds per document)."""
    runs = tmp_path / "runs.txt"
    script = tmp_path / "main_script.py"
    script.write_text(
        f"""
from pathlib import Path
with Path({str(runs)!r}).open("a") as log:
    log.write("ran\\n")
from parsers.read.isolation import read_isolated
if __name__ == "__main__":
    for _ in range(3):
        read_isolated(b"Article 1.- Purpose\\nThis Prakas applies.\\n", name="x.txt")
""",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert runs.read_text(encoding="utf-8") == "ran\n"
