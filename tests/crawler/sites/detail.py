"""A ministry site whose listing links detail pages, some of which link Google Drive.

Copies the structure reported of MoSVY's laws page: each listing item has a title, a date
and a "មើលឯកសារ" (view document) link to an intermediate page; the intermediate page holds
the PDF link, or a ``drive.google.com/file/d/<id>/view`` share link. The Drive part is
served on ``localhost`` (the same server under a second host name): ``/file/d/<id>/view``
is an HTML viewer, ``/uc?export=download&id=<id>`` redirects to ``/download?id=<id>``,
which serves the file, as Drive does.
"""

from __future__ import annotations

from werkzeug import Request, Response

from tests.support.publisher_site import Doc, FixtureSite, pdf_bytes

DRIVE_ID = "1AbCdEfGhIjKlMnOpQrStUvWxYz_-0123"
TITLES = (
    "ច្បាប់ ស្ដីពី របបសន្តិសុខសង្គម",
    "Sub-decree No. 12 on pensions",
    "ប្រកាស ស្ដីពី ការចុះឈ្មោះ",
)


def drive_url(site: FixtureSite, path: str) -> str:
    return site.url(path).replace("127.0.0.1", "localhost")


def build_detail_site(site: FixtureSite) -> None:
    items = "".join(
        f"""<div class="item"><h3>{title}</h3><span class="date">2024-0{n}-15</span>
<a class="btn" href="/archives/{100 + n}">មើលឯកសារ</a></div>"""
        for n, title in enumerate(TITLES, start=1)
    )
    site.pages["/laws/"] = f"""<html><body><nav><a href="/about.pdf">About us</a></nav>
<div class="listing">{items}</div><a class="next" href="/laws/page/2/">›</a></body></html>"""
    site.pages["/laws/page/2/"] = """<html><body><div class="listing">
<div class="item"><h3>Old prakas</h3><a class="btn" href="/uploads/old.pdf">មើលឯកសារ</a></div>
</div></body></html>"""
    for n in (1, 3):
        site.pages[f"/archives/{100 + n}"] = f"""<html><body><header>
<a href="/logo-card.pdf">Ministry card</a></header><article class="entry">
<p>{TITLES[n - 1]}</p><a href="/uploads/doc-{n}.pdf">ទាញយក</a></article></body></html>"""
        site.docs[f"/uploads/doc-{n}.pdf"] = Doc(pdf_bytes(f"doc {n}"))
    share = drive_url(site, f"/file/d/{DRIVE_ID}/view?usp=sharing")
    site.pages["/archives/102"] = f"""<html><body><article class="entry">
<p>{TITLES[1]}</p><a href="{share}">Google Drive</a></article></body></html>"""
    site.docs["/uploads/old.pdf"] = Doc(pdf_bytes("old"))
    site.docs["/about.pdf"] = Doc(pdf_bytes("about"))
    site.docs["/logo-card.pdf"] = Doc(pdf_bytes("card"))
    site.pages[f"/file/d/{DRIVE_ID}/view"] = "<html><body>Drive viewer</body></html>"
    site.routes["/uc"] = lambda request: _uc(site, request)
    site.routes["/download"] = _download


def _uc(site: FixtureSite, request: Request) -> Response:
    file_id = request.args.get("id", "")
    if request.args.get("export") != "download" or file_id != DRIVE_ID:
        return Response("not found", status=404)
    target = drive_url(site, f"/download?id={file_id}&export=download")
    return Response(status=303, headers={"Location": target})


def _download(request: Request) -> Response:
    if request.args.get("id") != DRIVE_ID:
        return Response("not found", status=404)
    return Response(
        pdf_bytes("drive file"),
        content_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="sub-decree-12.pdf"'},
    )
