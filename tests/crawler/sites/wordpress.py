"""A WordPress publisher on 127.0.0.1, shaped like nssf.gov.kh / mosvy.gov.kh.

REST API under ``/wp-json/wp/v2/``: ``media`` (filtered by ``mime_type``) and ``posts``, two
entries a page whatever ``per_page`` asks (so pagination is exercised), ``X-WP-Total`` and
``X-WP-TotalPages`` headers, ``rest_post_invalid_page_number`` past the end; titles as
``{"rendered": ...}`` with HTML entities. PDFs under ``/wp-content/uploads/YYYY/MM/``, a
Khmer percent-encoded slug among them. An HTML legal-documents page (two pages, ``a.next``)
for the fallback; ``rest = False`` answers the API with 404 ``rest_no_route``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from werkzeug import Request, Response

from tests.support.publisher_site import Doc, FixtureSite, pdf_bytes

PAGE_SIZE = 2


@dataclass
class Upload:
    id: int
    path: str
    title: str
    date: str
    mime_type: str = "application/pdf"


UPLOADS = [
    Upload(
        101,
        "/wp-content/uploads/2023/02/9.-Sub_Decree_No_32_on_Pension.pdf",
        "Sub-Decree No. 32 on the Pension Scheme &#8211; unofficial translation",
        "2023-02-14T09:12:00",
    ),
    Upload(
        102,
        "/wp-content/uploads/2023/02/10.-prkas-449.pdf",
        "ប្រកាសលេខ ៤៤៩ ស្តីពីអត្រាភាគទាន",
        "2023-02-14T09:15:00",
    ),
    Upload(
        103,
        "/wp-content/uploads/2024/03/អនុក្រឹត្យ-៣៨.pdf",
        "អនុក្រឹត្យលេខ ៣៨ អនក្រ.បក",
        "2024-03-04T10:00:00",
    ),
    Upload(
        104,
        "/wp-content/uploads/2024/05/circular-registration.pdf",
        "Circular on registration of domestic workers",
        "2024-05-02T08:00:00",
    ),
    Upload(105, "/wp-content/uploads/2024/05/logo.png", "logo", "2024-05-02T08:00:00", "image/png"),
]
POST_PDF = "/wp-content/uploads/2025/01/prakas-095-maternity.pdf"
POSTS = [
    {
        "id": 6281,
        "date": "2025-01-10T07:30:00",
        "link": "/2025/01/10/prakas-on-maternity/",
        "title": {"rendered": "Prakas No. 095 on maternity allowance"},
        "content": {
            "rendered": f'<p>Download: <a href="{POST_PDF}">PDF</a> '
            '<a href="mailto:info@example.org">mail</a></p>'
        },
    },
    {
        "id": 6282,
        "date": "2025-01-11T07:30:00",
        "link": "/2025/01/11/news/",
        "title": {"rendered": "NSSF opens an office"},
        "content": {"rendered": "<p>No documents here.</p>"},
    },
]


class WordPressSite:
    def __init__(self, site: FixtureSite) -> None:
        self.site = site
        self.rest = True
        self.uploads = list(UPLOADS)
        self.posts = list(POSTS)
        site.routes["/wp-json/wp/v2/media"] = self.media
        site.routes["/wp-json/wp/v2/posts"] = self.posts_route
        for upload in self.uploads:
            if upload.mime_type == "application/pdf":
                site.docs[upload.path] = Doc(pdf_bytes(f"upload {upload.id}"))
        site.docs[POST_PDF] = Doc(pdf_bytes("post pdf"))
        pdfs = [u for u in self.uploads if u.mime_type == "application/pdf"]
        site.pages["/legal-documents/"] = listing(pdfs[:2], "/legal-documents/page/2/")
        site.pages["/legal-documents/page/2/"] = listing(pdfs[2:], None)

    def _paged(self, request: Request, entries: list[dict[str, object]]) -> Response:
        if not self.rest:
            body = {
                "code": "rest_no_route",
                "message": "No route was found",
                "data": {"status": 404},
            }
            return Response(json.dumps(body), status=404, content_type="application/json")
        page = int(request.args.get("page", "1"))
        total_pages = max(1, math.ceil(len(entries) / PAGE_SIZE))
        if page > total_pages:
            body = {"code": "rest_post_invalid_page_number", "data": {"status": 400}}
            return Response(json.dumps(body), status=400, content_type="application/json")
        chunk = entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        return Response(
            json.dumps(chunk, ensure_ascii=False),
            content_type="application/json; charset=UTF-8",
            headers={"X-WP-Total": str(len(entries)), "X-WP-TotalPages": str(total_pages)},
        )

    def media(self, request: Request) -> Response:
        wanted = request.args.get("mime_type")
        entries = [
            {
                "id": u.id,
                "date": u.date,
                "slug": f"upload-{u.id}",
                "link": self.site.url(f"/?attachment_id={u.id}"),
                "title": {"rendered": u.title},
                "mime_type": u.mime_type,
                "source_url": self.site.url(u.path),
            }
            for u in self.uploads
            if wanted is None or u.mime_type == wanted
        ]
        return self._paged(request, entries)

    def posts_route(self, request: Request) -> Response:
        entries = [{**p, "link": self.site.url(str(p["link"]))} for p in self.posts]
        return self._paged(request, entries)


def listing(uploads: list[Upload], next_href: str | None) -> str:
    items = "".join(
        f'<li><a href="{u.path}">មើលឯកសារ</a> <span>{u.title}</span></li>' for u in uploads
    )
    pager = f'<a class="next" href="{next_href}">Next »</a>' if next_href else ""
    return (
        "<html><body><nav><a href='/'>Home</a><a href='/language/en'>English</a></nav>"
        f"<main><h1>ច្បាប់ និងបទប្បញ្ញត្តិ</h1><ul class='docs'>{items}</ul>{pager}</main>"
        "</body></html>"
    )
