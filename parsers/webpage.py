"""HTML pages: the main text without menus, news tickers, sidebars and footers.

trafilatura does the boilerplate removal (favouring precision, so a changed menu or ticker
never shows up as a change); when it finds nothing, a plain lxml pass takes the text of
``<main>``, ``<article>`` or ``<body>`` minus nav/header/footer/aside/script/style.
"""

from __future__ import annotations

import logging
import re

import lxml.html
import trafilatura
from lxml import etree

logger = logging.getLogger(__name__)

_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg")
_DROP_XPATH = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' menu ')"
    " or contains(@class, 'ticker') or contains(@class, 'breadcrumb')"
    " or contains(@class, 'sidebar') or contains(@class, 'widget') or @role='navigation']"
)
_BLOCK_TAGS = {
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "section", "article",
    "blockquote", "pre", "table", "ul", "ol", "dd", "dt",
}  # fmt: skip
_TITLE_SPLIT_RE = re.compile(r"\s+[|–—-]\s+")
_TABLE_RULE_RE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$")


def looks_like_html(text: str) -> bool:
    """Markup sniffing on the start of a decoded text."""
    head = text[:4096].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in head:
        return True
    tags = re.findall(r"<(html|head|body|div|p|title|meta|table|h[1-6]|a)\b", head)
    return len(tags) >= 3 and re.search(r"</(p|div|body|html|a|td|h[1-6])>", head) is not None


def read_html(markup: str) -> tuple[str, str]:
    """(text, title) of an HTML page; paragraphs one a line."""
    text = trafilatura.extract(
        markup,
        include_tables=True,
        include_comments=False,
        include_links=False,
        include_images=False,
        favor_precision=True,
        deduplicate=False,
        output_format="txt",
    )
    if not text or not text.strip():
        logger.debug("trafilatura found no main text; using the lxml fallback")
        text = _fallback_text(markup)
    return _clean(text or ""), _title(markup)


def _fallback_text(markup: str) -> str:
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    for node in root.xpath(_DROP_XPATH):
        node.drop_tree()
    main = root.xpath("//main") or root.xpath("//article") or root.xpath("//body") or [root]
    parts: list[str] = []
    for node in main[0].iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag in _BLOCK_TAGS:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        if node.tail:
            parts.append(node.tail)
    return "".join(parts)


def _clean(text: str) -> str:
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if _TABLE_RULE_RE.match(line):
            continue
        if line.startswith("|") and line.endswith("|") and len(line) > 1:
            line = "\t".join(cell.strip() for cell in line[1:-1].split("|"))
        lines.append(re.sub(r"[ \u00a0]+", " ", line).strip())
    return "\n".join(line for line in lines if line)


def _title(markup: str) -> str:
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return ""
    for xpath in ("//meta[@property='og:title']/@content", "//title/text()", "//h1//text()"):
        found = [t.strip() for t in root.xpath(xpath) if str(t).strip()]
        if found:
            title = " ".join(str(t) for t in found) if xpath.startswith("//h1") else str(found[0])
            return _TITLE_SPLIT_RE.split(title)[0].strip()
    return ""
