"""The built-in sources of the repository's config.toml, pointed at a fixture site.

A source is taken exactly as configured and only its hosts change: every URL's origin
becomes the fixture site's, and the crawl may fetch from 127.0.0.1 (and ``localhost``,
the fixture's second host name). Paths, query strings, selectors and keys are the real
configuration's, so a fixture built in the real site's structure tests the configuration.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from app.config import SourceSettings
from app.config_file import load_settings
from app.crawling import source_spec
from crawler.spec import SourceSpec
from tests.support.publisher_site import FixtureSite

CONFIG = Path(__file__).resolve().parents[2] / "config.toml"


def configured(source_id: str) -> SourceSettings:
    settings = load_settings(CONFIG)
    for source in settings.sources:
        if source.id == source_id:
            return source
    raise KeyError(source_id)


def rehost(url: str, site: FixtureSite) -> str:
    origin = urlsplit(site.url("/"))
    parts = urlsplit(url)
    return urlunsplit((origin.scheme, origin.netloc, parts.path, parts.query, parts.fragment))


def configured_spec(source_id: str, site: FixtureSite, since: str | None = None) -> SourceSpec:
    spec = source_spec(configured(source_id), since)
    return dataclasses.replace(
        spec,
        start_urls=tuple(rehost(u, site) for u in spec.start_urls),
        allowed_domains=("127.0.0.1", "localhost"),
        allow_private_network=True,
    )
