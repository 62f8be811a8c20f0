"""ODC's CKAN data portal on 127.0.0.1: ``/api/3/action/package_search`` over ``laws_record``
datasets, shaped like ckanext-odm_laws (bilingual ``title_translated`` and
``odm_document_number``, promulgation/effective dates, status, previous/parent links, one
resource per language with ``odm_language``). At most two rows a page whatever ``rows``
asks, sorted by ``metadata_modified desc``; ``fq`` must name the dataset type.

The portal is shared by the Mekong countries: every dataset has ``odm_spatial_range``
(``["kh"]``...) and ``fq`` filters on ``extras_odm_spatial_range:<code>`` as CKAN's Solr
index does. ``mekong=True`` adds Vietnamese and Lao laws beside the Cambodian ones.
"""

from __future__ import annotations

import json
import re
from typing import Any

from werkzeug import Request, Response

from tests.support.publisher_site import Doc, FixtureSite, pdf_bytes

ROWS_MAX = 2
SEARCH = "/api/3/action/package_search"
# The robots.txt CKAN ships (byte-identical on several national portals): it refuses /api/.
CKAN_DEFAULT_ROBOTS = """User-agent: *
Disallow: /dataset/rate/
Disallow: /revision/
Disallow: /dataset/*/history
Disallow: /api/
Crawl-Delay: 10
"""


def dataset(
    n: int, modified: str, en: str, km: str, number: tuple[str, str], country: str = "kh"
) -> dict[str, Any]:
    name = f"sub-decree-{n}"
    return {
        "odm_spatial_range": [country],
        "id": f"0000{n}-uuid",
        "name": name,
        "type": "laws_record",
        "title": en,
        "title_translated": {"en": en, "km": km},
        "odm_document_type": "sub_decree",
        "odm_document_number": {"en": number[0], "km": number[1]},
        "odm_promulgation_date": f"2021-03-0{n}",
        "odm_effective_date": f"2022-07-0{n}",
        "odm_laws_status": "in_force",
        "odm_laws_previous_legal_document": [f"sub-decree-{n - 1}"] if n > 1 else [],
        "odm_laws_parent_document": ["law-on-social-security-schemes"],
        "odm_language": ["en", "km"],
        "metadata_modified": modified,
        "resources": [
            {
                "id": f"res-{n}-km",
                "name": km,
                "format": "PDF",
                "odm_language": ["km"],
                "url": f"/dataset/{name}/resource/res-{n}-km/download/{name}-km.pdf",
            },
            {
                "id": f"res-{n}-en",
                "name": en,
                "format": "PDF",
                "odm_language": ["en"],
                "url": f"/dataset/{name}/resource/res-{n}-en/download/{name}-en.pdf",
            },
            {"id": f"res-{n}-map", "format": "GeoJSON", "url": f"/dataset/{name}/map.geojson"},
        ],
    }


FOREIGN = [
    (4, "2024-04-10T08:00:00.000001", "Decree on social insurance (Viet Nam)", "vn"),
    (5, "2024-05-10T08:00:00.000001", "Law on social security (Lao PDR)", "la"),
    (6, "2024-01-20T08:00:00.000001", "Decree on pensions (Viet Nam)", "vn"),
]
_COUNTRY = re.compile(r"(?:extras_)?odm_spatial_range:\"?(\w+)\"?")


class CkanSite:
    def __init__(self, site: FixtureSite, mekong: bool = False) -> None:
        self.site = site
        self.datasets = [
            dataset(
                1,
                "2024-01-10T08:00:00.000001",
                "Sub-decree on pensions",
                "អនុក្រឹត្យស្តីពីសោធននិវត្តន៍",
                ("32 ANK.BK", "៣២ អនក្រ.បក"),
            ),
            dataset(
                2,
                "2024-02-10T08:00:00.000001",
                "Sub-decree on the wage floor",
                "អនុក្រឹត្យស្តីពីប្រាក់ឈ្នួល",
                ("144 ANK.BK", "១៤៤ អនក្រ.បក"),
            ),
            dataset(
                3,
                "2024-03-10T08:00:00.000001",
                "Sub-decree on cash transfers",
                "អនុក្រឹត្យស្តីពីការឧបត្ថម្ភសាច់ប្រាក់",
                ("88 ANK.BK", "៨៨ អនក្រ.បក"),
            ),
        ]
        if mekong:
            self.datasets += [
                dataset(n, modified, title, title, (f"{n}/ND-CP", f"{n}/ND-CP"), country)
                for n, modified, title, country in FOREIGN
            ]
        self.broken = False
        site.routes[SEARCH] = self.search
        for d in self.datasets:
            self.publish(d)

    def publish(self, d: dict[str, Any], label: str = "") -> None:
        for resource in d["resources"]:
            if resource["format"] == "PDF":
                self.site.docs[resource["url"]] = Doc(pdf_bytes(resource["id"] + label))
                resource["url"] = (
                    self.site.url(resource["url"])
                    if resource["url"].startswith("/")
                    else resource["url"]
                )

    def search(self, request: Request) -> Response:
        if "dataset_type:laws_record" not in request.args.get("fq", ""):
            return Response(json.dumps({"success": False}), status=400)
        if self.broken:
            body = {"success": True, "result": {"count": 0, "results": []}}
            return Response(json.dumps(body), content_type="application/json")
        start = int(request.args.get("start", "0"))
        rows = min(int(request.args.get("rows", "10")), ROWS_MAX)
        countries = set(_COUNTRY.findall(request.args.get("fq", "")))
        chosen = [
            d for d in self.datasets if not countries or countries & set(d["odm_spatial_range"])
        ]
        ordered = sorted(chosen, key=lambda d: d["metadata_modified"], reverse=True)
        body = {
            "help": "package_search",
            "success": True,
            "result": {"count": len(ordered), "results": ordered[start : start + rows]},
        }
        return Response(json.dumps(body, ensure_ascii=False), content_type="application/json")
