"""NSPC's site on 127.0.0.1 as a Next.js App Router app whose lists load from a JSON API.

The HTML pages (``/kh/laws``, ``/en/laws``) are client-rendered shells: React
Server Component payloads in ``self.__next_f.push`` scripts, a skeleton, no document link
and no ``__NEXT_DATA__``. The browser then asks the API, shaped like the one the site's
front end calls: ``/api/public/laws?lang=km&page=N&pageSize=S`` answering
``{"total", "page", "pageSize", "categories", "items": [{"id", "category", "date",
"language", "title", "description", "pdfUrl"}]}``,
``lang`` being ``km`` or ``en``. ``pdfUrl`` is relative or absolute, sometimes null (an
item without a file yet); the same ``id`` is shared by an instrument's two languages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

from werkzeug import Request, Response

from tests.support.publisher_site import Doc, FixtureSite, pdf_bytes

MAX_PAGE_SIZE = 50


@dataclass(frozen=True)
class Entry:
    id: str
    category: str
    date: str
    km: str
    en: str
    file: str | None


LAWS = [
    Entry(
        "law-2019-018",
        "Law",
        "2019-11-02T00:00:00Z",
        "ច្បាប់ស្តីពីរបបសន្តិសុខសង្គម",
        "Law on Social Security Schemes",
        "law-social-security-schemes",
    ),
    Entry(
        "sd-2021-032",
        "Sub-decree",
        "2021-03-04T00:00:00Z",
        "អនុក្រឹត្យស្តីពីរបបសោធននិវត្តន៍",
        "Sub-decree No. 32 on the Pension Scheme",
        "អនុក្រឹត្យ-៣២",
    ),
    Entry(
        "sd-2023-224",
        "Sub-decree",
        "2023-12-05T00:00:00Z",
        "អនុក្រឹត្យស្តីពីកញ្ចប់គ្រួសារ",
        "Sub-decree on the Family Package",
        "family-package",
    ),
    Entry(
        "pk-2022-165",
        "Prakas",
        "2022-06-28T00:00:00Z",
        "ប្រកាសអន្តរក្រសួងលេខ ១៦៥",
        "Inter-ministerial Prakas No. 165",
        "prakas-165",
    ),
    Entry(
        "pk-2024-draft",
        "Prakas",
        "2024-08-01T00:00:00Z",
        "សេចក្តីព្រាងប្រកាស",
        "Draft prakas (file not yet published)",
        None,
    ),
]
COLLECTIONS = {"laws": LAWS}


def file_path(collection: str, entry: Entry, lang: str) -> str:
    assert entry.file is not None
    return f"/uploads/{collection}/{entry.file}-{lang}.pdf"


class NextAppSite:
    def __init__(self, site: FixtureSite) -> None:
        self.site = site
        self.api_hits: list[str] = []
        for collection, entries in COLLECTIONS.items():
            site.routes[f"/api/public/{collection}"] = self._api(collection, entries)
            for locale in ("kh", "en"):
                site.pages[f"/{locale}/{collection}"] = shell(locale, collection)
            for entry in entries:
                if entry.file is None:
                    continue
                for lang in ("km", "en"):
                    site.docs[file_path(collection, entry, lang)] = Doc(
                        pdf_bytes(f"{entry.id} {lang}")
                    )

    def expected(self) -> set[str]:
        return {
            self.site.url(quote(file_path(collection, entry, lang)))
            for collection, entries in COLLECTIONS.items()
            for entry in entries
            if entry.file is not None
            for lang in ("km", "en")
        }

    def _api(self, collection: str, entries: list[Entry]):  # type: ignore[no-untyped-def]
        def answer(request: Request) -> Response:
            lang = request.args.get("lang", "en")
            if lang not in ("km", "en"):
                return Response(json.dumps({"message": "unknown lang"}), status=400)
            page = int(request.args.get("page", "1"))
            size = min(int(request.args.get("pageSize", "9")), MAX_PAGE_SIZE)
            chunk = entries[(page - 1) * size : page * size]
            items = [item(collection, e, lang, n, self.site) for n, e in enumerate(chunk)]
            body = {
                "total": len(entries),
                "page": page,
                "pageSize": size,
                "categories": sorted({e.category for e in entries}),
                "items": items,
            }
            return Response(
                json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8"
            )

        return answer


def item(collection: str, entry: Entry, lang: str, n: int, site: FixtureSite) -> dict[str, object]:
    pdf: str | None = None
    if entry.file is not None:
        path = quote(file_path(collection, entry, lang))
        pdf = site.url(path) if n % 2 else path  # the API gives both forms
    return {
        "id": entry.id,
        "category": entry.category,
        "date": entry.date,
        "language": lang,
        "title": entry.km if lang == "km" else entry.en,
        "description": "",
        "pdfUrl": pdf,
    }


def shell(locale: str, collection: str) -> str:
    payload = json.dumps([1, f'2:I["app/[locale]/{collection}/page","{locale}"]\n'])
    return (
        f'<!DOCTYPE html><html lang="{locale}"><head>'
        '<script src="/_next/static/chunks/webpack.js" async=""></script></head>'
        '<body><header><nav><a href="/kh">ខ្មែរ</a> <a href="/en">English</a></nav></header>'
        '<main><div class="h-64 bg-gray-100 animate-pulse"></div>'
        '<div class="grid"><div class="animate-pulse"></div></div></main>'
        f"<script>(self.__next_f=self.__next_f||[]).push({payload})</script>"
        "</body></html>"
    )
