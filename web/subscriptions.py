"""Per-user alert subscriptions: a channel of one's own (any Apprise URL) and which
positions, from which severity, in which rhythm should reach it.

Stored here; the delivery stage routes alerts to them the way it routes ``[[channels]]``.
A subscription's URL may hold a personal address or token: pages show it only to its
owner, never in the audit log.
"""

from __future__ import annotations

import re
import warnings

import apprise
from sqlmodel import Session, col, select

from alerts.outbound import OutboundPolicy, OutboundRefused
from tracker.models import Subscription, User
from web.audit import record
from web.errors import EditError

SEVERITIES = ("low", "medium", "high")
MODES = ("instant", "daily", "weekly")
MAX_URL = 2_000
MAX_PER_USER = 20
_POSITION_RE = re.compile(r"\*|[a-z][a-z0-9_]{0,39}")


def parse_positions(value: str) -> list[str]:
    """``"maternity, vesting"`` -> ``["maternity", "vesting"]``; empty means every one."""
    found = [p.strip() for p in re.split(r"[,\s]+", value) if p.strip()]
    bad = [p for p in found if not _POSITION_RE.fullmatch(p)]
    if bad:
        raise EditError("positions", "position ids such as maternity, or *", repr(bad[0][:60]))
    return sorted(set(found)) or ["*"]


def check_url(url: str, policy: OutboundPolicy) -> str:
    """The URL if Apprise can deliver to it and ``policy`` lets the server send there: a
    scheme the admin allows, no added headers or fields, no private or loopback host."""
    url = url.strip()
    if not url or len(url) > MAX_URL:
        raise EditError("url", f"an Apprise URL of at most {MAX_URL} characters", "nothing")
    with warnings.catch_warnings():
        # Apprise's e-mail plugin imports imghdr (deprecated in 3.11) when it loads.
        warnings.filterwarnings("ignore", "'imghdr' is deprecated", DeprecationWarning)
        accepted = apprise.Apprise().add(url)
    if not accepted:
        scheme = url.split(":", 1)[0][:20]
        raise EditError("url", "a URL Apprise can deliver to (mailto://, tgram://, ...)", scheme)
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


def subscribe(
    session: Session,
    user: User,
    url: str,
    positions: str,
    min_severity: str,
    mode: str,
    policy: OutboundPolicy,
) -> Subscription:
    assert user.id is not None
    if min_severity not in SEVERITIES:
        raise EditError("min_severity", "one of " + ", ".join(SEVERITIES), repr(min_severity[:20]))
    if mode not in MODES:
        raise EditError("mode", "one of " + ", ".join(MODES), repr(mode[:20]))
    if len(subscriptions_of(session, user)) >= MAX_PER_USER:
        raise EditError("url", f"at most {MAX_PER_USER} subscriptions per user", "one more")
    subscription = Subscription(
        user_id=user.id,
        url=check_url(url, policy),
        positions=parse_positions(positions),
        min_severity=min_severity,
        mode=mode,
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
        {"positions": subscription.positions, "min_severity": min_severity, "mode": mode},
    )
    return subscription


def unsubscribe(session: Session, user: User, subscription: Subscription) -> None:
    record(session, user.name, "subscription", subscription.id or 0, "unsubscribe")
    session.delete(subscription)
