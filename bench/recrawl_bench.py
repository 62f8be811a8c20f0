"""Crawl cost on a local copy of a ministry site: first crawl vs re-crawl.

    .venv/bin/python bench/recrawl_bench.py [--documents N]

Builds a site on 127.0.0.1 with N documents (copies of the demo site's PDFs with one line
made unique, so every file has its own bytes), crawls it through the real Scrapy spider and
ingest (read, compare, match, store), then crawls it again unchanged: the re-crawl should
download no document bytes (ETag/304) and store nothing.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from app.config_file import load_settings
from app.demo import SITE, demo_config
from app.jobs import crawl
from app.local_servers import SiteServer, WebhookServer, serving
from app.runtime import Runtime

REPO = Path(__file__).resolve().parents[1]


def build_site(root: Path, documents: int) -> None:
    pdf = SITE / "state1" / "wp-content/uploads/2024/03/sub-decree-38-pension-en.pdf"
    base = pdf.read_bytes()
    uploads = root / "uploads"
    uploads.mkdir(parents=True)
    links = []
    for i in range(documents):
        # Bytes after %%EOF are ignored by readers but change the file's hash.
        (uploads / f"doc-{i}.pdf").write_bytes(base + f"\n% copy {i}\n".encode())
        links.append(f'<li><a href="/uploads/doc-{i}.pdf">Document {i}</a></li>')
    listing = root / "legal-documents"
    listing.mkdir()
    page = "<html><body><ul class='docs'>" + "".join(links) + "</ul></body></html>"
    (listing / "index.html").write_text(page, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build_site(work / "site", args.documents)
        site, webhook = SiteServer(work / "site"), WebhookServer()
        with serving(site), serving(webhook):
            (work / "positions.toml").write_bytes((REPO / "positions.toml").read_bytes())
            config = work / "config.toml"
            config.write_text(
                demo_config(site.url, webhook.port).replace(
                    "\nnext_page", f"\nmax_documents = {args.documents}\n#next_page"
                ),
                encoding="utf-8",
            )
            rt = Runtime(load_settings(config), environ={})
            print(f"{'crawl':<10} {'requests':>8} {'bytes':>12} {'stored':>7} {'seconds':>8}")
            for label in ("first", "re-crawl"):
                start = time.perf_counter()
                [outcome] = crawl(rt)
                seconds = time.perf_counter() - start
                counts = outcome.counts
                stored = counts.new + counts.changed
                print(
                    f"{label:<10} {counts.requests:>8} {counts.bytes:>12} {stored:>7} "
                    f"{seconds:>8.1f}"
                )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{args.documents} documents; peak memory: ingest process {peak:.0f} MB, "
        f"largest child (Scrapy crawl or reader) {children:.0f} MB"
    )


if __name__ == "__main__":
    main()
