"""What one crawl is asked to do: a source's :class:`SourceSpec` (where the listing starts and
how to read it) and the HTTP validators of documents seen before, written to and read from
``spec.json`` (the crawl process's input; see :mod:`crawler.run`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from crawler.errors import SpecInvalid
from crawler.filehosts import download_domains
from crawler.jsonlisting import check_fields, check_template

if TYPE_CHECKING:
    pass

SPEC_FILE = "spec.json"


@dataclass(frozen=True)
class Validators:
    """HTTP validators of a document seen before, sent back as conditional headers."""

    etag: str | None = None
    last_modified: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"etag": self.etag, "last_modified": self.last_modified}

    @classmethod
    def coerce(cls, value: Validators | Mapping[str, str | None]) -> Validators:
        """A ``Validators`` from itself or a ``{"etag", "last_modified"}`` mapping."""
        if isinstance(value, Validators):
            return value
        return cls(etag=value.get("etag") or None, last_modified=value.get("last_modified") or None)


ValidatorsLike = Validators | Mapping[str, str | None]


@dataclass(frozen=True)
class SourceSpec:
    """What to crawl for one source: where the listing starts and how to read it.

    ``documents`` and ``next_page`` are CSS selectors (``ul.docs a::attr(href)``); ``date``
    and ``title`` are optional CSS selectors relative to each link's listing item (its
    nearest ``li``/``tr``/``article``/``dd`` ancestor, else its parent element).
    ``query`` narrows an API spider's search (CKAN ``fq``, WordPress ``search``); ``since``
    is the cursor an incremental spider stopped at last time (CKAN ``metadata_modified``).
    ``detail``, when set, makes the ``documents`` links detail pages: each is fetched and
    the document links on it are taken with ``detail``. ``file_hosts`` names file hosts
    (``drive.google.com``) whose share links are fetched as direct downloads; they and the
    hosts their downloads come from join ``allowed_domains``. ``respect_robots = False``
    turns robots.txt off for this source only (a publisher's permission, never a default).
    ``json_items`` makes the start URLs JSON listings (``crawler.jsonlisting``): the path to
    the items, ``json_fields`` the paths to each item's ``url``/``title``/``date``/...,
    ``json_total`` the path to the listing's item count and ``page_size`` the items a page.
    ``articles`` (WordPress) makes each post a document itself, not only the files it links.
    ``dry_run`` reads the listings but only asks for the documents' headers (``HEAD``) and
    writes ``plan.json`` (``read_plan``): what a crawl would fetch, follow and skip.
    """

    id: str
    start_urls: tuple[str, ...]
    documents: str = ""
    spider: str = "listing"
    next_page: str | None = None
    date: str | None = None
    title: str | None = None
    allow_private_network: bool = False
    allowed_domains: tuple[str, ...] = field(default=())
    max_pages: int = 50
    max_documents: int = 500
    query: str | None = None
    since: str | None = None
    detail: str | None = None
    file_hosts: tuple[str, ...] = field(default=())
    respect_robots: bool = True
    json_items: str | None = None
    json_fields: Mapping[str, str] = field(default_factory=dict)
    json_total: str | None = None
    page_size: int = 20
    articles: bool = False
    dry_run: bool = False

    def __post_init__(self) -> None:
        if not self.id or not isinstance(self.id, str):
            raise SpecInvalid("id", "a non-empty string", self.id)
        if isinstance(self.start_urls, str) or not self.start_urls:
            raise SpecInvalid("start_urls", "a non-empty list of URLs", self.start_urls)
        object.__setattr__(self, "start_urls", tuple(self.start_urls))
        for url in self.start_urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise SpecInvalid("start_urls", "http(s) URLs with a host", url)
        if self.spider in ("listing", "generic") and not (self.documents or self.json_items):
            raise SpecInvalid(
                "documents", "a CSS selector of document links (or json_items)", self.documents
            )
        if self.json_items is not None:
            check_fields(self.json_fields)
            for url in self.start_urls:
                check_template(url)
        object.__setattr__(self, "json_fields", dict(self.json_fields))
        for key in ("max_pages", "max_documents", "page_size"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise SpecInvalid(key, "a positive integer", value)
        if not isinstance(self.dry_run, bool):
            raise SpecInvalid("dry_run", "true or false", self.dry_run)
        if not isinstance(self.articles, bool):
            raise SpecInvalid("articles", "true or false", self.articles)
        if not isinstance(self.respect_robots, bool):
            raise SpecInvalid("respect_robots", "true or false", self.respect_robots)
        if not isinstance(self.allow_private_network, bool):
            raise SpecInvalid("allow_private_network", "true or false", self.allow_private_network)
        if isinstance(self.file_hosts, str):
            raise SpecInvalid("file_hosts", "a list of host names", self.file_hosts)
        object.__setattr__(self, "file_hosts", tuple(self.file_hosts))
        domains = tuple(self.allowed_domains) or tuple(
            dict.fromkeys(str(urlsplit(u).hostname) for u in self.start_urls)
        )
        domains = tuple(dict.fromkeys((*domains, *download_domains(self.file_hosts))))
        object.__setattr__(self, "allowed_domains", domains)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["start_urls"] = list(self.start_urls)
        data["allowed_domains"] = list(self.allowed_domains)
        data["file_hosts"] = list(self.file_hosts)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SourceSpec:
        known = {f.name for f in fields(cls)}
        for key in data:
            if key not in known:
                raise SpecInvalid(key, f"one of {', '.join(sorted(known))}", data[key])
        values = dict(data)
        for key in ("start_urls", "allowed_domains", "file_hosts"):
            if key in values and isinstance(values[key], list):
                values[key] = tuple(values[key])
        return cls(**values)


def write_spec(path: Path, source: SourceSpec, validators: Mapping[str, ValidatorsLike]) -> None:
    """Write ``spec.json``: the source's fields plus the validators of known documents."""
    data = source.to_json()
    data["validators"] = {url: Validators.coerce(v).to_json() for url, v in validators.items()}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read_spec(path: Path) -> tuple[SourceSpec, dict[str, Validators]]:
    """Read a ``spec.json`` written by ``write_spec`` (or by hand)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise SpecInvalid("(top level)", "a JSON object", type(data).__name__)
    raw = data.pop("validators", None) or {}
    if not isinstance(raw, dict):
        raise SpecInvalid("validators", "an object of {url: {etag, last_modified}}", raw)
    validators = {url: Validators.coerce(v) for url, v in raw.items()}
    return SourceSpec.from_json(data), validators
