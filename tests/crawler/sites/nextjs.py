"""NSPC's site on 127.0.0.1, shaped as a Next.js (next-intl) app with ``/en`` and ``/kh``.

Publications pages embed their data in ``<script id="__NEXT_DATA__">`` (``pageProps`` with
``publications``: id, slug, title, date, ``file.url``), render cards whose links the
browser would follow, and paginate with ``a[rel=next]`` (``?page=N``). The same ids appear
in both locales.
"""

from __future__ import annotations

import json
from typing import Any

from tests.support.publisher_site import Doc, FixtureSite, pdf_bytes

PUBLICATIONS: list[dict[str, Any]] = [
    {
        "id": 12,
        "slug": "nsppf-2016-2025",
        "title": {
            "en": "National Social Protection Policy Framework 2016-2025",
            "kh": "ក្របខ័ណ្ឌគោលនយោបាយជាតិគាំពារសង្គម ២០១៦-២០២៥",
        },
        "date": "2017-03-24T00:00:00.000Z",
    },
    {
        "id": 31,
        "slug": "communication-strategy-2022",
        "title": {
            "en": "Social Protection Communication Strategy",
            "kh": "យុទ្ធសាស្ត្រទំនាក់ទំនងគាំពារសង្គម",
        },
        "date": "2022-07-15T00:00:00.000Z",
    },
    {
        "id": 40,
        "slug": "annual-report-2024",
        "title": {"en": "GS-NSPC Annual Report 2024", "kh": "របាយការណ៍ប្រចាំឆ្នាំ ២០២៤"},
        "date": "2025-02-01T00:00:00.000Z",
    },
]


def file_path(locale: str, publication: dict[str, Any]) -> str:
    return f"/uploads/publications/{publication['slug']}-{locale}.pdf"


class NextSite:
    def __init__(self, site: FixtureSite) -> None:
        self.site = site
        for locale in ("en", "kh"):
            pages = [PUBLICATIONS[:2], PUBLICATIONS[2:]]
            for number, chunk in enumerate(pages, start=1):
                path = f"/{locale}/publications" + ("" if number == 1 else f"?page={number}")
                has_next = number < len(pages)
                site.pages[path] = page(locale, chunk, number, has_next)
            for publication in PUBLICATIONS:
                site.docs[file_path(locale, publication)] = Doc(
                    pdf_bytes(f"{publication['slug']} {locale}")
                )


def page(locale: str, chunk: list[dict[str, Any]], number: int, has_next: bool) -> str:
    entries = [
        {
            "id": p["id"],
            "slug": p["slug"],
            "title": p["title"][locale],
            "date": p["date"],
            "file": {"url": file_path(locale, p), "mime": "application/pdf"},
        }
        for p in chunk
    ]
    data = {
        "props": {"pageProps": {"publications": entries, "page": number, "messages": {}}},
        "page": "/[locale]/publications",
        "query": {"locale": locale},
        "buildId": "b1",
    }
    cards = "".join(
        f'<div class="card"><h3>{e["title"]}</h3><a href="{e["file"]["url"]}">PDF</a></div>'
        for e in entries
    )
    nxt = f'<a rel="next" href="/{locale}/publications?page={number + 1}">›</a>' if has_next else ""
    return (
        f'<html lang="{locale}"><body><div id="__next"><main>{cards}</main>{nxt}</div>'
        f'<script id="__NEXT_DATA__" type="application/json">'
        f"{json.dumps(data, ensure_ascii=False)}</script></body></html>"
    )
