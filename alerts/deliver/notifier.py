"""Apprise sends a rendered message on a channel, with the message's idempotency key.

Every message carries its key where the service can take it: as ``X-Idempotency-Key``
(and ``X-SPTracker-Deliveries``) headers on webhooks (``json://``, ``xml://``,
``form://``) and e-mail, and as ``idempotency_key`` / ``sptracker`` fields in a
``json://`` payload. A receiver that keeps the keys it has seen drops the one repeat the
outbox can make (a process killed after the channel accepted, before it recorded it).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from email.quoprimime import header_length
from typing import Any

import apprise

from alerts.deliver.channels import Channel
from alerts.deliver.messages import AlertMessage
from alerts.deliver.outbound import OutboundRefused, redact, url_secrets
from alerts.errors import AlertError

ERROR_LIMIT = 1000
KEY_HEADER = "X-Idempotency-Key"
MAIL_LINE = 900  # bytes for the Subject line, under SMTP's 998 with room to spare

Notifier = Callable[[Channel, AlertMessage], None]
"""Sends one message on one channel; raises (e.g. DeliveryFailed) when it was not accepted."""


class DeliveryFailed(AlertError):
    """A channel did not accept a message."""

    def __init__(self, channel: str, reason: str) -> None:
        self.channel = channel
        self.reason = reason
        super().__init__(f"channel {channel!r}: {reason}")


def _stamp(service: Any, message: AlertMessage) -> None:
    """Put the message's keys on the service where it has room for them."""
    if not message.key:
        return
    headers = getattr(service, "headers", None)
    if isinstance(headers, dict):
        headers[KEY_HEADER] = message.key
        headers["X-SPTracker-Deliveries"] = ",".join(message.deliveries)[:900]
        if message.redelivery:
            headers["X-SPTracker-Redelivery"] = "1"
    extras = getattr(service, "payload_extras", None)
    if isinstance(extras, dict):
        extras["idempotency_key"] = message.key
        extras["sptracker"] = {
            "key": message.key,
            "deliveries": list(message.deliveries),
            "refs": list(message.refs),
            "redelivery": message.redelivery,
        }


class AppriseNotifier:
    """The default notifier: one Apprise object per message, its log captured for errors.

    E-mail gets the HTML message (with Apprise's text alternative), every other service the
    plain text (Apprise escapes plain text for Markdown and HTML services: nothing injects).
    """

    def __call__(self, channel: Channel, message: AlertMessage) -> None:
        notifier = apprise.Apprise(asset=apprise.AppriseAsset(storage_mode="memory"))
        capture = apprise.LogCapture(  # type: ignore[no-untyped-call]
            level=logging.DEBUG, fmt="%(levelname)s %(message)s"
        )
        with capture as log:
            with warnings.catch_warnings():
                # Apprise's e-mail plugin imports imghdr (deprecated in 3.11) when it loads.
                warnings.filterwarnings("ignore", "'imghdr' is deprecated", DeprecationWarning)
                added = notifier.add(channel.url)
            if not added:
                scheme = channel.url.split("://", 1)[0] if "://" in channel.url else "?"
                raise DeliveryFailed(
                    channel.name,
                    f"Apprise cannot parse its URL (scheme {scheme!r}): expected a supported "
                    f"service URL such as mailto://, tgram://, slack:// or json://",
                )
            service = notifier[0]
            try:
                channel.policy.check_service(service, channel.url)
            except OutboundRefused as exc:
                raise DeliveryFailed(channel.name, f"not sent: {exc}") from None
            # Its address for errors, taken before the keys are put on it.
            where = redact(service.url(privacy=True), _secrets(channel.url, service))  # type: ignore[no-untyped-call]
            _stamp(service, message)
            html = bool(message.html) and _takes_html_documents(service)
            with channel.policy.guard():  # checked again at connect time (DNS rebinding)
                accepted = notifier.notify(
                    title=_mail_subject(message.subject) if html else message.subject,
                    body=message.html if html else message.text,
                    body_format=apprise.NotifyFormat.HTML if html else apprise.NotifyFormat.TEXT,
                )
            captured = log.getvalue()
        if not accepted:
            reason = redact(_log_reason(captured), _secrets(channel.url, service))
            raise DeliveryFailed(channel.name, f"{where} refused it: {reason}")


def _secrets(url: str, service: Any) -> list[str]:
    """What must never show in an error: the URL's credentials and the header values."""
    headers = getattr(service, "headers", None)
    values = [str(v) for v in headers.values()] if isinstance(headers, dict) else []
    return [*url_secrets(url), *values]


def _takes_html_documents(service: Any) -> bool:
    """E-mail renders a whole HTML document; chat services get text (Apprise escapes it)."""
    native = service.resolve_format(None)
    return getattr(service, "protocol", None) == "mailto" and native == apprise.NotifyFormat.HTML


def _mail_subject(subject: str) -> str:
    """The subject cut (with ``…``) to fit one SMTP line once quoted-printable encoded:
    Apprise writes the Subject header without folding it, and a Khmer letter takes nine
    bytes there, so a long Khmer subject made one line past the 998 bytes SMTP allows and
    the server refused the message."""
    if all(ord(c) < 128 for c in subject):
        return subject
    cut = subject
    while cut and len("Subject: =?utf-8?q??=") + header_length(cut.encode("utf-8")) > MAIL_LINE:
        cut = cut[: max(0, len(cut) - max(1, len(cut) // 10))]
    return subject if cut == subject else cut.rstrip() + "…"


def _log_reason(captured: str) -> str:
    """The lines of an Apprise log that say why a notification failed."""
    lines = [line.strip() for line in captured.splitlines() if line.strip()]
    # Never the payload: it holds the message (document text), not the reason.
    lines = [line for line in lines if "Payload" not in line]
    telling = [
        line
        for line in lines
        if not line.startswith(("DEBUG", "INFO"))
        or any(word in line for word in ("Exception", "Error", "rror:", "refused", "Response"))
    ]
    reason = " | ".join(telling or lines[-3:]) or "no reason given"
    return reason[:ERROR_LIMIT]
