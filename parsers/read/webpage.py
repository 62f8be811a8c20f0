"""HTML pages: the main text without menus, news tickers, sidebars, footers, cookie banners
and generated timestamps.

Three passes, so that two renderings of a page that differ only in that furniture give the
same text:

1. lxml removes what markup marks as furniture wherever it sits, even inside ``<main>``:
   elements whose class, id or aria-label name a cookie/consent banner, menu, ticker,
   "latest/related/recent" list, share bar, breadcrumb, pagination, sidebar, widget or
   last-updated stamp; ARIA landmarks that are not content (navigation, banner,
   contentinfo, complementary, dialog, search); and a heading such as "Latest news" /
   "ព័ត៌មានថ្មីៗ" together with the list after it. An element holding ``<main>``,
   ``<article>`` or most of the page's text is never removed.
2. trafilatura extracts the main text (favouring precision; the ``<h1>`` headline of the
   main column is put back at the top, trafilatura keeping it as metadata only); when it
   finds nothing, a plain lxml pass takes the text of ``<main>``, ``<article>`` or
   ``<body>``.
3. Lines that are only a generated timestamp ("Last updated: 26 Nov 2026 10:31",
   "ធ្វើបច្ចុប្បន្នភាពចុងក្រោយ៖ ...", "Page generated in 0.2 s") are dropped.
"""

from __future__ import annotations

import logging
import re

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.xpaths import BODY_XPATH

from parsers.read.html_tree import PARSER, parse_deep

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
_FURNITURE_WORDS = (
    "cookie|cookies|cookiebar|consent|gdpr|cc-window|cc-banner|cmplz|newsletter|subscribe|"
    "share|sharing|sharedaddy|social-share|social-links|social-icons|socials|related|latest|"
    "latest-posts|recent|recent-posts|popular|ticker|marquee|breadcrumb|breadcrumbs|"
    "pagination|nav-links|post-navigation|sidebar|widget|menu|navbar|skip-link|"
    "screen-reader-text|last-updated|lastupdated|updated|modified|date-modified|generated|"
    "timestamp|back-to-top|print"
)
_FURNITURE_ATTR_RE = re.compile(rf"(?:^|[\s_-])(?:{_FURNITURE_WORDS})(?:$|[\s_-])", re.I)
_FURNITURE_ROLES = {
    "navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search",
}  # fmt: skip
_FURNITURE_HEADING_RE = re.compile(
    r"^(?:latest|recent|related|more|popular|other|top)\s+(?:news|posts?|articles?|stories|"
    r"updates|documents)|^(?:news|read more|see also|you may also like)$|"
    r"^(?:ព័ត៌មាន|អត្ថបទ|ឯកសារ)(?:ថ្មីៗ|ថ្មី|ចុងក្រោយ|ពាក់ព័ន្ធ|ផ្សេងទៀត|ពេញនិយម)",
    re.I,
)
_LIST_HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6", "p", "strong", "div", "span")
_STAMP_RE = re.compile(
    r"^(?:(?:last\s+)?(?:updated|modified|generated|revised)|date\s+modified|"
    r"page\s+(?:generated|rendered|created)|"
    r"(?:បាន)?ធ្វើបច្ចុប្បន្នភាព(?:ចុងក្រោយ)?|បច្ចុប្បន្នភាពចុងក្រោយ|កែ(?:ប្រែ|សម្រួល)ចុងក្រោយ)"
    r"(?:\s*[:៖\-–]\s*|\s+(?:on|at|in)\s+|\s*(?=[0-9០-៩])|\s*(?=(?:នៅ)?ថ្ងៃ))"
    r"(?P<rest>.{0,60})$",
    re.I,
)
# A line holding only a date and a clock time ("26 Nov 2026 10:31", "2026-11-26 10:31:05").
_CLOCK_ONLY_RE = re.compile(
    r"^(?=.*[0-9០-៩]{4})[\w\s,./-]{0,40}?[0-9០-៩]{1,2}[:៖][0-9០-៩]{2}(?:[:៖][0-9០-៩]{2})?"
    r"\s*(?:am|pm|ICT|UTC[+0-9]*)?$",
    re.I,
)
_TITLE_SPLIT_RE = re.compile(r"\s+[|–—-]\s+")
# trafilatura's list bullet before the number written into an ordered list's item.
_ITEM_NUMBER_RE = re.compile(r"^-\s+(?=(?:\d{1,3}|[A-Za-z])\.\s)")
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
    cleaned = strip_furniture(markup)
    text = trafilatura.extract(
        cleaned,
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
        text = _fallback_text(cleaned)
    text = _clean(text or "")
    return _with_headline(text, _headline(cleaned)), _title(markup)


def _with_headline(text: str, headline: list[str]) -> str:
    """``text`` with the page's heading block (:func:`_headline`) in it, once: trafilatura
    keeps the headline as metadata only, and keeps or drops the block's other lines (a
    section number beside the ``<h1>``) as the rest of the page's markup sways it."""
    lines = text.splitlines()
    if not text or not headline:
        return text
    size = len(headline)
    if any(lines[i : i + size] == headline for i in range(len(lines))):
        return text
    if headline[-1] in lines:  # the <h1> without the lines before it in its block
        at = lines.index(headline[-1])
        lines[at:at] = headline[:-1]
        return "\n".join(lines)
    return "\n".join([*headline, text])


def strip_furniture(markup: str) -> str:
    """The page without the elements pass 1 of the module doc removes (unchanged markup when
    lxml cannot parse it)."""
    try:
        root = parse_deep(markup)
    except (etree.ParserError, ValueError):
        return markup
    for node in root.iter("header"):
        # A header that holds the instrument's heading or sits in the main text (title and
        # preamble of a decree) is structure; a site banner is mostly links.
        inside = any(a.tag in ("main", "article") for a in node.iterancestors())
        headed = bool(node.xpath(".//h1|.//h2|.//h3|.//h4|.//h5|.//h6"))
        if (inside or headed) and not _mostly_links(node) and not _is_furniture(node):
            node.tag = "section"
    body = root.find("body")
    total = len(_text_of(body if body is not None else root))
    doomed: list[lxml.html.HtmlElement] = []
    for node in root.iter():
        if not isinstance(node.tag, str) or node.tag in ("html", "body", "main", "article"):
            continue
        if _is_furniture(node) and _may_drop(node, total):
            doomed.append(node)
        elif node.tag in _LIST_HEADING_TAGS and _is_list_heading(_text_of(node)):
            following = node.getnext()
            if _is_link_list(following, total):
                doomed.extend((node, following))
    for node in doomed:
        if node.getparent() is not None:
            node.drop_tree()
    _number_ordered_lists(root)
    if body is not None and not root.xpath("//main|//article"):
        _wrap_body(body)
    _widen_to_main_column(root)
    return str(lxml.html.tostring(root, encoding="unicode"))


def _wrap_body(body: lxml.html.HtmlElement) -> None:
    """Put the body's content (furniture already removed) into one ``<article>``: without a
    main column, trafilatura falls back to heuristics that drop headings (``<h2>§ 1 ...</h2>``,
    ``<h4>Art 93</h4>``) and list items, so a page of a law would lose its structure."""
    article = lxml.html.Element("article")
    article.text, body.text = body.text, None
    for child in list(body):
        article.append(child)  # moves the child, its tail included
    body.append(article)


def _widen_to_main_column(root: lxml.html.HtmlElement) -> None:
    """Let trafilatura read the whole main column. It narrows the page to the first container
    its content vocabulary names (``<div class="entry-content">``) and loses what the column
    holds beside it: the title block and preamble of a decree in the article's ``<header>``.
    When the container it would choose sits inside the one ``<article>`` (else ``<main>``)
    and the column has text outside it (the ``<h1>`` aside, which is put back anyway), the
    container's naming attributes are removed, until its choice spans the column."""
    columns = root.xpath("//article") or root.xpath("//main")
    if len(columns) != 1:
        return
    column = columns[0]
    for _ in range(16):
        picked = next((found[0] for xpath in BODY_XPATH if (found := xpath(root))), None)
        if picked is None or picked is column or column not in picked.iterancestors():
            return
        outside = len(_text_of(column)) - len(_text_of(picked))
        heads = [h for h in column.iter("h1") if picked not in h.iterancestors()]
        outside -= sum(len(_text_of(h)) + 1 for h in heads)
        if outside <= 0:
            return
        for name in ("class", "id", "itemprop", "role"):
            picked.attrib.pop(name, None)


_LIST_STYLES = {"a": "abcdefghijklmnopqrstuvwxyz", "A": "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def _list_value(value: str, default: int) -> int:
    """An item's own ``value`` when it is a plain number (hostile pages may write "²" or a
    5,000-digit string, which ``int`` refuses), else the running count."""
    value = value.strip()
    return int(value) if value.isdecimal() and len(value) <= 9 else default


def _number_ordered_lists(root: lxml.html.HtmlElement) -> None:
    """Write the number of each item of an ordered list into its text (``1.``, ``a.``): in
    a law the point number is content that references cite ("Nr. 4c", "point (b)")."""
    for ol in root.iter("ol"):
        style = ol.get("type", "1")
        try:
            n = int(ol.get("start", "1"))
        except ValueError:
            n = 1
        for li in ol:
            if not isinstance(li.tag, str) or li.tag != "li":
                continue
            n = _list_value(li.get("value", ""), n)
            letters = _LIST_STYLES.get(style)
            label = letters[(n - 1) % len(letters)] if letters and n >= 1 else str(n)
            target = li
            while len(target) and not (target.text or "").strip() and target[0].tag == "p":
                target = target[0]  # "<li><p>text</p></li>" (Markdown's loose lists)
            target.text = f"{label}. {(target.text or '').lstrip()}"
            n += 1


def _is_list_heading(text: str) -> bool:
    return len(text) <= 60 and _FURNITURE_HEADING_RE.match(text) is not None


def _is_link_list(node: lxml.html.HtmlElement | None, total: int) -> bool:
    return (
        node is not None
        and node.tag in ("ul", "ol", "div", "section")
        and _may_drop(node, total)
        and _mostly_links(node)
    )


def _is_furniture(node: lxml.html.HtmlElement) -> bool:
    if node.get("role", "").lower() in _FURNITURE_ROLES:
        return True
    attrs = " ".join(node.get(a, "") for a in ("class", "id", "aria-label"))
    return bool(attrs.strip()) and _FURNITURE_ATTR_RE.search(attrs) is not None


def _may_drop(node: lxml.html.HtmlElement, total: int) -> bool:
    if node.xpath(".//main|.//article|.//h1"):
        return False
    return len(_text_of(node)) <= max(200, total * 0.4)


def _mostly_links(node: lxml.html.HtmlElement) -> bool:
    text = len(_text_of(node))
    linked = sum(len(_text_of(a)) for a in node.iter("a"))
    return text > 0 and linked >= 0.5 * text


def _text_of(node: lxml.html.HtmlElement) -> str:
    return " ".join("".join(node.itertext()).split())


def _fallback_text(markup: str) -> str:
    try:
        root = lxml.html.document_fromstring(markup, parser=PARSER)
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
        if _TABLE_RULE_RE.match(line) or _is_timestamp(line):
            continue
        line = _ITEM_NUMBER_RE.sub("", line)
        if line.startswith("|") and line.endswith("|") and len(line) > 1:
            line = "\t".join(cell.strip() for cell in line[1:-1].split("|"))
        lines.append(re.sub(r"[ \u00a0]+", " ", line).strip())
    return "\n".join(line for line in lines if line)


def _headline(markup: str) -> list[str]:
    """The lines of the heading block of the one ``<h1>`` of the main column (none when
    there are several): the ``<h1>``, and with it the short siblings its parent holds beside
    it and nothing else (``<div class="secnum">§88-21</div><h1>Definitions.</h1>``)."""
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return []
    heads = root.xpath("//main//h1|//article//h1") or root.xpath("//h1")
    if len(heads) != 1 or not _text_of(heads[0]):
        return []
    head, parent = heads[0], heads[0].getparent()
    block = [head]
    if (
        parent is not None
        and parent.tag in ("div", "hgroup", "header")
        and not ((parent.text or "").strip() or any((c.tail or "").strip() for c in parent))
    ):
        siblings = [c for c in parent if isinstance(c.tag, str) and c is not head]
        if all(_is_heading_part(c) for c in siblings):
            block = [c for c in parent if isinstance(c.tag, str) and _text_of(c)]
    lines = [_text_of(node) for node in block[: block.index(head) + 1]]
    return lines  # up to the <h1>: a subtitle after it is the text's own first line


def _is_heading_part(node: lxml.html.HtmlElement) -> bool:
    """A short element of a heading block: a number or label, no paragraphs, no links."""
    text = _text_of(node)
    return (
        node.tag in ("div", "span", "p", "small", "strong", "b")
        and len(text) <= 40
        and not node.xpath(".//a|.//p|.//div|.//table|.//ul|.//ol|.//pre|.//button")
    )


def _is_timestamp(line: str) -> bool:
    """A line that only says when the page was generated or last updated."""
    stamp = _STAMP_RE.match(line)
    if stamp:
        rest = stamp.group("rest").strip()
        # "Last updated:" alone is what is left when the extractor drops a <time> element.
        return any(c.isdigit() for c in rest) or (not rest and line.rstrip()[-1] in ":៖")
    return _CLOCK_ONLY_RE.match(line) is not None


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
