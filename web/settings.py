"""What the web tracker needs to know, handed in by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from web.errors import SettingError

MIN_SECRET_LENGTH = 16


@dataclass(frozen=True, kw_only=True)
class WebSettings:
    """Settings of one web app.

    ``database_url``: any SQLAlchemy URL; the caller has migrated the schema.
    ``storage_path``: root of the blob store holding the original files.
    ``public_read``: pages and API readable without signing in.
    ``secret_key``: signs the session cookie; keep it secret and stable across restarts.
    ``site_name``: shown in every page's title and header.
    """

    database_url: str
    storage_path: Path
    public_read: bool = False
    secret_key: str
    site_name: str = "SP Tracker"

    def __post_init__(self) -> None:
        if len(self.secret_key) < MIN_SECRET_LENGTH:
            raise SettingError(
                "secret_key",
                f"a secret of at least {MIN_SECRET_LENGTH} characters",
                f"{len(self.secret_key)} characters",
            )
        object.__setattr__(self, "storage_path", Path(self.storage_path))
