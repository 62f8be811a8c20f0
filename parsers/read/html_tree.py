"""Markup as an lxml tree, however deep it is nested: libxml2 stops reading markup nested
deeper than 256 elements (2000 with ``huge_tree``), so a page nested past that is first
unwrapped by Python's parser, and wrappers still deeper than :data:`_MAX_DEPTH` are
unwrapped in the tree (their text and children kept)."""

from __future__ import annotations

import logging
from html.parser import HTMLParser

import lxml.html

logger = logging.getLogger(__name__)

#: libxml2 stops reading markup nested deeper than 256 elements; the tree is read with
#: ``huge_tree`` and wrappers deeper than this are unwrapped (their text and children kept),
#: so trafilatura and the fallback see the whole text.
_MAX_DEPTH = 64
PARSER = lxml.html.HTMLParser(huge_tree=True)


#: libxml2 reads no deeper than this, even with ``huge_tree``: deeper markup loses its text.
_LIBXML_DEPTH = 2000
_WRAPPERS = frozenset({"div", "span", "section", "font", "center"})


class _Shallow(HTMLParser):
    """The markup again with wrapper tags nested deeper than ``_MAX_DEPTH`` left out (their
    text and other children kept): Python's parser has no depth limit, so this runs before
    libxml2 on pages nested past its limit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.open: list[tuple[str, bool]] = []  # wrapper tags open: (tag, written)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _WRAPPERS:
            written = len(self.open) < _MAX_DEPTH
            self.open.append((tag, written))
            if not written:
                return
        self.out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _WRAPPERS and any(t == tag for t, _ in self.open):
            while self.open:
                name, written = self.open.pop()
                if name == tag:
                    if written:
                        self.out.append(f"</{tag}>")
                    return
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")


def _shallow(markup: str) -> str:
    parser = _Shallow()
    parser.feed(markup)
    parser.close()
    return "".join(parser.out)


def _depth(root: lxml.html.HtmlElement) -> int:
    deepest, depth = 0, {root: 0}
    for node in root.iterdescendants():
        parent = node.getparent()
        d = depth[node] = depth.get(parent, 0) + 1 if parent is not None else 0
        deepest = max(deepest, d)
    return deepest


def _flatten(root: lxml.html.HtmlElement) -> None:
    deep: list[lxml.html.HtmlElement] = []
    depth = {root: 0}
    for node in root.iterdescendants():
        parent = node.getparent()
        d = depth[node] = depth.get(parent, 0) + 1 if parent is not None else 0
        if d > _MAX_DEPTH and node.tag in ("div", "span", "section", "font", "center"):
            deep.append(node)
    if not deep:
        return
    logger.warning("HTML nested %d elements deep: inner wrappers unwrapped", max(depth.values()))
    for node in reversed(deep):
        node.drop_tag()


def parse_deep(markup: str) -> lxml.html.HtmlElement:
    """The document tree of ``markup`` with its whole text, however deep it is nested
    (raises lxml's ``ParserError`` or ``ValueError`` when it cannot be parsed)."""
    root = lxml.html.document_fromstring(markup, parser=PARSER)
    if _depth(root) >= _LIBXML_DEPTH:  # libxml2 stopped reading: unwrap first
        root = lxml.html.document_fromstring(_shallow(markup), parser=PARSER)
    _flatten(root)
    return root
