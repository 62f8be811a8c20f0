"""Where alerts go: a channel is an Apprise URL with a routing rule and a delivery mode.

Routing is a filter on what an alert touches (positions), how strongly (severity) and
where it came from (source). Digest channels collect alerts until a fixed local time:
07:00 in Phnom Penh every day, or every Monday at 07:00.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import apprise

from alerts.deliver.outbound import OutboundPolicy, redact
from alerts.errors import AlertError
from tracker.kinds import Language, Mode, Severity

ADMIN_POLICY = OutboundPolicy(check_hosts=False, user_supplied=False)
"""A ``[[channels]]`` URL is the admin's own choice: only its scheme is checked."""

SEVERITIES: tuple[Severity, ...] = tuple(Severity)
MODES: tuple[Mode, ...] = tuple(Mode)
LANGUAGES: tuple[Language, ...] = tuple(Language)

SOURCE_HEALTH = "source_health"
"""Named in a channel's ``positions`` (or ``*``): the channel gets source-health notices."""

LOCAL_TZ = ZoneInfo("Asia/Phnom_Penh")
DIGEST_TIME = time(7, 0)
MONDAY = 0


class ChannelError(AlertError):
    """A channel is configured with a value it cannot take."""

    def __init__(self, channel: str, field: str, expected: str, got: object) -> None:
        self.channel = channel
        self.field = field
        self.expected = expected
        self.got = got
        super().__init__(f"channel {channel!r}: {field} must be {expected}, got {got!r}")


class UnknownPosition(ChannelError):
    """A channel (or a user's subscription) names a position the coalition has not defined.

    ``suggestion`` is the closest known id (``maternity`` for ``maternty``), or empty."""

    def __init__(self, channel: str, got: str, known: Iterable[str]) -> None:
        self.known = tuple(sorted(known))
        self.suggestion = closest(got, self.known)
        hint = f"did you mean {self.suggestion!r}? " if self.suggestion else ""
        expected = f"known position ids ({hint}known: {', '.join(self.known)})"
        super().__init__(channel, "positions", expected, got)


class BadChannelUrl(ChannelError):
    """A channel's URL is not one Apprise can deliver to."""

    def __init__(self, channel: str, url: str) -> None:
        scheme, sep, _ = url.strip().partition("://")
        # Name the scheme, never the rest (a token or password may be in it).
        self.shown = f"{scheme[:20]}://…" if sep else redact(url.strip())[:40]
        expected = "an Apprise URL such as mailto://, tgram://, slack:// or json://"
        super().__init__(channel, "url", expected, self.shown)


def closest(value: str, known: Iterable[str]) -> str:
    """The known id nearest ``value`` in spelling (``maternty`` -> ``maternity``), or ``""``."""
    found = difflib.get_close_matches(value.strip().casefold(), list(known), n=1, cutoff=0.6)
    return found[0] if found else ""


def check_positions(channel: str, positions: Iterable[str], known: Iterable[str]) -> None:
    """Refuse the first of ``positions`` that is neither ``*``, ``source_health`` nor one of
    ``known`` (raises :class:`UnknownPosition` naming it and the closest known id)."""
    allowed = set(known)
    for position in positions:
        if position not in allowed and position not in ("*", SOURCE_HEALTH):
            raise UnknownPosition(channel, position, allowed | {SOURCE_HEALTH})


def apprise_accepts(url: str) -> bool:
    """Whether Apprise can parse ``url`` as the address of a service it delivers to."""
    with warnings.catch_warnings():
        # Apprise's e-mail plugin imports imghdr (deprecated in 3.11) when it loads.
        warnings.filterwarnings("ignore", "'imghdr' is deprecated", DeprecationWarning)
        return bool(apprise.Apprise(asset=apprise.AppriseAsset(storage_mode="memory")).add(url))


def check_url(channel: str, url: str) -> None:
    """Refuse a URL Apprise cannot deliver to (raises :class:`BadChannelUrl`)."""
    if not apprise_accepts(url.strip()):
        raise BadChannelUrl(channel, url)


def severity_rank(severity: str) -> int:
    """0 for low, 1 for medium, 2 for high; -1 for anything else (ranks below low)."""
    try:
        return Severity(severity).rank
    except ValueError:
        return -1


@dataclass(frozen=True)
class Channel:
    """One delivery target: an Apprise URL and which alerts reach it, how and in what language.

    ``positions`` and ``sources`` hold ids, or ``"*"`` for all. ``policy`` says where the
    channel may send (``alerts.deliver.outbound``): a user's subscription gets the strict one.
    """

    name: str
    url: str
    positions: tuple[str, ...] = ("*",)
    min_severity: Severity = Severity.LOW
    mode: Mode = Mode.INSTANT
    sources: tuple[str, ...] = ("*",)
    language: Language = Language.EN
    policy: OutboundPolicy = field(default=ADMIN_POLICY, compare=False)

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ChannelError(self.name, "name", "a non-empty name", self.name)
        if not self.url.strip():
            raise ChannelError(self.name, "url", "an Apprise URL", self.url)
        # Accept any iterable of ids (a list from TOML) but keep the dataclass hashable.
        object.__setattr__(self, "positions", tuple(self.positions))
        object.__setattr__(self, "sources", tuple(self.sources))
        if self.min_severity not in SEVERITIES:
            raise ChannelError(
                self.name, "min_severity", " or ".join(SEVERITIES), self.min_severity
            )
        if self.mode not in MODES:
            raise ChannelError(self.name, "mode", " or ".join(MODES), self.mode)
        if self.language not in LANGUAGES:
            raise ChannelError(self.name, "language", " or ".join(LANGUAGES), self.language)
        # Words from config or a subscription's row become members.
        object.__setattr__(self, "min_severity", Severity(self.min_severity))
        object.__setattr__(self, "mode", Mode(self.mode))
        object.__setattr__(self, "language", Language(self.language))

    @property
    def digest(self) -> bool:
        """True when alerts are collected and sent together (daily or weekly)."""
        return self.mode != Mode.INSTANT

    def wants_position(self, position: str) -> bool:
        return "*" in self.positions or position in self.positions

    def accepts(self, positions: Iterable[str], severity: str, source_id: str) -> bool:
        """Whether an alert touching ``positions`` at ``severity`` from ``source_id`` goes here."""
        if severity_rank(severity) < severity_rank(self.min_severity):
            return False
        if "*" not in self.sources and source_id not in self.sources:
            return False
        return any(self.wants_position(position) for position in positions)

    def accepts_notice(self, severity: str, source_id: str) -> bool:
        """Whether a source-health notice goes here: the channel asks for them (``positions``
        holds ``source_health`` or ``*``), and severity and source pass its filters."""
        return self.accepts([SOURCE_HEALTH], severity, source_id)


def next_due(channel: Channel, now: datetime) -> datetime:
    """When an alert created at ``now`` should go out on ``channel`` (aware, UTC).

    Instant: now. Daily: the next 07:00 in Phnom Penh (now itself if it is exactly 07:00).
    Weekly: the next Monday 07:00 in Phnom Penh. A naive ``now`` is taken as UTC.
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    if channel.mode == Mode.INSTANT:
        return now.astimezone(UTC)
    local = now.astimezone(LOCAL_TZ)
    days = 0 if channel.mode == Mode.DAILY else (MONDAY - local.weekday()) % 7
    due = datetime.combine(local.date() + timedelta(days=days), DIGEST_TIME, tzinfo=LOCAL_TZ)
    if due < local:
        due += timedelta(days=1 if channel.mode == Mode.DAILY else 7)
    return due.astimezone(UTC)
