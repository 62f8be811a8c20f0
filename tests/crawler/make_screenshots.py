"""Screenshots of `sptrack sources check` for docs/adding-a-source.md, taken on fixture sites.

Run from the repository root: ``PYTHONPATH=.:tests/crawler .venv/bin/python
tests/crawler/make_screenshots.py``. Each fixture copies a real site's structure (see
tests/crawler/sites/); the configured source is checked with its hosts pointed at it.
"""

from __future__ import annotations

from pathlib import Path

from configured import configured, rehost
from rich.console import Console
from sites.ckan import CKAN_DEFAULT_ROBOTS, CkanSite
from sites.wpsections import WordPressSections

from app.commands.sources import print_plan
from app.config import Settings
from app.crawling import check_source
from app.runtime import Runtime
from tests.support.publisher_site import serve_site

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
    print_plan(plan, console)
    console.save_svg(str(OUT / f"{name}.svg"), title=f"sptrack sources check {source_id}")
    print(f"{name}: {len(plan['documents'])} documents, {len(plan['skipped'])} skipped")


def shoot_wizard() -> None:
    """The web wizard in chromium: the form with its errors, a dry run's result and a crawl
    started from the page, on a MoSVY-shaped WordPress fixture (docs/img/wizard-*.png)."""
    import re
    import shutil
    import socket
    import tempfile
    import threading

    import uvicorn
    from playwright.sync_api import sync_playwright

    from app.config_file import load_settings
    from app.wizard import SourceWizard
    from tracker.users import add_user
    from web.app import create_app
    from web.settings import WebSettings

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory() as tmp, serve_site() as site:
        WordPressSections(site)
        config = Path(tmp) / "config.toml"
        config.write_text(
            f'[database]\nurl = "sqlite:///{tmp}/t.db"\n\n[crawler]\ndelay_s = 0\n',
            encoding="utf-8",
        )
        rt = Runtime(load_settings(config))
        with rt.session() as s:
            add_user(s, "admin1", "admin", "correct horse battery")
            s.commit()
        app = create_app(
            WebSettings(
                database_url=rt.settings.database_url,
                storage_path=Path(rt.blobs.root),
                secret_key="screenshot-secret-0123456789",
                sources=SourceWizard(rt),
            )
        )
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        served = f"http://127.0.0.1:{sock.getsockname()[1]}"
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        source = configured("mosvy-legal")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, headless=True)
                page = browser.new_page(viewport={"width": 1100, "height": 900})
                page.goto(f"{served}/login")
                page.fill("input[name=username]", "admin1")
                page.fill("input[name=password]", "correct horse battery")
                page.click("button[type=submit]")
                page.goto(f"{served}/sources/new")
                page.fill("#f-id", "MoSVY legal")
                page.fill("#f-name", source.name)
                page.select_option("#f-spider", source.spider)
                page.fill("#f-start_urls", rehost(source.start_urls[0], site))
                page.fill("#f-schedule", "every morning")
                page.click("button[value=check]")
                page.wait_for_selector("#form-errors")
                page.locator("fieldset").first.screenshot(path=str(OUT / "wizard-errors.png"))
                page.fill("#f-id", source.id)
                page.fill("#f-schedule", source.schedule)
                page.check("#f-allow_private_network")
                page.click("button[value=check]")
                page.wait_for_selector("#dry-run .counts", timeout=120_000)
                page.locator("#dry-run").screenshot(path=str(OUT / "wizard-dry-run.png"))
                page.click("button[value=save]")
                page.wait_for_url(re.compile(r"/sources"))
                page.click(f"#source-{source.id} button:has-text('Crawl now')")
                page.wait_for_url(re.compile(r"/crawl$"))
                page.wait_for_selector("#report", timeout=180_000)  # across its refreshes
                page.screenshot(path=str(OUT / "wizard-crawl.png"), full_page=True)
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            sock.close()
            rt.close()
    print("wizard: docs/img/wizard-errors.png, wizard-dry-run.png, wizard-crawl.png")


if __name__ == "__main__":
    import sys

    if "--wizard-only" not in sys.argv:
        shoot("check-mosvy", "mosvy-legal", WordPressSections)
        mekong = lambda s: CkanSite(s, mekong=True)  # noqa: E731
        shoot("check-odc-robots", "odc-laws", mekong, CKAN_DEFAULT_ROBOTS)
    shoot_wizard()
