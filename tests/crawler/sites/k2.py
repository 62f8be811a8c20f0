"""A Joomla + K2 ministry site on 127.0.0.1, shaped like mlvt.gov.kh.

Category listings under Khmer paths (``/index.php/ឯកសារផ្លូវការ/ប្រកាស.html``) with K2's
markup (``div.catItemView``, ``h3.catItemTitle a``, ``span.catItemDateCreated``), titles
cut off with an ellipsis, Joomla pagination (``a[title='បន្ទាប់']``, ``?start=N``). Each item's
detail page has the full title (``h2.itemTitle``) and shows its PDF through a JavaScript
viewer (``$('#pdfviewer0').pdfViewer("…/media/k2/attachments/YYYYMMDD_n.pdf")``); one item
has only a K2 attachment link instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.support.publisher_site import Doc, FixtureSite, pdf_bytes

LISTING = "/index.php/ឯកសារផ្លូវការ/ប្រកាស.html"


@dataclass
class Item:
    id: int
    title: str
    date: str
    file: str
    viewer: bool = True

    @property
    def path(self) -> str:
        return f"/index.php/ឯកសារផ្លូវការ/ប្រកាស/{self.id}.html"


ITEMS = [
    Item(
        216,
        "ប្រកាស លេខ២១៦/២៥ ស្តីពី ការកំណត់ថ្ងៃឈប់សម្រាកការងារ ប្រចាំឆ្នាំ២០២៦",
        "ថ្ងៃព្រហស្បតិ៍ ទី១៨ ខែកញ្ញា ឆ្នាំ២០២៥",
        "/media/k2/attachments/20250918_216.pdf",
    ),
    Item(
        215,
        "ប្រកាស លេខ២១៥/២៥ ស្តីពី ប្រាក់ឈ្នួលអប្បបរមា សម្រាប់កម្មករ វិស័យវាយនភណ្ឌ",
        "ថ្ងៃពុធ ទី១៧ ខែកញ្ញា ឆ្នាំ២០២៥",
        "/media/k2/attachments/20250917_215.pdf",
    ),
    Item(
        190,
        "Prakas No. 190/25 on occupational safety committees in enterprises",
        "Monday, 01 September 2025",
        "/media/k2/attachments/20250901_190.pdf",
    ),
    Item(
        150,
        "ប្រកាស លេខ១៥០/២៥ ស្តីពី ការចុះបញ្ជីកម្មករមេផ្ទះ",
        "ថ្ងៃចន្ទ ទី០៤ ខែសីហា ឆ្នាំ២០២៥",
        "/media/k2/attachments/20250804_150.pdf",
        False,
    ),
]


def cut(title: str, length: int = 24) -> str:
    return title if len(title) <= length else title[:length] + "…"


class K2Site:
    def __init__(self, site: FixtureSite) -> None:
        self.site = site
        self.items = list(ITEMS)
        self.render()

    def render(self) -> None:
        first, rest = self.items[:2], self.items[2:]
        self.site.pages[LISTING] = listing(first, f"{LISTING}?start=2")
        self.site.pages[f"{LISTING}?start=2"] = listing(rest, None)
        for item in self.items:
            self.site.pages[item.path] = detail(self.site, item)
            self.site.docs[item.file] = Doc(pdf_bytes(f"scan {item.id}"))
            if not item.viewer:
                self.site.redirects[f"/index.php/item/{item.id}/download"] = item.file


def listing(items: list[Item], next_href: str | None) -> str:
    entries = "".join(
        f"""<div class="itemContainer"><div class="catItemView groupLeading">
<div class="catItemHeader"><span class="catItemDateCreated">{i.date}</span>
<h3 class="catItemTitle"><a href="{i.path}">{cut(i.title)}</a></h3></div>
<div class="catItemIntroText">…</div></div></div>"""
        for i in items
    )
    pager = (
        f'<div class="k2Pagination"><ul class="pagination-list"><li><a title="បន្ទាប់"'
        f' href="{next_href}" class="pagenav">បន្ទាប់</a></li></ul></div>'
        if next_href
        else ""
    )
    return f"""<html><body><div id="k2Container" class="itemListView">
<div class="itemList">{entries}</div>{pager}</div></body></html>"""


def detail(site: FixtureSite, item: Item) -> str:
    if item.viewer:
        body = f"""<div id="pdfviewer0"></div>
<script>jQuery(function($){{ $('#pdfviewer0').pdfViewer("{site.url(item.file)}"); }});</script>"""
    else:
        name = item.file.rsplit("/", 1)[1]
        href = f"/index.php/item/{item.id}/download"
        body = f"""<div class="itemAttachmentsBlock"><ul class="itemAttachments">
<li><a title="{name}" href="{href}">ទាញយក</a></li></ul></div>"""
    return f"""<html><body><div id="k2Container" class="itemView">
<div class="itemHeader"><span class="itemDateCreated">{item.date}</span>
<h2 class="itemTitle">{item.title}</h2></div>
<div class="itemBody"><div class="itemFullText">{body}</div></div></div></body></html>"""
