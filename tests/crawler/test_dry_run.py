"""The dry run lists exactly what the crawl then fetches, and why it skips the rest."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from crawler.run import read_plan
from tests.support.cli import sptrack
from tests.support.publisher_site import FixtureSite, build_publisher, crawl_site, publisher_spec


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


def write_config(tmp_path: Path, sources: str) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path}/t.db"\n\n[crawler]\ndelay_s = 0\n\n{sources}\n',
        encoding="utf-8",
    )
    return config


@pytest.mark.slow
def test_sources_check_on_the_command_line(site: FixtureSite, tmp_path: Path) -> None:
    build_publisher(site)
    config = write_config(
        tmp_path,
        f"""[[sources]]
id = "ministry"
start_urls = ["{site.url("/listing/")}"]
documents = "ul.docs a"
next_page = "a.next"
allow_private_network = true
""",
    )
    # The configured source, one listing page only (its next page stays unread).
    result = sptrack(
        "sources", "check", "ministry", "-c", str(config), "--max-pages", "1", "-f", "json"
    )
    assert result.returncode == 0, result.output
    plan = json.loads(result.stdout)
    assert [p["url"] for p in plan["pages"]] == [site.url("/listing/")]
    assert plan["truncated"] is True
    assert "អនុក្រឹត្យ ស្ដីពី ប្រាក់សោធននិវត្តន៍" in {d["title"] for d in plan["documents"]}
    # A new source from --url with a selector that matches nothing: said, exit 1.
    result = sptrack(
        "sources",
        "check",
        "-c",
        str(config),
        "--url",
        site.url("/listing/"),
        "--documents",
        "table.laws a",
        "--allow-private-network",
    )
    assert result.returncode == 1
    assert "'table.laws a' matched nothing" in result.output
    assert "no document found" in result.output
    result = sptrack(
        "sources",
        "check",
        "-c",
        str(config),
        "--url",
        site.url("/listing/"),
        "--json-items",
        "items",
        "--json-field",
        "pdfUrl",
    )
    assert result.returncode == 1 and "expected NAME=PATH" in result.output
