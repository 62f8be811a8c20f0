"""Versions of a file in a fetched git snapshot, rendered as the text of a document (the
versions `sptrack eval realworld` compares).

A snapshot is a bare git directory at ``MIRROR/owner+name/repo``; each version is read with
``git show COMMIT:PATH`` (``git ls-tree`` for a folder of articles), at most
:data:`MAX_RENDERED_BYTES` a call and :data:`GIT_TIMEOUT_S` seconds.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

GIT_TIMEOUT_S = 60
MAX_RENDERED_BYTES = 20_000_000


def snapshot_dir(mirror: Path, repo: str) -> Path:
    """The bare git directory of ``owner/name`` under the mirror folder."""
    return mirror / repo.replace("/", "+") / "repo"


def _git(git_dir: Path, *args: str) -> bytes:
    result = subprocess.run(
        ["git", "--git-dir", str(git_dir), *args],
        capture_output=True,
        timeout=GIT_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ValueError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    if len(result.stdout) > MAX_RENDERED_BYTES:
        raise ValueError(f"git {args[0]}: more than {MAX_RENDERED_BYTES} bytes")
    return result.stdout


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def markdown_to_text(source: str) -> str:
    """Markdown of a law as plain text: front matter dropped, heading marks removed."""
    body = _FRONT_MATTER.sub("", source)
    return re.sub(r"^#{1,6}\s+", "", body, flags=re.M)


def markdown_to_html(source: str, title: str) -> str:
    import html

    import markdown

    body = markdown.markdown(_FRONT_MATTER.sub("", source), extensions=["def_list"])
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
        f"</title></head><body>{body}</body></html>"
    )


def _article_order(name: str) -> tuple[Any, ...]:
    """``Article 375-2.md`` sorts after ``Article 375.md`` and before ``Article 376.md``."""
    parts = re.findall(r"\d+|[A-Za-z]+", Path(name).stem.removeprefix("Article"))
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def render_version(git_dir: Path, commit: str, path: str, render: str) -> str:
    """``path`` at ``commit`` as the text of a file: ``render`` is ``html`` (Markdown as
    HTML), ``text`` (Markdown as plain text), ``articles`` (a folder of one-article Markdown
    files joined in the order of their numbers) or ``file`` (as it is stored)."""
    if render == "articles":
        listing = _git(git_dir, "ls-tree", "--name-only", f"{commit}:{path}")
        names = [n for n in listing.decode("utf-8").splitlines() if n.endswith(".md")]
        parts = [
            _git(git_dir, "show", f"{commit}:{path}/{name}").decode("utf-8")
            for name in sorted(names, key=_article_order)
        ]
        return "\n\n".join(p.strip() for p in parts) + "\n"
    source = _git(git_dir, "show", f"{commit}:{path}").decode("utf-8")
    if render == "file":  # a published page (HTML) or text file, read as it is stored
        return source
    if render == "html":
        return markdown_to_html(source, path)
    return markdown_to_text(source)
