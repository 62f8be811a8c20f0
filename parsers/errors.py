"""Errors of the READ stage: one base class, few flat subclasses saying expected vs got."""

from __future__ import annotations


class ParseError(Exception):
    """A document could not be read. ``name`` is the file or URL it came from (may be empty),
    ``expected`` and ``got`` say what the reader wanted and what it found."""

    def __init__(self, message: str, *, name: str = "", expected: str = "", got: str = "") -> None:
        self.name = name
        self.expected = expected
        self.got = got
        prefix = f"{name}: " if name else ""
        super().__init__(prefix + message)


class UnsupportedFormat(ParseError):
    """The bytes are not a PDF, DOCX, HTML page or plain text."""

    def __init__(self, got: str, *, name: str = "") -> None:
        super().__init__(
            f"unsupported format: expected PDF, DOCX, HTML or text, got {got}",
            name=name,
            expected="PDF, DOCX, HTML or text",
            got=got,
        )


class CorruptDocument(ParseError):
    """The bytes claim a format the reader knows but cannot be read (truncated, encrypted)."""

    def __init__(self, kind: str, reason: str, *, name: str = "") -> None:
        self.kind = kind
        self.reason = reason
        super().__init__(
            f"cannot read {kind}: {reason}", name=name, expected=f"a readable {kind}", got=reason
        )


class TooLarge(ParseError):
    """The input is over a configured limit (bytes or pages)."""

    def __init__(self, what: str, limit: int, size: int, *, name: str = "") -> None:
        self.what = what
        self.limit = limit
        self.size = size
        super().__init__(
            f"too large: expected at most {limit:,} {what}, got {size:,}",
            name=name,
            expected=f"<= {limit} {what}",
            got=str(size),
        )


class TimedOut(ParseError):
    """Reading took longer than the per-document time limit; the reader was killed."""

    def __init__(self, seconds: float, *, name: str = "") -> None:
        self.seconds = seconds
        super().__init__(
            f"gave up after {seconds:g} s",
            name=name,
            expected=f"read within {seconds:g} s",
            got="still reading",
        )


class OutOfMemory(ParseError):
    """Reading needed more memory than the per-document limit."""

    def __init__(self, limit_mb: int, *, name: str = "") -> None:
        self.limit_mb = limit_mb
        super().__init__(
            f"ran out of memory (limit {limit_mb} MB)",
            name=name,
            expected=f"<= {limit_mb} MB of memory",
            got="more",
        )


class ReaderCrashed(ParseError):
    """The reader process died (a signal or an unexpected error) instead of answering."""

    def __init__(self, reason: str, *, name: str = "") -> None:
        self.reason = reason
        super().__init__(
            f"reader crashed ({reason})", name=name, expected="a Document or an error", got=reason
        )
