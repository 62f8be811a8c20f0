"""Screenshots of `sptrack sources check` for docs/adding-a-source.md, taken on fixture sites.

Run from the repository root: ``PYTHONPATH=tests/crawler .venv/bin/python
tests/crawler/make_screenshots.py``. Each fixture copies a real site's structure (see
tests/crawler/sites/); the configured source is checked with its hosts pointed at it.
"""

from __future__ import annotations

from pathlib import Path

from configured import configured, rehost
from publisher_site import serve_site
from rich.console import Console
from sites.ckan import CKAN_DEFAULT_ROBOTS, CkanSite
from sites.wpsections import WordPressSections

from app.cli import _print_plan
from app.config import Settings
from app.jobs import check_source
from app.runtime import Runtime

OUT = Path(__file__).resolve().parents[2] / "docs" / "img"


def shoot(name: str, source_id: str, build, robots: str | None = None) -> None:  # type: ignore[no-untyped-def]
    with serve_site() as site:
        build(site)
        if robots is not None:
            site.robots = robots
        source = configured(source_id)
        source = source.model_copy(
            update={
                "start_urls": tuple(rehost(u, site) for u in source.start_urls),
                "allowed_domains": ("127.0.0.1",),
                "allow_private_network": True,
            }
        )
        rt = Runtime(Settings.model_validate({"crawler": {"delay_s": 0}}), environ={})
        plan = check_source(rt, source)
    console = Console(record=True, width=110, highlight=False, soft_wrap=True)
    console.print(f"$ sptrack sources check {source_id}", style="dim")
    _print_plan(plan, console)
    console.save_svg(str(OUT / f"{name}.svg"), title=f"sptrack sources check {source_id}")
    print(f"{name}: {len(plan['documents'])} documents, {len(plan['skipped'])} skipped")


if __name__ == "__main__":
    shoot("check-mosvy", "mosvy-legal", WordPressSections)
    shoot("check-odc-robots", "odc-laws", lambda s: CkanSite(s, mekong=True), CKAN_DEFAULT_ROBOTS)
