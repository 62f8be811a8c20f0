"""A WordPress site whose sections sit among other sections' files, REST API filters on.

Shaped like mosvy.gov.kh and pressocm.gov.kh: a legal-documents page with a Khmer slug
(``/ច្បាប់-និងបធបញ្ញត្តិ``, the site's typo kept) whose content links its PDFs ("មើលឯកសារ"),
with files attached to it, a child page and a grandchild page holding more; beside it an
"about" page, a media library of unrelated PDFs (annual report, event programme) and a
logo. Posts sit in categories (``general-information-km/press-release-km-km``, ``news-km``):
press releases that are articles with no file, one linking a sub-decree, and news posts
linking unrelated PDFs.

The REST API answers ``/wp-json/wp/v2/{pages,posts,media,categories,tags}`` with
WordPress's filters: ``slug`` (Khmer slugs matched decoded), ``parent``, ``categories``,
``mime_type``, ``orderby=modified|date`` with ``order``, two entries a page whatever
``per_page`` asks, ``X-WP-Total``/``X-WP-TotalPages``. Every entry has ``modified_gmt``;
``touch`` changes one as an editor would.
"""

from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import quote

from werkzeug import Request, Response

from tests.support.publisher_site import Doc, FixtureSite, pdf_bytes

PAGE_SIZE = 2
LEGAL_SLUG = "ច្បាប់-និងបធបញ្ញត្តិ"
UP = "/wp-content/uploads"


def link(path: str, text: str = "មើលឯកសារ") -> str:
    return f'<a href="{quote(path)}">{text}</a>'


class WordPressSections:
    def __init__(self, site: FixtureSite) -> None:
        self.site = site
        self.legal: set[str] = set()
        self.pages: list[dict[str, Any]] = [
            self._page(
                352497,
                LEGAL_SLUG,
                0,
                "ច្បាប់ និងបទប្បញ្ញត្តិ",
                [
                    (f"{UP}/2021/11/02-Prakas-on-CTP-PF-Implementation.pdf", True),
                    (f"{UP}/2022/03/អនុក្រឹត្យ-កញ្ចប់គ្រួសារ.pdf", True),
                ],
            ),
            self._page(
                352600,
                "ប្រកាស",
                352497,
                "ប្រកាស",
                [
                    (f"{UP}/2023/05/prakas-165-contribution.pdf", True),
                ],
            ),
            self._page(
                352700,
                "ឆ្នាំ-២០២៤",
                352600,
                "ប្រកាស ២០២៤",
                [
                    (f"{UP}/2024/02/prakas-2024-021.pdf", True),
                ],
            ),
            self._page(
                120,
                "about-us",
                0,
                "About the ministry",
                [
                    (f"{UP}/2020/01/organisation-chart.pdf", False),
                ],
            ),
        ]
        self.media: list[dict[str, Any]] = [
            self._media(9001, f"{UP}/2021/11/attached-circular-cash-transfer.pdf", 352497, True),
            self._media(9002, f"{UP}/2023/05/prakas-165-annex.pdf", 352600, True),
            self._media(9003, f"{UP}/2024/01/annual-report-2023.pdf", 0, False),
            self._media(9004, f"{UP}/2024/03/event-programme.pdf", 120, False),
            self._media(9005, f"{UP}/2024/03/logo.png", 0, False, "image/png"),
        ]
        self.categories = [
            {"id": 10, "slug": "general-information-km", "parent": 0},
            {"id": 12, "slug": "press-release-km-km", "parent": 10},
            {"id": 13, "slug": "news-km", "parent": 10},
        ]
        self.press: set[str] = set()
        self.posts: list[dict[str, Any]] = [
            self._post(5101, 12, "សេចក្តីប្រកាសព័ត៌មាន ស្តីពីប្រាក់សោធន", None),
            self._post(5102, 12, "Press release on the Family Package", None),
            self._post(5103, 12, "អនុក្រឹត្យ ស្តីពីថ្ងៃឈប់សម្រាក", f"{UP}/2024/12/sub-decree-holidays.pdf"),
            self._post(5201, 13, "Minister visits a province", f"{UP}/2024/06/visit-photos.pdf"),
            self._post(5202, 13, "Workshop programme", f"{UP}/2024/07/workshop.pdf"),
        ]
        for collection in ("pages", "posts", "media", "categories", "tags"):
            site.routes[f"/wp-json/wp/v2/{collection}"] = self._route(collection)

    # -- content ---------------------------------------------------------------------------

    def _file(self, path: str, legal: bool) -> None:
        self.site.docs[path] = Doc(pdf_bytes(path))
        if legal:
            self.legal.add(path)

    def _page(
        self, ident: int, slug: str, parent: int, title: str, files: list[tuple[str, bool]]
    ) -> dict[str, Any]:
        for path, legal in files:
            self._file(path, legal)
        body = "".join(
            f"<p>{title} {link(path)} | {link(path, 'Khmer Version')}</p>" for path, _ in files
        )
        return {
            "id": ident,
            "slug": quote(slug).lower(),
            "parent": parent,
            "link": self.site.url("/" + quote(slug) + "/"),
            "modified_gmt": f"2024-0{1 + ident % 9}-01T00:00:00",
            "title": {"rendered": title},
            "content": {"rendered": body},
        }

    def _media(
        self, ident: int, path: str, parent: int, legal: bool, mime: str = "application/pdf"
    ) -> dict[str, Any]:
        if mime == "application/pdf":
            self._file(path, legal)
        return {
            "id": ident,
            "post": parent,
            "mime_type": mime,
            "source_url": self.site.url(quote(path)),
            "modified_gmt": f"2024-05-{10 + ident % 9:02d}T00:00:00",
            "title": {"rendered": path.rsplit("/", 1)[-1]},
        }

    def _post(self, ident: int, category: int, title: str, pdf: str | None) -> dict[str, Any]:
        body = "<p>ព័ត៌មាន news</p>"
        if pdf is not None:
            self._file(pdf, False)
            body += f"<p>{link(pdf, 'PDF')}</p>"
        path = f"/archives/{ident}"
        self.site.pages[path] = f"<html><body><h1>{title}</h1>{body}</body></html>"
        if category == 12:
            self.press.add(path)
            if pdf is not None:
                self.press.add(pdf)
        return {
            "id": ident,
            "categories": [category],
            "link": self.site.url(path),
            "date": f"2024-06-{ident % 100:02d}T08:00:00",
            "modified_gmt": f"2024-06-{ident % 100:02d}T08:00:00",
            "title": {"rendered": title},
            "content": {"rendered": body},
        }

    def touch(self, ident: int, modified: str, pdf: str) -> None:
        """An editor adds a file to a post."""
        post = next(p for p in self.posts if p["id"] == ident)
        self._file(pdf, False)
        post["content"]["rendered"] += f"<p>{link(pdf, 'PDF')}</p>"
        post["modified_gmt"] = modified

    # -- REST ------------------------------------------------------------------------------

    def _route(self, collection: str):  # type: ignore[no-untyped-def]
        def answer(request: Request) -> Response:
            entries = {
                "pages": self.pages,
                "posts": self.posts,
                "media": self.media,
                "categories": self.categories,
                "tags": [],
            }[collection]
            args = request.args
            if "slug" in args:
                wanted = quote(args["slug"]).lower()
                entries = [e for e in entries if e["slug"] == wanted]
            if "parent" in args:
                key = "post" if collection == "media" else "parent"
                entries = [e for e in entries if str(e[key]) == args["parent"]]
            if "categories" in args:
                entries = [e for e in entries if int(args["categories"]) in e["categories"]]
            if "mime_type" in args:
                entries = [e for e in entries if e["mime_type"] == args["mime_type"]]
            if args.get("orderby") in ("modified", "date"):
                key = "modified_gmt" if args["orderby"] == "modified" else "date"
                entries = sorted(
                    entries,
                    key=lambda e: str(e.get(key, "")),
                    reverse=args.get("order", "desc") == "desc",
                )
            page = int(args.get("page", "1"))
            pages = max(1, math.ceil(len(entries) / PAGE_SIZE))
            if page > pages:
                body = {"code": "rest_post_invalid_page_number", "data": {"status": 400}}
                return Response(json.dumps(body), status=400, content_type="application/json")
            chunk = entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
            return Response(
                json.dumps(chunk, ensure_ascii=False),
                content_type="application/json; charset=UTF-8",
                headers={"X-WP-Total": str(len(entries)), "X-WP-TotalPages": str(pages)},
            )

        return answer
