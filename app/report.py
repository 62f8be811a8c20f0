"""`sptrack compare` output: the JSON contract of DESIGN.md and its text and HTML views."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from alerts.matcher import Matcher
from parsers.compare import compare
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
        changes.append(entry)
    return {"old": _side(old), "new": _side(new), "changes": changes}


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("app", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_compare_text(report: dict[str, Any]) -> str:
    lines = []
    for change in report["changes"]:
        ref = change["new_ref"] or change["old_ref"] or "?"
        if change["old_ref"] and change["new_ref"] and change["old_ref"] != change["new_ref"]:
            ref = f"{change['old_ref']} -> {change['new_ref']}"
        line = f"{change['kind']:<10} {ref}"
        numbers = "; ".join(
            f"{n['old_text'] or '-'} -> {n['new_text'] or '-'}" for n in change["numbers"]
        )
        if numbers:
            line += f": {numbers}"
        flags = ", ".join(f"{f['position']} ({f['severity']})" for f in change["flags"])
        if flags:
            line += f"  [{flags}]"
        if change.get("needs_check"):
            line += "  (needs human check: OCR)"
        lines.append(line)
    lines.append(f"{len(report['changes'])} changes")
    return "\n".join(lines)


def render_compare_html(report: dict[str, Any], old_name: str, new_name: str) -> str:
    template = _templates().get_template("compare.html.j2")
    return template.render(report=report, old_name=old_name, new_name=new_name)
