"""The composition root's wiring: one object holding every stage, built from Settings."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from alerts.deliver.channels import (
    Channel,
    ChannelError,
    UnknownPosition,
    check_positions,
    check_url,
)
from alerts.deliver.outbound import OutboundPolicy
from alerts.match.matcher import Matcher
from alerts.positions import Position, load_parameter_names, load_positions
from app.config import ConfigError, Settings, expand_secrets
from parsers.compare.parameters import ParameterName
from parsers.read.reader import ReadLimits
from tracker.blobs import BlobStore
from tracker.database import migrate, open_engine, session
from tracker.models import Subscription, User

logger = logging.getLogger(__name__)


DEFAULT_POSITIONS = "positions.toml"
#: The coalition's positions as shipped, beside the packages.
BUNDLED_POSITIONS = Path(__file__).resolve().parents[1] / DEFAULT_POSITIONS


@dataclass
class Runtime:
    settings: Settings
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    @cached_property
    def engine(self) -> Engine:
        engine = open_engine(
            self.settings.database_url, busy_timeout_s=self.settings.database.busy_timeout_s
        )
        migrate(engine)
        return engine

    def session(self) -> Session:
        return session(self.engine)

    def close(self) -> None:
        """Close the database connections (the engine is made again if used later)."""
        if "engine" in self.__dict__:
            self.__dict__.pop("engine").dispose()

    @cached_property
    def blobs(self) -> BlobStore:
        return BlobStore(self.settings.path(self.settings.storage.path))

    @cached_property
    def spool(self) -> Path:
        return self.settings.path(self.settings.crawler.spool)

    @cached_property
    def positions_path(self) -> Path:
        """The positions file beside the config; when the config does not name one and none
        is there, the coalition's file shipped with SP Tracker."""
        name = self.settings.alerts.positions
        path = self.settings.path(name)
        if not path.is_file() and name == DEFAULT_POSITIONS and BUNDLED_POSITIONS.is_file():
            logger.info("no %s beside the config: using %s", name, BUNDLED_POSITIONS)
            path = BUNDLED_POSITIONS
        if not path.is_file():
            raise ConfigError(path, "positions file not found", "alerts.positions")
        return path

    @cached_property
    def positions(self) -> tuple[Position, ...]:
        return load_positions(self.positions_path)

    @cached_property
    def parameter_names(self) -> tuple[ParameterName, ...]:
        """The names the positions file gives parameters (its ``[[parameters]]``)."""
        return load_parameter_names(self.positions_path)

    @cached_property
    def positions_by_id(self) -> dict[str, Position]:
        return {p.id: p for p in self.positions}

    @cached_property
    def matcher(self) -> Matcher:
        return Matcher(self.positions)

    @cached_property
    def outbound(self) -> OutboundPolicy:
        """Where users' subscriptions may send (``[alerts] url_schemes``, ``allow_private``)."""
        alerts = self.settings.alerts
        return OutboundPolicy(schemes=alerts.url_schemes, allow_private=alerts.allow_private)

    @cached_property
    def channels(self) -> tuple[Channel, ...]:
        config_file = Path(self.settings.config_file)
        admin = OutboundPolicy(  # the admin's own URLs: only their schemes are checked
            schemes=self.settings.alerts.url_schemes, check_hosts=False, user_supplied=False
        )
        channels = []
        for c in self.settings.channels:
            url = expand_secrets(c.url, self.environ, config_file, f"channels.{c.name}.url")
            try:  # a typo in a position or a URL is refused when read, not at delivery
                check_positions(c.name, c.positions, self.positions_by_id)
                check_url(c.name, url)
            except ChannelError as exc:
                where = "positions" if isinstance(exc, UnknownPosition) else "url"
                message = f"expected {exc.expected}, got {exc.got!r}"
                raise ConfigError(config_file, message, f"channels.{c.name}.{where}") from None
            channels.append(
                Channel(
                    name=c.name,
                    url=url,
                    positions=c.positions,
                    min_severity=c.min_severity,
                    mode=c.mode,
                    sources=c.sources,
                    language=c.language,
                    policy=admin,
                )
            )
        return tuple(channels)

    def delivery_channels(self, session: Session) -> tuple[Channel, ...]:
        """The configured ``[[channels]]`` and every user's own subscription (web tracker),
        read afresh: a subscription added while the service runs gets the next alert."""
        own: list[Channel] = []
        rows = session.exec(select(Subscription, User).where(Subscription.user_id == User.id))
        for subscription, user in rows:
            try:
                own.append(
                    Channel(
                        name=f"subscription-{subscription.id}",
                        url=subscription.url,
                        positions=tuple(subscription.positions) or ("*",),
                        min_severity=subscription.min_severity,
                        mode=subscription.mode,
                        language=subscription.language,
                        policy=self.outbound,
                    )
                )
            except ChannelError as exc:  # a bad subscription never blocks delivery
                logger.warning("subscription %s of %s skipped: %s", subscription.id, user.name, exc)
        return (*self.channels, *own)

    @cached_property
    def read_limits(self) -> ReadLimits:
        return ReadLimits(
            max_bytes=self.settings.crawler.max_document_mb * 1024 * 1024,
            max_pages=self.settings.reading.max_pages,
            ocr=self.settings.reading.ocr,
        )

    @property
    def user_agent(self) -> str:
        crawler = self.settings.crawler
        return f"{crawler.user_agent} {crawler.contact}".strip()
