"""config.toml: read once by the composition root into typed settings.

Every key has a default and a help text (:func:`settings_table` lists them;
docs/configuration.md is checked against them by a test). Unknown keys and bad values are
refused with the file, the key and its line. Secrets never live in the file: ``${NAME}`` in
a channel URL, or a ``*_env`` key, names an environment variable read here.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from enum import Enum
from functools import lru_cache
from pathlib import Path

from apscheduler.triggers.cron import CronTrigger
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from alerts.deliver.outbound import DEFAULT_SCHEMES
from tracker.kinds import Language, Mode, Severity

TIMEZONE = "Asia/Phnom_Penh"


def N_(message: str) -> str:
    """Marks a help text for the interface catalogues (gettext's name, as web.translations.N_;
    ``make messages`` extracts it): the source wizard shows it in the reader's language, the
    docs and ``settings_table`` in English, as written."""
    return message


_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_ENV_REF_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class ConfigError(Exception):
    """A configuration the tracker cannot run with: one line naming file, key and line."""

    def __init__(self, path: Path | str, message: str, key: str = "", line: int | None = None):
        self.path = str(path)
        self.key = key
        self.line = line
        where = self.path + (f":{line}" if line else "")
        super().__init__(f"{where}: {key + ': ' if key else ''}{message}")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseSettings(_Section):
    url: str = Field("sqlite:///data/sptrack.db", description="Any SQLAlchemy URL.")
    busy_timeout_s: float = Field(
        30,
        gt=0,
        description="Seconds to wait for a database another process holds locked before "
        "giving up with an error (SQLite's busy timeout, PostgreSQL's lock_timeout).",
    )


class StorageSettings(_Section):
    path: str = Field("data/blobs", description="Content-addressed store of fetched bytes.")


class CrawlerSettings(_Section):
    user_agent: str = Field(
        "SPTracker/0.1 (+https://github.com/sp4all/sptrack)",
        description="User-Agent of every request; name the tracker and a contact.",
    )
    contact: str = Field("", description="Contact e-mail added to the User-Agent.")
    timeout_s: int = Field(3600, ge=10, description="Longest time one source's crawl may take.")
    max_document_mb: int = Field(50, ge=1, le=1024, description="Largest document downloaded.")
    delay_s: float = Field(
        1.0, ge=0, le=600, description="Least delay between two requests to one site (s)."
    )
    spool: str = Field("data/spool", description="Where crawls write files before ingest.")
    scrapyd_url: str = Field(
        "",
        description="Run each crawl on this Scrapyd daemon instead of a local subprocess "
        "(the spool must be shared with it; docs/scale-out.md).",
    )
    scrapyd_project: str = Field(
        "sptrack", description="The Scrapyd project that serves crawler.settings."
    )


class ReadingSettings(_Section):
    ocr: bool = Field(True, description="OCR pages with no usable text layer (tesseract).")
    max_pages: int = Field(500, ge=1, description="Pages read per document at most.")
    timeout_s: int = Field(300, ge=5, description="Longest time reading one document may take.")
    memory_mb: int = Field(2048, ge=256, description="Memory one document's reader may use.")


class WebSettingsModel(_Section):
    host: str = Field("127.0.0.1", description="Address `sptrack serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `sptrack serve` listens on.")
    base_url: str = Field("http://127.0.0.1:8000", description="Public URL used in alert links.")
    public_read: bool = Field(False, description="Let anyone read the tracker without login.")
    secret_key_env: str = Field(
        "SPTRACK_SECRET_KEY", description="Environment variable holding the session secret."
    )
    trusted_proxies: tuple[str, ...] = Field(
        (),
        description="Addresses of reverse proxies whose X-Forwarded-For/-Proto are believed; "
        "none: the client is the connection's peer.",
    )
    worker_healthcheck_s: int = Field(
        30,
        ge=1,
        le=3600,
        description="Seconds a `serve --workers` process may take to answer the supervisor's "
        "health check before it is restarted (a busy machine may need more than 5).",
    )


class AlertSettings(_Section):
    positions: str = Field("positions.toml", description="The coalition's positions file.")
    max_attempts: int = Field(10, ge=1, description="Delivery attempts before giving up.")
    url_schemes: tuple[str, ...] = Field(
        DEFAULT_SCHEMES,
        description="Apprise URL schemes channels and subscriptions may use; * = any.",
    )
    allow_private: tuple[str, ...] = Field(
        (),
        description="Addresses or networks (CIDR) users' subscriptions may reach though "
        "loopback or private, e.g. 127.0.0.1 for a local receiver.",
    )

    @field_validator("allow_private")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"expected an address or network such as 10.0.0.0/8, got {entry!r}"
                ) from None
        return value


class LanguageSettings(_Section):
    translation_lag_days: int = Field(
        30,
        ge=0,
        description="Days after a change of the official (Khmer) text before a translation "
        "that has not followed it is notified.",
    )


@lru_cache(maxsize=1)
def spider_names() -> tuple[str, ...]:
    """The spiders the crawler project defines (Scrapy's own spider loader)."""
    from scrapy.settings import Settings as ScrapySettings
    from scrapy.spiderloader import SpiderLoader

    loader = SpiderLoader.from_settings(ScrapySettings({"SPIDER_MODULES": ["crawler.spiders"]}))
    return tuple(sorted(loader.list()))


class SourceSettings(_Section):
    id: str = Field(description=N_("Stable id (lowercase letters, digits, - and _)."))
    name: str = Field("", description=N_("Human name of the source."))
    spider: str = Field("listing", description=N_("Built-in spider; `listing` is the generic one."))
    start_urls: tuple[str, ...] = Field(description=N_("Listing pages to start from."))
    documents: str = Field("", description=N_("CSS selector of document links (generic spider)."))
    next_page: str = Field("", description=N_("CSS selector of the next listing page."))
    date: str = Field("", description=N_("CSS selector of a listing item's date, optional."))
    title: str = Field(
        "", description=N_("CSS selector of a listing item's title, optional (else the link text).")
    )
    query: str = Field(
        "", description=N_("API spiders: search filter (CKAN `fq`, WordPress `search`), optional.")
    )
    allowed_domains: tuple[str, ...] = Field(
        (), description=N_("Hosts the crawl may fetch from (default: the start URLs' hosts).")
    )
    detail: str = Field(
        "",
        description=N_(
            "CSS selector of the document link on a detail page; when set, the "
            "`documents` links are detail pages, each followed to its document (generic spider)."
        ),
    )
    file_hosts: tuple[str, ...] = Field(
        (),
        description=N_(
            "File hosts whose share links are fetched as direct downloads "
            "(`drive.google.com`, `docs.google.com`, `www.dropbox.com`); allowed with their "
            "download hosts."
        ),
    )
    schedule: str = Field("0 6 * * *", description=N_("Cron expression, Asia/Phnom_Penh."))
    enabled: bool = Field(
        True,
        description=N_(
            "Crawled by `sptrack crawl` (no ids) and `sptrack run`; false: by name only."
        ),
    )
    allow_private_network: bool = Field(False, description=N_("Allow loopback/private addresses."))
    respect_robots: bool = Field(
        True,
        description=N_(
            "Obey the site's robots.txt. Set false only for a publisher that gave "
            "written permission (say so in a comment); a refusal is a source-health notice."
        ),
    )
    max_pages: int = Field(50, ge=1, description=N_("Listing pages followed at most."))
    max_documents: int = Field(500, ge=1, description=N_("Documents fetched per crawl at most."))
    json_items: str = Field(
        "",
        description=N_(
            "JSON listings (generic spider): path to the list of items in the "
            "answer (`items`, `result.results`, `.` for a list); the start URLs are then API "
            "URLs with `{page}`, `{offset}` or `{page_size}` where the paging goes."
        ),
    )
    json_fields: dict[str, str] = Field(
        {},
        description=N_(
            "JSON listings: paths inside an item to `url` (required), `title`, "
            "`date`, `number`, `language` and `edition` (shared by an instrument's languages)."
        ),
    )
    json_total: str = Field(
        "",
        description=N_(
            "JSON listings: path to the listing's item count (`total`); pages are "
            "asked for until it is reached, else until a page is short."
        ),
    )
    page_size: int = Field(
        20, ge=1, le=500, description=N_("JSON listings: items asked for a page (`{page_size}`).")
    )
    articles: bool = Field(
        False,
        description=N_(
            "WordPress spiders: each post of the section is a document itself (its "
            "page), besides the files it links; for press releases published as articles."
        ),
    )

    @field_validator("spider")
    @classmethod
    def _known_spider(cls, value: str) -> str:
        known = spider_names()
        if value not in known:
            raise ValueError(f"expected one of {', '.join(known)}, got {value!r}")
        return value

    @model_validator(mode="after")
    def _generic_spider_needs_selector(self) -> SourceSettings:
        if self.spider == "listing" and not (self.documents or self.json_items):
            raise ValueError(
                "the generic listing spider needs `documents` (a CSS selector) or `json_items`"
            )
        if self.json_items and not self.json_fields.get("url"):
            raise ValueError("`json_items` needs `json_fields` with a `url` path (`pdfUrl`)")
        return self

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID_RE.match(value):
            raise ValueError(f"expected lowercase letters, digits, - or _, got {value!r}")
        return value

    @field_validator("start_urls")
    @classmethod
    def _urls(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("expected at least one URL")
        for url in value:
            if not re.match(r"^https?://[^/\s]+", url):
                raise ValueError(f"expected an http(s) URL, got {url!r}")
        return value

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str) -> str:
        try:
            CronTrigger.from_crontab(value, timezone=TIMEZONE)
        except ValueError as exc:
            message = f"expected a cron expression like '0 6 * * *', got {value!r}: {exc}"
            raise ValueError(message) from None
        return value


class ChannelSettings(_Section):
    name: str = Field(description="Channel name, unique.")
    url: str = Field(description="Apprise URL; ${ENV_VAR} for secrets.")
    positions: tuple[str, ...] = Field(("*",), description="Position ids routed here; * = all.")
    sources: tuple[str, ...] = Field(("*",), description="Source ids routed here; * = all.")
    min_severity: Severity = Field(Severity.LOW, description="Least severity.")
    mode: Mode = Field(Mode.INSTANT, description="Or a digest.")
    language: Language = Field(Language.EN, description="Language of the messages.")


class Settings(_Section):
    """The whole config.toml, with paths resolved against the file's folder."""

    database: DatabaseSettings = DatabaseSettings()
    storage: StorageSettings = StorageSettings()
    crawler: CrawlerSettings = CrawlerSettings()
    reading: ReadingSettings = ReadingSettings()
    web: WebSettingsModel = WebSettingsModel()
    alerts: AlertSettings = AlertSettings()
    languages: LanguageSettings = LanguageSettings()
    sources: tuple[SourceSettings, ...] = ()
    channels: tuple[ChannelSettings, ...] = ()
    config_file: str = Field(
        "config.toml", exclude=True, description="The file these settings came from (set by load)."
    )

    def path(self, relative: str) -> Path:
        candidate = Path(relative)
        return candidate if candidate.is_absolute() else Path(self.config_file).parent / candidate

    @property
    def database_url(self) -> str:
        url = self.database.url
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/"):
            rest = url[len(prefix) :]
            if rest and rest != ":memory:":
                return prefix + str(self.path(rest).resolve())
        return url

    def source(self, source_id: str) -> SourceSettings:
        for source in self.sources:
            if source.id == source_id:
                return source
        known = ", ".join(s.id for s in self.sources) or "none"
        raise ConfigError(self.config_file, f"no source {source_id!r} (known: {known})", "sources")


def expand_secrets(value: str, environ: Mapping[str, str], path: Path, key: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in environ:
            raise ConfigError(path, f"environment variable {name} is not set", key)
        return environ[name]

    return _ENV_REF_RE.sub(replace, value)


def settings_table() -> list[tuple[str, str, str]]:
    """(key, default, help) of every setting, for the docs and their test."""
    rows: list[tuple[str, str, str]] = []
    sections: list[tuple[str, type[BaseModel]]] = [
        ("database", DatabaseSettings),
        ("storage", StorageSettings),
        ("crawler", CrawlerSettings),
        ("reading", ReadingSettings),
        ("web", WebSettingsModel),
        ("alerts", AlertSettings),
        ("languages", LanguageSettings),
        ("sources", SourceSettings),
        ("channels", ChannelSettings),
    ]
    for section, model in sections:
        for name, field in model.model_fields.items():
            value = field.default.value if isinstance(field.default, Enum) else field.default
            default = "(required)" if field.is_required() else repr(value)
            rows.append((f"{section}.{name}", default, field.description or ""))
    return rows
