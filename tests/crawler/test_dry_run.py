"""The dry run lists exactly what the crawl then fetches, and why it skips the rest."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from publisher_site import FixtureSite, build_publisher, crawl_site, publisher_spec

from crawler.run import read_plan


@pytest.mark.slow
def test_the_dry_run_lists_what_the_crawl_fetches(site: FixtureSite, tmp_path: Path) -> None:
    build_publisher(site)
    spec = publisher_spec(site)
    dry, nothing = crawl_site(dataclasses.replace(spec, dry_run=True), tmp_path / "dry")
    assert nothing == [] and dry.bytes == 0, "no document downloaded"
    plan = read_plan(tmp_path / "dry")
    assert dry.response_bytes < 30_000, "headers only: big.pdf alone is 40 kB"
    site.hits.clear()
    _, fetched = crawl_site(spec, tmp_path / "crawl")
    assert {d["url"] for d in plan["documents"]} == {d.url for d in fetched}
    assert [p["url"] for p in plan["pages"]] == [
        site.url("/listing/"),
        site.url("/listing/page-2.html"),
    ]
    reasons = {s["url"].rsplit("/", 1)[-1]: s["reason"] for s in plan["skipped"]}
    assert "HTTP 404" in reasons["missing.pdf"]
    assert "Disallow: /private/" in reasons["draft.pdf"]
    assert "size cap" in reasons["big.pdf"]
    khmer = next(d for d in plan["documents"] if d["title"] == "អនុក្រឹត្យ ស្ដីពី ប្រាក់សោធននិវត្តន៍")
    assert khmer["date"] == "២៧ មិថុនា ២០២៤"
