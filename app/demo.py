"""`sptrack demo`: the whole path offline, on a bundled copy of a ministry website.

A local HTTP server on 127.0.0.1 serves ``app/demo_site/state1`` (the site today), the real
Scrapy spider crawls it (the baseline), the server switches to ``state2`` (the site a month
later), the spider crawls again, and each alert is printed in words and delivered through
Apprise to a local webhook. Nothing leaves loopback.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from app.config import load_settings
from app.jobs import check_translation_lag, crawl, deliver
from app.runtime import Runtime

SITE = Path(__file__).with_name("demo_site")
POSITIONS = Path(__file__).parent.parent / "positions.toml"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".txt": "text/plain; charset=utf-8",
}


class SiteServer(ThreadingHTTPServer):
    """Serves one folder of a static site, with ETag and 304 answers, on 127.0.0.1.

    ``root`` can be switched while serving, to show a site in its next state.
    """

    daemon_threads = True

    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests = 0
        super().__init__(("127.0.0.1", 0), _SiteHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _SiteHandler(BaseHTTPRequestHandler):
    server: SiteServer

    def do_GET(self) -> None:
        self.server.requests += 1
        path = unquote(urlsplit(self.path).path).lstrip("/")
        root = self.server.root.resolve()
        target = (root / path).resolve()
        if target.is_dir():
            target = target / "index.html"
        if root not in target.parents or not target.is_file():
            self.send_error(404)
            return
        data = target.read_bytes()
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", TYPES.get(target.suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(target.stat().st_mtime, usegmt=True))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the crawl report counts requests."""


class WebhookServer(ThreadingHTTPServer):
    """Receives Apprise ``json://`` notifications on 127.0.0.1 and keeps them."""

    daemon_threads = True

    def __init__(self) -> None:
        self.received: list[dict[str, object]] = []
        super().__init__(("127.0.0.1", 0), _WebhookHandler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class _WebhookHandler(BaseHTTPRequestHandler):
    server: WebhookServer

    def do_POST(self) -> None:
        length = min(int(self.headers.get("Content-Length", "0")), 1 << 20)
        body = self.rfile.read(length)
        try:
            self.server.received.append(json.loads(body))
        except ValueError:
            self.server.received.append({"raw": body.decode("utf-8", "replace")})
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[None]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


def demo_config(
    site_url: str, webhook_port: int, database_url: str = "sqlite:///data/sptrack.db"
) -> str:
    return f"""# Written by `sptrack demo`: a local copy of a ministry site, served on 127.0.0.1.
[database]
url = "{database_url}"

[storage]
path = "data/blobs"

[crawler]
delay_s = 0                            # a local site: no need to wait between requests

[web]
public_read = true

[alerts]
allow_private = ["127.0.0.1"]          # users' subscriptions may reach local receivers

[[sources]]
id = "demo-ministry"
name = "Demo ministry: legal documents"
start_urls = ["{site_url}/legal-documents/"]
documents = "ul.docs a::attr(href)"
next_page = "a.next::attr(href)"
date = "span.date::text"
schedule = "0 6 * * *"
allow_private_network = true

[[channels]]
name = "demo-webhook"
url = "json://127.0.0.1:{webhook_port}/alerts"
positions = ["*"]
min_severity = "low"
mode = "instant"
"""


def run_demo(workdir: Path, echo: Callable[[str], None] = print) -> int:
    """Run the demo in ``workdir`` (its previous data is replaced); return the alert count."""
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(workdir / "data", ignore_errors=True)
    shutil.copyfile(POSITIONS, workdir / "positions.toml")
    site = SiteServer(SITE / "state1")
    webhook = WebhookServer()
    with serving(site), serving(webhook):
        config_file = workdir / "config.toml"
        config_file.write_text(demo_config(site.url, webhook.port), encoding="utf-8")
        rt = Runtime(load_settings(config_file))
        echo(f"Demo site (state 1) on {site.url}: first crawl, the baseline")
        for outcome in crawl(rt):
            echo("  " + outcome.line())
        site.root = SITE / "state2"
        echo("The site changes (state 2): second crawl")
        for outcome in crawl(rt):
            echo("  " + outcome.line())
        alerts = describe_alerts(rt, echo)
        lag = rt.settings.languages.translation_lag_days
        later = datetime.now(UTC) + timedelta(days=lag)
        echo(f"{lag} days later (the clock moved on), the English text has still not followed:")
        check_translation_lag(rt, later)
        deliver(rt, later)
        describe_notices(rt, echo)
        echo(f"{len(webhook.received)} notifications delivered through Apprise to the webhook.")
        describe_parameters(rt, echo)
    echo(f"Open the tracker: sptrack serve --config {config_file} (then http://127.0.0.1:8000)")
    return alerts


def describe_parameters(rt: Runtime, echo: Callable[[str], None]) -> None:
    """The parameters whose value moved, each with its page on the tracker."""
    from tracker.parameters import parameters

    with rt.session() as s:
        moved = [p for p in parameters(s) if len({h.value for h in p.history}) > 1]
    echo(f"Parameters over time ({len(moved)} moved; all: sptrack parameters --format text):")
    for p in moved:
        values = " -> ".join(h.text or f"{h.value:g}" for h in p.history)
        echo(f"  {p.label} [{p.unit}], {p.instrument}, {p.ref}: {values}")
        echo(f"    chart and history: http://127.0.0.1:8000/parameters/{p.id}")


def describe_alerts(rt: Runtime, echo: Callable[[str], None]) -> int:
    from sqlmodel import col, select

    from alerts.messages import alert_subject
    from alerts.view import load_alert_view
    from tracker import languages
    from tracker.models import Alert, Change, Flag, Instrument

    with rt.session() as s:
        alerts = s.exec(select(Alert).order_by(col(Alert.id))).all()
        echo(f"{len(alerts)} alerts:")
        for alert in alerts:
            instrument = s.get(Instrument, alert.instrument_id)
            title = instrument.title if instrument else "?"
            kind = "" if alert.kind == "legal" else f" ({alert.kind.replace('_', ' ')})"
            echo(f"- Alert {alert.id} [{alert.severity}]{kind} {title}")
            if alert.kind == "legal" and alert.id is not None:
                view = load_alert_view(s, alert.id, rt.positions_by_id, rt.settings.web.base_url)
                for language in ("en", "km"):
                    echo(f"    {language}: {alert_subject(view, language)}")
            changes = s.exec(
                select(Change)
                .where(Change.new_version_id == alert.version_id)
                .order_by(col(Change.id))
            ).all()
            for change in changes:
                flags = s.exec(select(Flag).where(Flag.change_id == change.id)).all()
                if not flags:
                    continue
                ref = change.new_ref or change.old_ref
                numbers = "; ".join(
                    f"{n['old_text'] or '-'} -> {n['new_text'] or '-'}" for n in change.numbers
                )
                positions = ", ".join(f"{f.position} ({f.severity})" for f in flags)
                echo(f"    {ref} {change.kind}: {numbers or 'wording'} | {positions}")
                for other in languages.counterparts(s, change.id or 0):
                    first = other.text.splitlines()[1:2] or [""]
                    echo(f"      {languages.language_name(other.language)} {other.ref}: {first[0]}")
    return len(alerts)


def describe_notices(rt: Runtime, echo: Callable[[str], None]) -> None:
    """The drift notices between the language versions of an instrument."""
    from sqlmodel import col, select

    from alerts.messages import notice_summary
    from tracker.models import SourceNotice

    with rt.session() as s:
        rows = s.exec(
            select(SourceNotice)
            .where(col(SourceNotice.kind).startswith("translation-"))
            .order_by(col(SourceNotice.id))
        ).all()
        echo(f"{len(rows)} language drift notices, as English and Khmer channels read them:")
        for row in rows:
            echo(f"- [{row.severity}] {row.summary}")
            khmer = notice_summary(row.kind, row.facts or {}, "km")
            if khmer:
                echo(f"  {khmer}")
