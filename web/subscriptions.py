"""Per-user alert subscriptions: a channel of one's own (any Apprise URL) and which
positions, from which severity, in which rhythm should reach it.

Stored here; the delivery stage routes alerts to them the way it routes ``[[channels]]``.
A subscription's URL may hold a personal address or token: pages show it only to its
owner, never in the audit log.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from html import escape as html_escape

from sqlmodel import Session, col, select

from alerts.channels import SOURCE_HEALTH, Channel, apprise_accepts, closest
from alerts.messages import AlertMessage, render_alert, render_digest
from alerts.notifier import AppriseNotifier, Notifier
from alerts.outbound import OutboundPolicy, OutboundRefused, redact, url_secrets
from alerts.positions import Position
from alerts.view import load_alert_view
from tracker.models import Alert, Instrument, Subscription, User
from web.audit import record
from web.errors import EditError

SEVERITIES = ("low", "medium", "high")
MODES = ("instant", "daily", "weekly")
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


def subscribe(
    session: Session,
    user: User,
    url: str,
    positions: str,
    min_severity: str,
    mode: str,
    policy: OutboundPolicy,
    known: Collection[str] = (),
) -> Subscription:
    """Save a subscription of ``user``'s; every value is checked first (``known``: the
    position ids a subscription may name), the first bad one refused with an EditError."""
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
        positions=parse_positions(positions, known),
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


# --- what a subscription receives: preview and test send -------------------------------

PREVIEW_SCAN = 500  # latest alerts looked at to find those a subscription would receive
PREVIEW_DIGEST = 5  # alerts in a previewed digest


def channel_of(subscription: Subscription, policy: OutboundPolicy, language: str = "en") -> Channel:
    """The subscription as the delivery stage sees it (``app.runtime`` makes the same)."""
    return Channel(
        name=f"subscription-{subscription.id}",
        url=subscription.url,
        positions=tuple(subscription.positions) or ("*",),
        min_severity=subscription.min_severity,  # type: ignore[arg-type]
        mode=subscription.mode,  # type: ignore[arg-type]
        language=language,  # type: ignore[arg-type]
        policy=policy,
    )


def alerts_for(session: Session, channel: Channel, limit: int = PREVIEW_DIGEST) -> list[int]:
    """Ids of the latest alerts ``channel`` would have received, newest first."""
    statement = (
        select(Alert, Instrument.source_id)
        .join(Instrument, col(Instrument.id) == col(Alert.instrument_id))
        .order_by(col(Alert.created_at).desc(), col(Alert.id).desc())
        .limit(PREVIEW_SCAN)
    )
    found: list[int] = []
    for alert, source_id in session.exec(statement):
        if alert.id is not None and channel.accepts(alert.positions, alert.severity, source_id):
            found.append(alert.id)
            if len(found) >= limit:
                break
    return found


@dataclass(frozen=True)
class Preview:
    """The messages a subscription would get, rendered by the real message templates:
    one alert as an instant message and the latest few as a digest; None when no alert
    has matched it yet."""

    language: str
    instant: AlertMessage | None
    digest: AlertMessage | None
    count: int


def preview(
    session: Session,
    subscription: Subscription,
    policy: OutboundPolicy,
    positions: Mapping[str, Position],
    base_url: str,
    language: str,
) -> Preview:
    channel = channel_of(subscription, policy, language)
    ids = alerts_for(session, channel)
    views = [load_alert_view(session, alert_id, positions, base_url) for alert_id in ids]
    if not views:
        return Preview(language, None, None, 0)
    digest_mode = "daily" if channel.mode == "instant" else channel.mode
    digest = render_digest(views, replace(channel, mode=digest_mode))  # type: ignore[arg-type]
    return Preview(language, render_alert(views[0], language), digest, len(views))


_BODY_RE = re.compile(r"<body[^>]*>")
TEST_SUBJECT = {"en": "[TEST] SP Tracker", "km": "[សាកល្បង] SP Tracker"}
TEST_NOTE = {
    "en": "A test from SP Tracker: this channel works. The latest alert it would have "
    "received follows.",
    "km": "សារសាកល្បងពី SP Tracker៖ បណ្តាញនេះដំណើរការ។ ខាងក្រោមជាការជូនដំណឹងចុងក្រោយដែលវានឹងទទួលបាន។",
}
TEST_EMPTY = {
    "en": "A test from SP Tracker: this channel works. No alert has matched it yet.",
    "km": "សារសាកល្បងពី SP Tracker៖ បណ្តាញនេះដំណើរការ។ មិនទាន់មានការជូនដំណឹងត្រូវនឹងវានៅឡើយទេ។",
}


def trial_message(found: Preview) -> AlertMessage:
    """What "send test" sends: the instant message the channel would get, marked as a test
    (or a short note when nothing has matched yet)."""
    language = found.language
    if found.instant is None:
        return AlertMessage(subject=TEST_SUBJECT[language], text=TEST_EMPTY[language], html="")
    message = found.instant
    note = TEST_NOTE[language]
    note_html = f'<p style="background:#fff4d6;padding:6px">{html_escape(note)}</p>'
    return AlertMessage(
        subject=f"{TEST_SUBJECT[language].split()[0]} {message.subject}",
        text=f"{note}\n\n{message.text}",
        html=_BODY_RE.sub(lambda m: m.group() + note_html, message.html, count=1),
    )


def send_test(
    session: Session,
    user: User,
    subscription: Subscription,
    policy: OutboundPolicy,
    positions: Mapping[str, Position],
    base_url: str,
    language: str,
    notifier: Notifier | None = None,
) -> AlertMessage:
    """Send the test message through Apprise now (raises DeliveryFailed with the reason,
    credentials removed); the subscription's URL is checked again first."""
    if language not in TEST_SUBJECT:
        raise EditError("language", "en or km", repr(language[:10]))
    message = trial_message(preview(session, subscription, policy, positions, base_url, language))
    send = notifier or AppriseNotifier()
    send(channel_of(subscription, policy, language), message)
    record(
        session, user.name, "subscription", subscription.id or 0, "test", {}, {"language": language}
    )
    return message


def shown_url(url: str) -> str:
    """A subscription's URL for messages: credentials removed."""
    return redact(url, url_secrets(url))
