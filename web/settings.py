"""What the web tracker needs to know, handed in by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from alerts.deliver.outbound import OutboundPolicy
from alerts.positions import Position
from web.errors import SettingError
from web.sourceadmin import SourceAdmin

MIN_SECRET_LENGTH = 16


@dataclass(frozen=True, kw_only=True)
class WebSettings:
    """Settings of one web app.

    ``database_url``: any SQLAlchemy URL; the caller has migrated the schema.
    ``storage_path``: root of the blob store holding the original files.
    ``public_read``: pages and API readable without signing in.
    ``secret_key``: signs the session cookie; keep it secret and stable across restarts.
    ``site_name``: shown in every page's title and header.
    ``base_url``: the tracker's public address, for absolute links (feeds, calendars, API);
    empty: taken from the request (only for tests and local use). An ``https`` one makes
    the session cookie ``Secure``.
    ``trusted_proxies``: reverse proxies whose X-Forwarded-For is believed (the server
    reads it; see :func:`web.app.server_options`).
    ``outbound``: where users' subscriptions may send.
    ``session_max_age_s``: a session ends this long after sign-in, whatever happens.
    ``max_body_bytes``: larger request bodies are refused before they are read.
    ``sources``: the source wizard's background work (dry runs, crawls); None: sources
    are only listed.
    ``positions``: the coalition's positions (``positions.toml``): the names, stances and key
    messages alert, change and positions pages quote (a position not in it shows its id
    humanised), and the only ids subscriptions may name; empty: any well-formed id.
    """

    database_url: str
    storage_path: Path
    public_read: bool = False
    secret_key: str
    site_name: str = "SP Tracker"
    base_url: str = ""
    trusted_proxies: tuple[str, ...] = ()
    outbound: OutboundPolicy = field(default_factory=OutboundPolicy)
    session_max_age_s: int = 14 * 24 * 3600
    max_body_bytes: int = 1024 * 1024
    sources: SourceAdmin | None = None
    positions: tuple[Position, ...] = ()

    def __post_init__(self) -> None:
        if len(self.secret_key) < MIN_SECRET_LENGTH:
            raise SettingError(
                "secret_key",
                f"a secret of at least {MIN_SECRET_LENGTH} characters",
                f"{len(self.secret_key)} characters",
            )
        object.__setattr__(self, "storage_path", Path(self.storage_path))
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))
        object.__setattr__(self, "trusted_proxies", tuple(self.trusted_proxies))
        object.__setattr__(self, "positions", tuple(self.positions))

    @property
    def positions_by_id(self) -> dict[str, Position]:
        return {p.id: p for p in self.positions}
