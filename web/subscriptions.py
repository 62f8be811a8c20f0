"""Per-user alert subscriptions: a channel of one's own (any Apprise URL) and which
positions, from which severity, in which rhythm and in which language (``en``/``km``: its
messages' templates, dates and position names; at first the user's interface language)
should reach it.

Stored here; the delivery stage routes alerts to them the way it routes ``[[channels]]``.
A subscription's URL may hold a personal address or token: pages show it only to its
owner, never in the audit log.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from sqlmodel import Session, col, select

from alerts.deliver.channels import (
    LANGUAGES,
    MODES,
    SEVERITIES,
    SOURCE_HEALTH,
    Channel,
    apprise_accepts,
    closest,
)
from alerts.deliver.messages import AlertMessage
from alerts.deliver.notifier import Notifier
from alerts.deliver.outbound import OutboundPolicy, OutboundRefused, redact, url_secrets
from alerts.deliver.preview import Preview, send_trial
from alerts.deliver.preview import preview as channel_preview
from alerts.positions import Position
from tracker.kinds import Language, Mode, Severity
from tracker.models import Subscription, User
from web.audit import record
from web.errors import EditError

MAX_URL = 2_000
MAX_PER_USER = 20
_POSITION_RE = re.compile(r"\*|[a-z][a-z0-9_]{0,39}")


class UnknownPositionError(EditError):
    """A subscription names a position the coalition has not defined; ``suggestion`` is
    the closest known id, or empty."""

    def __init__(self, got: str, known: Collection[str]) -> None:
        self.suggestion = closest(got, known)
        hint = f" (did you mean {self.suggestion}?)" if self.suggestion else ""
        super().__init__("positions", f"a known position id{hint}", repr(got[:60]))
        self.value = got[:60]


def parse_positions(value: str, known: Collection[str] = ()) -> list[str]:
    """``"maternity, vesting"`` -> ``["maternity", "vesting"]``; empty means every one.

    With ``known`` ids, any other (but ``*`` and ``source_health``) is refused, naming the
    closest known one; without, only the shape of an id is checked."""
    found = [p.strip() for p in re.split(r"[,\s]+", value) if p.strip()]
    bad = [p for p in found if not _POSITION_RE.fullmatch(p)]
    if bad:
        if known:
            raise UnknownPositionError(bad[0], known)
        raise EditError("positions", "position ids such as maternity, or *", repr(bad[0][:60]))
    if known:
        unknown = [p for p in found if p not in known and p not in ("*", SOURCE_HEALTH)]
        if unknown:
            raise UnknownPositionError(unknown[0], known)
    return sorted(set(found)) or ["*"]


def check_url(url: str, policy: OutboundPolicy) -> str:
    """The URL if Apprise can deliver to it and ``policy`` lets the server send there: a
    scheme the admin allows, no added headers or fields, no private or loopback host."""
    url = url.strip()
    if not url or len(url) > MAX_URL:
        raise EditError("url", f"an Apprise URL of at most {MAX_URL} characters", "nothing")
    if not apprise_accepts(url):
        # shown only to its owner, who typed it
        raise EditError("url", "a URL Apprise can deliver to (mailto://, tgram://, ...)", url[:80])
    try:
        policy.check(url)
    except OutboundRefused as exc:
        raise EditError("url", "a URL the tracker may send to", exc.reason) from None
    return url


def subscriptions_of(session: Session, user: User) -> list[Subscription]:
    statement = (
        select(Subscription).where(Subscription.user_id == user.id).order_by(col(Subscription.id))
    )
    return list(session.exec(statement))


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise EditError("language", " or ".join(LANGUAGES), repr(language[:10]))
    return language


def subscribe(
    session: Session,
    user: User,
    url: str,
    positions: str,
    min_severity: str,
    mode: str,
    policy: OutboundPolicy,
    known: Collection[str] = (),
    language: str = "",
) -> Subscription:
    """Save a subscription of ``user``'s; every value is checked first (``known``: the
    position ids a subscription may name), the first bad one refused with an EditError.
    ``language`` of its messages: empty for the user's interface language (English when
    the user has not chosen one)."""
    assert user.id is not None
    language = check_language(language or (user.language if user.language in LANGUAGES else "en"))
    if min_severity not in SEVERITIES:
        raise EditError("min_severity", "one of " + ", ".join(SEVERITIES), repr(min_severity[:20]))
    if mode not in MODES:
        raise EditError("mode", "one of " + ", ".join(MODES), repr(mode[:20]))
    if len(subscriptions_of(session, user)) >= MAX_PER_USER:
        raise EditError("url", f"at most {MAX_PER_USER} subscriptions per user", "one more")
    subscription = Subscription(
        user_id=user.id,
        url=check_url(url, policy),
        positions=parse_positions(positions, known),
        min_severity=Severity(min_severity),
        mode=Mode(mode),
        language=Language(language),
    )
    session.add(subscription)
    session.flush()
    record(
        session,
        user.name,
        "subscription",
        subscription.id or 0,
        "subscribe",
        {},
        {
            "positions": subscription.positions,
            "min_severity": min_severity,
            "mode": mode,
            "language": language,
        },
    )
    return subscription


def unsubscribe(session: Session, user: User, subscription: Subscription) -> None:
    record(session, user.name, "subscription", subscription.id or 0, "unsubscribe")
    session.delete(subscription)


# --- what a subscription receives: preview and test send -------------------------------


def channel_of(subscription: Subscription, policy: OutboundPolicy, language: str = "") -> Channel:
    """The subscription as the delivery stage sees it (``app.runtime`` makes the same), in
    its own language unless ``language`` says another (a preview in both)."""
    language = check_language(language or subscription.language)
    return Channel(
        name=f"subscription-{subscription.id}",
        url=subscription.url,
        positions=tuple(subscription.positions) or ("*",),
        min_severity=subscription.min_severity,
        mode=subscription.mode,
        language=Language(language),
        policy=policy,
    )


def preview(
    session: Session,
    subscription: Subscription,
    policy: OutboundPolicy,
    positions: Mapping[str, Position],
    base_url: str,
    language: str,
) -> Preview:
    """The instant message and digest the subscription would get in ``language``."""
    channel = channel_of(subscription, policy, language)
    return channel_preview(session, channel, positions, base_url)


def send_test(
    session: Session,
    user: User,
    subscription: Subscription,
    policy: OutboundPolicy,
    positions: Mapping[str, Position],
    base_url: str,
    language: str = "",
    notifier: Notifier | None = None,
) -> AlertMessage:
    """Send the test message through Apprise now (raises DeliveryFailed with the reason,
    credentials removed), in ``language`` (empty: the subscription's); the subscription's
    URL is checked again first."""
    channel = channel_of(subscription, policy, language)
    language = channel.language
    message = send_trial(session, channel, positions, base_url, notifier)
    record(
        session, user.name, "subscription", subscription.id or 0, "test", {}, {"language": language}
    )
    return message


def shown_url(url: str) -> str:
    """A subscription's URL for messages: credentials removed."""
    return redact(url, url_secrets(url))
