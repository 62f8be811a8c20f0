"""What a channel receives, before it does: the latest alerts it would have got, rendered
by the real message templates (an instant message and a digest), and a test message sent
through Apprise now. Used by the web tracker (a user's subscription) and by
``sptrack alerts test`` (a configured ``[[channels]]`` entry).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from html import escape as html_escape

from sqlmodel import Session, col, select

from alerts.deliver.alert_loader import load_alert_view
from alerts.deliver.channels import LANGUAGES, Channel
from alerts.deliver.messages import AlertMessage, render_alert, render_digest
from alerts.deliver.notifier import AppriseNotifier, Notifier
from alerts.errors import AlertError
from alerts.positions import Position
from tracker.models import Alert, Instrument

PREVIEW_SCAN = 500  # latest alerts looked at to find those a channel would receive
PREVIEW_DIGEST = 5  # alerts in a previewed digest

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


class PreviewLanguageError(AlertError):
    """A preview or test was asked for in a language there are no messages in."""

    def __init__(self, language: str) -> None:
        self.language = language
        super().__init__(f"language must be {' or '.join(LANGUAGES)}, got {language[:10]!r}")


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
    """The messages a channel would get in ``language``: the latest alert as an instant
    message and the latest few as a digest; None when no alert has matched it yet."""

    language: str
    instant: AlertMessage | None
    digest: AlertMessage | None
    count: int


def preview(
    session: Session, channel: Channel, positions: Mapping[str, Position], base_url: str
) -> Preview:
    """What ``channel`` would receive, in its language (set ``channel.language`` to ask for
    another)."""
    ids = alerts_for(session, channel)
    views = [load_alert_view(session, alert_id, positions, base_url) for alert_id in ids]
    if not views:
        return Preview(channel.language, None, None, 0)
    digest_mode = "daily" if channel.mode == "instant" else channel.mode
    digest = render_digest(views, replace(channel, mode=digest_mode))  # type: ignore[arg-type]
    return Preview(channel.language, render_alert(views[0], channel.language), digest, len(views))


def trial_message(found: Preview) -> AlertMessage:
    """What a test sends: the instant message the channel would get, marked as a test (or a
    short note when nothing has matched it yet)."""
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


def send_trial(
    session: Session,
    channel: Channel,
    positions: Mapping[str, Position],
    base_url: str,
    notifier: Notifier | None = None,
) -> AlertMessage:
    """Send the test message on ``channel`` through Apprise now, in its language; raises
    DeliveryFailed with the reason (credentials removed) when it was not accepted."""
    if channel.language not in TEST_SUBJECT:
        raise PreviewLanguageError(channel.language)
    message = trial_message(preview(session, channel, positions, base_url))
    (notifier or AppriseNotifier())(channel, message)
    return message
