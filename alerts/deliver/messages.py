"""Alert and digest messages, rendered from Jinja2 templates in English or Khmer.

Presentation lives in ``alerts/deliver/templates``: ``alert.<lang>.txt.j2`` /
``alert.<lang>.html.j2`` and ``digest.<lang>.*``. HTML templates autoescape; every piece of document
text reaching a template has been through ``alerts.deliver.view.plain`` (no control or bidi-override
characters, capped), and the text templates pass fields through the ``line`` filter as well.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context

from alerts.deliver.channels import LANGUAGES, Channel, severity_rank
from alerts.deliver.dates import format_date, format_when
from alerts.deliver.flag_views import PositionView
from alerts.deliver.message_words import (
    DIGEST_WORDS,
    DIRECTION_WORDS,
    KIND_WORDS,
    LANGUAGE_WORDS,
    METHOD_WORDS,
    NONE_WORDS,
    NOTICE_WORDS,
    SEVERITY_WORDS,
    UNIT_WORDS,
)
from alerts.deliver.notices import NoticeView
from alerts.deliver.number_views import change_in_words
from alerts.deliver.plain_text import plain
from alerts.deliver.view import AlertView, ChangeView, InstrumentView
from alerts.errors import AlertError
from parsers.khmer import to_khmer_digits

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).with_name("templates")
SUBJECT_LIMIT = 200
MAX_CHANGES = 5
MAX_KEY_MESSAGES = 2

MAX_MOVES = 4
# Notices worded per reader's language: a notice with ``facts`` whose kind has templates
# ``<kind>.<language>.txt.j2`` (one line) is summarised by them, in Khmer with Khmer digits
# and Khmer dates; any other notice keeps the one summary it was stored with.
_KIND_RE = re.compile(r"[a-z][a-z0-9-]{0,39}")


class TemplateLanguageError(AlertError):
    """A message was asked for in a language there are no templates for."""

    def __init__(self, language: str) -> None:
        self.language = language
        super().__init__(f"message language must be {' or '.join(LANGUAGES)}, got {language!r}")


@dataclass(frozen=True)
class AlertMessage:
    """A rendered message: one-line subject, plain-text body and HTML body.

    The outbox adds, before sending: ``key`` (the message's idempotency key, the same on
    every try of the same message), ``deliveries`` (the keys of the deliveries it carries),
    ``refs`` (``alert:ID`` / ``notice:ID``) and ``redelivery`` (True when this is a repeat
    of a message whose fate a killed process did not record).
    """

    subject: str
    text: str
    html: str
    key: str = ""
    deliveries: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    redelivery: bool = False


@dataclass(frozen=True)
class DigestItem:
    alert: AlertView
    change: ChangeView | None
    also: tuple[str, ...]


@dataclass(frozen=True)
class DigestInstrument:
    instrument: InstrumentView
    items: tuple[DigestItem, ...]


@dataclass(frozen=True)
class DigestGroup:
    position: PositionView
    instruments: tuple[DigestInstrument, ...]


@pass_context
def _local_time(context: Context, moment: datetime) -> str:
    """A time in Phnom Penh, in the message's language, saying so: ``15 Jun 2025 14:30
    (Phnom Penh time)`` / ``ថ្ងៃទី១៥ ខែមិថុនា ឆ្នាំ២០២៥ ម៉ោង ១៤:៣០ (ម៉ោងភ្នំពេញ)``."""
    return format_when(moment, context.get("language", "en"), zone=True)


@pass_context
def _digits(context: Context, value: object) -> str:
    """A count as the message's reader writes it: Khmer digits in a Khmer message."""
    return to_khmer_digits(str(value)) if context.get("language") == "km" else str(value)


def _href(url: str) -> str:
    """Only web links become links: anything else (``javascript:``, ``data:``) becomes ``#``."""
    cleaned = plain(str(url), 2000, single_line=True)
    return cleaned if cleaned.lower().startswith(("http://", "https://")) else "#"


def quantity_words(value: float, unit: str, language: str = "en") -> str:
    """A number with its base unit as a reader writes it: ``70%``, ``KHR 1,200,000``,
    ``90 days``; in Khmer ``៧០%``, ``១.២០០.០០០ រៀល``, ``៩០ ថ្ងៃ`` (Khmer digits, ``.``
    between thousands and ``,`` before decimals, as Khmer legal texts print them)."""
    _check_language(language)
    number = f"{value:,.2f}".rstrip("0").rstrip(".")
    if language == "km":
        number = to_khmer_digits(number.translate(str.maketrans(",.", ".,")))
        words = UNIT_WORDS["km"].get(unit, unit)
        return f"{number}%" if unit == "%" else f"{number} {words}".strip()
    if unit == "%":
        return f"{number}%"
    if unit in ("KHR", "USD"):
        return f"{unit} {number}"
    return f"{number} {unit if value == 1 else UNIT_WORDS['en'].get(unit, unit)}".strip()


def _quantities(values: object, language: str) -> str:
    """``3%, 6%`` from ``[{"value": 3, "unit": "%"}, ...]`` (facts as stored)."""
    found = [
        quantity_words(float(v["value"]), plain(str(v.get("unit", "")), 12), language)
        for v in values or ()  # type: ignore[attr-defined]
        if isinstance(v, Mapping) and isinstance(v.get("value"), int | float)
    ]
    return ", ".join(found) or NONE_WORDS[language]


def _day_words(value: object, language: str) -> str:
    """A stored ISO day in the one format: ``10 Apr 2026``; in Khmer ``ថ្ងៃទី១០ ខែមេសា
    ឆ្នាំ២០២៦``; other text as it is."""
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return plain(str(value), 40, single_line=True)
    return format_date(day, language)


def notice_summary(kind: str, facts: Mapping[str, Any], language: str = "en") -> str | None:
    """The one-line summary of a notice from its facts, in ``language``, by the templates
    ``<kind>.<language>.txt.j2``; None when its kind has none. Document text in the facts
    (provision refs) is made plain here; the HTML templates escape the line."""
    _check_language(language)
    name = f"{kind}.{language}.txt.j2"
    if not _KIND_RE.fullmatch(kind) or name not in _NOTICE_KINDS:
        return None
    line = _ENV.get_template(name).render(
        facts=facts,
        language=language,
        languages=LANGUAGE_WORDS[language],
        digits=(to_khmer_digits if language == "km" else str),
        quantities=lambda values: _quantities(values, language),
        day=lambda value: _day_words(value, language),
        text=lambda value: plain(str(value or ""), 120, single_line=True),
    )
    return plain(line, SUBJECT_LIMIT, single_line=True)


def _worded(notice: NoticeView, language: str) -> NoticeView:
    try:
        summary = notice_summary(notice.kind, notice.facts, language) if notice.facts else None
    except TemplateError as exc:  # facts of an older shape: the stored summary still reads
        logger.warning("notice %s: its facts do not fit its templates: %s", notice.id, exc)
        summary = None
    return notice if summary is None else replace(notice, summary=summary)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["line"] = lambda value, limit=300: plain(str(value), limit, single_line=True)
    env.filters["local_time"] = _local_time
    env.filters["digits"] = _digits
    env.filters["href"] = _href
    return env


_ENV = _environment()
_NOTICE_KINDS = frozenset(
    name
    for name in _ENV.list_templates(extensions=["j2"])
    if name.count(".") == 3 and not name.startswith(("alert.", "digest.", "notice."))
)


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise TemplateLanguageError(language)


def _words(view: AlertView, change: ChangeView | None, language: str) -> str:
    if change is None:
        return ""
    return change_in_words(
        change.ref, change.kind, change.numbers, KIND_WORDS[language], language=language
    )


def _moves(view: AlertView, changes: Sequence[ChangeView], language: str) -> dict[str, list[str]]:
    """Per position: which way each of its changes goes, ``Article 5: 70% -> 100% (up)``, or
    the kind of change (``Article 9: added``) where no number moved."""
    directions, kinds = DIRECTION_WORDS[language], KIND_WORDS[language]
    moves: dict[str, list[str]] = {}
    for change in changes:
        numbers = [n for n in change.numbers if n.direction != "same"]
        if numbers:
            words = "; ".join(
                f"{n.in_words_in(language)} ({directions[n.direction]})" for n in numbers[:3]
            )
        else:
            words = kinds.get(change.kind, change.kind)
        line = f"{change.ref}: {words}" if change.ref else words
        for position in dict.fromkeys(f.position for f in change.flags):
            found = moves.setdefault(position, [])
            if len(found) < MAX_MOVES:
                found.append(line)
    return moves


def alert_subject(view: AlertView, language: str = "en") -> str:
    """``[HIGH] Contribution rate: Sub-decree 32 on pensions, Article 4: 4% -> 6%``."""
    _check_language(language)
    severity = SEVERITY_WORDS[language].get(view.severity, view.severity.upper())
    name = view.positions[0].name_in(language) if view.positions else ""
    words = _words(view, view.top_change, language)
    where = view.instrument.label + (f", {words}" if words else "")
    line = f"[{severity}] {name}: {where}" if name else f"[{severity}] {where}"
    return plain(line, SUBJECT_LIMIT, single_line=True)


def _render(name: str, **context: object) -> tuple[str, str]:
    context.setdefault("language", name.rsplit(".", 1)[-1])  # alert.km -> km: its times
    text = _ENV.get_template(f"{name}.txt.j2").render(**context)
    html = _ENV.get_template(f"{name}.html.j2").render(**context)
    return text, html


def render_alert(view: AlertView, language: str = "en") -> AlertMessage:
    """One alert as a message: what changed, why it matters, where it comes from."""
    _check_language(language)
    changes = view.flagged_changes or view.changes
    text, html = _render(
        f"alert.{language}",
        alert=view,
        subject=alert_subject(view, language),
        changes=changes[:MAX_CHANGES],
        more=max(0, len(changes) - MAX_CHANGES),
        words={c.id: _words(view, c, language) for c in changes},
        severity=SEVERITY_WORDS[language],
        kinds=KIND_WORDS[language],
        max_key_messages=MAX_KEY_MESSAGES,
        moves=_moves(view, changes, language),
        methods=METHOD_WORDS[language],
    )
    return AlertMessage(subject=alert_subject(view, language), text=text, html=html)


def _digest_groups(views: Sequence[AlertView], channel: Channel) -> list[DigestGroup]:
    """Alerts grouped under the first position of each that the channel wants, then by
    instrument; positions by highest severity, alerts newest last."""
    by_position: dict[str, tuple[PositionView, dict[int, list[DigestItem]]]] = {}
    instruments: dict[int, InstrumentView] = {}
    for view in sorted(views, key=lambda v: (v.created_at, v.id)):
        wanted = [p for p in view.positions if channel.wants_position(p.id)] or list(view.positions)
        if not wanted:
            continue
        primary = wanted[0]
        also = tuple(p.name_in(channel.language) for p in view.positions if p.id != primary.id)
        slot = by_position.setdefault(primary.id, (primary, {}))
        if severity_rank(primary.severity) > severity_rank(slot[0].severity):
            by_position[primary.id] = slot = (primary, slot[1])
        instruments[view.instrument.id] = view.instrument
        slot[1].setdefault(view.instrument.id, []).append(
            DigestItem(alert=view, change=view.top_change, also=also)
        )
    groups = [
        DigestGroup(
            position=position,
            instruments=tuple(
                DigestInstrument(instruments[key], tuple(items)) for key, items in by_inst.items()
            ),
        )
        for position, by_inst in by_position.values()
    ]
    groups.sort(key=lambda g: (-severity_rank(g.position.severity), -g.position.score))
    return groups


def render_digest(views: Sequence[AlertView], channel: Channel) -> AlertMessage:
    """Several alerts in one message for a daily or weekly channel, in its language."""
    language = channel.language
    _check_language(language)
    top = max((v.severity for v in views), key=severity_rank, default="low")
    title = DIGEST_WORDS[language][channel.mode]
    severity = SEVERITY_WORDS[language]
    count = len(views)
    unit = "ការជូនដំណឹង" if language == "km" else ("alert" if count == 1 else "alerts")
    shown = to_khmer_digits(str(count)) if language == "km" else str(count)
    subject = plain(f"[{severity.get(top, top)}] {title}: {shown} {unit}", SUBJECT_LIMIT)
    groups = _digest_groups(views, channel)
    words = {
        item.alert.id: _words(item.alert, item.change, language)
        for group in groups
        for inst in group.instruments
        for item in inst.items
    }
    text, html = _render(
        f"digest.{language}",
        subject=subject,
        title=title,
        groups=groups,
        words=words,
        severity=severity,
        count=count,
        max_key_messages=1,
    )
    return AlertMessage(subject=subject, text=text, html=html)


def render_notices(notices: Sequence[NoticeView], channel: Channel) -> AlertMessage:
    """Source-health notices as one message in the channel's language (one, or a digest)."""
    language = channel.language
    _check_language(language)
    notices = [_worded(n, language) for n in notices]
    severity = SEVERITY_WORDS[language]
    top = max((n.severity for n in notices), key=severity_rank, default="low")
    label = f"[{severity.get(top, top)}] {NOTICE_WORDS[language]}"
    if len(notices) == 1:
        notice = notices[0]
        line = f"{label}: {notice.source}: {notice.summary}"
    else:
        many = "notices" if language == "en" else "សេចក្តីជូនដំណឹង"
        shown = to_khmer_digits(str(len(notices))) if language == "km" else str(len(notices))
        line = f"{label}: {shown} {many}"
    subject = plain(line, SUBJECT_LIMIT, single_line=True)
    text, html = _render(
        f"notice.{language}",
        subject=subject,
        notices=list(notices),
        count=len(notices),
        severity=severity,
    )
    return AlertMessage(subject=subject, text=text, html=html)
