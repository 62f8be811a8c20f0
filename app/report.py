"""`sptrack compare` output: the JSON contract of docs/cli.md and its text and HTML views."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from alerts.match.matcher import Matcher
from parsers.compare.crosscheck import crosscheck
from parsers.compare.diff import compare
from parsers.compare.quantities import find_mismatches
from parsers.document import Document


def _side(document: Document) -> dict[str, Any]:
    return {
        "sha256": document.sha256,
        "language": document.language,
        "method": document.method,
        "pages": document.pages,
        "title": document.title,
        "quality": round(document.quality, 3),
    }


def compare_report(old: Document, new: Document, matcher: Matcher) -> dict[str, Any]:
    """Compare two documents and flag each change: the `sptrack compare` JSON object."""
    changes = []
    for change in compare(old, new):
        entry = change.to_json()
        entry["ops"] = [op.to_json() for op in change.ops]
        entry["flags"] = [flag.to_json() for flag in matcher.flag(change)]
        entry["mismatches"] = _mismatches(change.new_text) if change.new_text else []
        changes.append(entry)
    return {"old": _side(old), "new": _side(new), "changes": changes}


def _mismatches(text: str) -> list[dict[str, Any]]:
    """Amounts whose digits disagree with the words in brackets after them (``៤% (ប្រាំ
    ភាគរយ)``): a typo or an OCR error a person should look at. The digits are the value."""
    return [
        {"digits": m.digits, "words": m.words, "unit": m.unit, "text": m.text}
        for m in find_mismatches(text)
    ]


def _full_amount(value: float | None) -> str:
    """A value in base units written out: ``1500000000000.0`` -> ``1,500,000,000,000``."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


@lru_cache(maxsize=1)
def _templates() -> Environment:
    env = Environment(
        loader=PackageLoader("app", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["amount"] = _full_amount
    return env


_RED, _GREEN, _BOLD, _DIM, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[2m", "\x1b[0m"
_KIND_COLOUR = {"added": _GREEN, "removed": _RED, "modified": "\x1b[33m"}
_CONTEXT = 60  # characters of unchanged text kept either side of an edit in the text view
_ONE_SIDED = 600  # characters of an added or removed provision shown in the text view
# Control characters (C0 but tab and newline, DEL, C1) would let a document drive the terminal.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE_RE = re.compile(r"\s+")
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def _squash(text: str) -> str:
    """Document text made safe for a terminal and put on one line (edges kept)."""
    return _SPACE_RE.sub(" ", _CONTROL_RE.sub("", text))


def _plain(text: str) -> str:
    return _squash(text).strip()


def _amount(value: float) -> str:
    for scale, word in _SCALES:
        if abs(value) >= scale:
            return f"{value / scale:,.6g} {word}"
    return f"{value:,.6g}"


def _number_text(n: dict[str, Any]) -> str:
    text = f"{_plain(n['old_text']) or '-'} -> {_plain(n['new_text']) or '-'}"
    unit = n["unit"]
    if unit and unit != "%" and unit.casefold() not in text.casefold():
        old = "-" if n["old"] is None else _amount(n["old"])
        new = "-" if n["new"] is None else _amount(n["new"])
        text += f" ({unit} {old} -> {new})"
    return f"{_plain(n['label'])}: {text}" if n.get("label") else text


def _ref_text(change: dict[str, Any]) -> str:
    old, new = change["old_ref"], change["new_ref"]
    ref = f"{old} -> {new}" if old and new and old != new else new or old or "?"
    unit = change.get("unit") or ""
    if new and unit != new and unit.startswith(new):  # the point inside it: "§ 5(2)(b)"
        ref = ref[: len(ref) - len(new)] + unit
    return _plain(ref)


def _elide(text: str, head: bool, tail: bool) -> str:
    """Unchanged text between edits: keep ``_CONTEXT`` characters next to each edit."""
    if len(text) <= 2 * _CONTEXT + 3:
        return text
    left = text[:_CONTEXT] if head else ""
    right = text[-_CONTEXT:] if tail else ""
    return f"{left}…{right}"


def _redline(change: dict[str, Any], colour: bool) -> str:
    ops = change.get("ops") or []
    parts: list[str] = []
    for k, op in enumerate(ops):
        old, new = _squash(op["old"]), _squash(op["new"])
        if op["tag"] == "equal":
            parts.append(_elide(new or old, k > 0, k < len(ops) - 1))
            continue
        lead = " " if old[:1] == " " or new[:1] == " " else ""
        trail = " " if old[-1:] == " " or new[-1:] == " " else ""
        old, new = old.strip(), new.strip()
        parts.append(lead)
        if old:
            parts.append(f"{_RED}{_BOLD}{old}{_RESET}" if colour else f"[-{old}-]")
        if new:
            parts.append(f"{_GREEN}{_BOLD}{new}{_RESET}" if colour else f"{{+{new}+}}")
        parts.append(trail)
    return re.sub(" {2,}", " ", "".join(parts)).strip()


def _one_sided_text(change: dict[str, Any], colour: bool) -> str:
    added = change["kind"] == "added"
    text = _plain(change["new_text"] if added else change["old_text"])
    if len(text) > _ONE_SIDED:
        text = f"{text[:_ONE_SIDED]}… ({len(text) - _ONE_SIDED} more characters)"
    if colour:
        return f"{_GREEN if added else _RED}{text}{_RESET}"
    return f"{{+{text}+}}" if added else f"[-{text}-]"


def render_compare_text(report: dict[str, Any], colour: bool = False) -> str:
    """The report for a terminal: one block per change (kind, refs, heading, numbers, flags,
    redline). With ``colour`` deletions are red and insertions green (ANSI); without, they
    are marked ``[-old-]{+new+}`` as in ``git diff --word-diff``. Control characters in the
    document text are dropped."""
    lines = []
    for change in report["changes"]:
        kind = change["kind"]
        title = f"{kind.upper():<10} {_ref_text(change)}"
        if change.get("heading"):
            title += f" · {_plain(change['heading'])}"
        if colour:
            title = f"{_BOLD}{_KIND_COLOUR.get(kind, _DIM)}{title}{_RESET}"
        lines.append(title)
        if change["numbers"]:
            lines.append("  numbers  " + "; ".join(_number_text(n) for n in change["numbers"]))
        flags = ", ".join(
            f"{f['position']} ({f['severity']})" + (f" {f['score']:.2f}" if "score" in f else "")
            for f in change["flags"]
        )
        if flags:
            lines.append(f"  flags    {flags}")
        if change.get("needs_check"):
            lines.append("  check    needs human check: one side was read by OCR")
        if kind in ("added", "removed"):
            lines.append(f"  text     {_one_sided_text(change, colour)}")
        elif any(op["tag"] != "equal" for op in change.get("ops") or []):
            lines.append(f"  redline  {_redline(change, colour)}")
    counts = Counter(c["kind"] for c in report["changes"])
    summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    count = len(report["changes"])
    lines.append(
        f"{count} change{'' if count == 1 else 's'}" + (f" ({summary})" if summary else "")
    )
    return "\n".join(lines)


def render_compare_html(report: dict[str, Any], old_name: str, new_name: str) -> str:
    """A standalone side-by-side redline page; document text is escaped (autoescape)."""
    counts = Counter(c["kind"] for c in report["changes"])
    template = _templates().get_template("compare.html.j2")
    return template.render(
        report=report, old_name=old_name, new_name=new_name, counts=sorted(counts.items())
    )


def crosscheck_report(a: Document, b: Document) -> dict[str, Any]:
    """Check two language versions against each other: the `sptrack crosscheck` JSON object."""
    result = crosscheck(a, b)
    return {
        "a": _side(a),
        "b": _side(b),
        "provisions": [p.to_json() for p in result.provisions],
        "disagreements": [p.disagreement_json() for p in result.disagreements],
    }


def _values_text(values: list[dict[str, Any]]) -> str:
    return ", ".join(
        f"{_amount(v['value'])}{v['unit']}"
        if v["unit"] == "%"
        else f"{_amount(v['value'])} {v['unit']}"
        for v in values
    )


def render_crosscheck_text(report: dict[str, Any]) -> str:
    """The cross-check for a terminal: a summary line, then each provision that does not agree."""
    a, b = report["a"], report["b"]
    counts = Counter(p["status"] for p in report["provisions"])
    lines = [
        f"A: {a['language']} {a['sha256'][:12]}  B: {b['language']} {b['sha256'][:12]}",
        f"{len(report['provisions'])} provisions: {counts['agree']} agree, "
        f"{counts['differ']} differ, {counts['missing']} missing",
    ]
    for d in report["disagreements"]:
        lines.append(
            f"differ   {_plain(d['a_ref'])} <-> {_plain(d['b_ref'])}: "
            f"A {_values_text(d['a_only']) or '-'}; B {_values_text(d['b_only']) or '-'}"
        )
    for p in report["provisions"]:
        if p["status"] == "missing":
            where = "B" if p["a_ref"] else "A"
            lines.append(f"missing  {_plain(p['a_ref'] or p['b_ref'])}: not in {where}")
    return "\n".join(lines)
