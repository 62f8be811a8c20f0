"""`sptrack demo`: the whole path offline, on a bundled copy of a ministry website.

A local HTTP server on 127.0.0.1 serves ``app/demo_site/state1`` (the site today), the real
Scrapy spider crawls it (the baseline), the server switches to ``state2`` (the site a month
later), the spider crawls again, and each alert is delivered through Apprise to two local
webhooks (an English and a Khmer channel). The demo tells it as a story a newcomer follows,
in English or Khmer (``app/templates/demo.<language>.txt.j2``), and prints the message the
channel received, read back from its webhook. Nothing leaves loopback.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from alerts.deliver.channels import SEVERITIES, severity_rank
from alerts.deliver.flag_views import PositionView
from alerts.deliver.message_words import LANGUAGE_WORDS, SEVERITY_WORDS
from alerts.deliver.number_views import NumberView
from alerts.deliver.plain_text import plain
from alerts.deliver.view import AlertView, ChangeView
from app.config_file import load_settings
from app.ingest import SourceOutcome
from app.jobs import check_translation_lag, crawl, deliver
from app.local_servers import SiteServer, WebhookServer, serving
from app.runtime import Runtime
from tracker.kinds import Language
from tracker.runs import RunCounts

SITE = Path(__file__).with_name("demo_site")
POSITIONS = Path(__file__).parent.parent / "positions.toml"
#: The counts of a crawl the story tells (summed over the crawls of a visit).
TOLD = ("documents", "new", "changed", "unchanged", "not_modified", "failed", "alerts", "requests")


def demo_config(
    site_url: str,
    webhook_port: int,
    database_url: str = "sqlite:///data/sptrack.db",
    khmer_port: int | None = None,
) -> str:
    """The demo's config; ``khmer_port``: a second channel there, reading in Khmer."""
    khmer = (
        f"""
[[channels]]
name = "demo-webhook-km"
url = "json://127.0.0.1:{khmer_port}/alerts"
positions = ["*"]
min_severity = "low"
mode = "instant"
language = "km"
"""
        if khmer_port
        else ""
    )
    return f"""# Written by `sptrack demo`: a local copy of a ministry site, served on 127.0.0.1.
[database]
url = "{database_url}"

[storage]
path = "data/blobs"

[crawler]
delay_s = 0                            # a local site: no need to wait between requests

[web]
public_read = true

[alerts]
allow_private = ["127.0.0.1"]          # users' subscriptions may reach local receivers

[[sources]]
id = "demo-ministry"
name = "Demo ministry: legal documents"
start_urls = ["{site_url}/legal-documents/"]
documents = "ul.docs a::attr(href)"
next_page = "a.next::attr(href)"
date = "span.date::text"
schedule = "0 6 * * *"
allow_private_network = true

[[channels]]
name = "demo-webhook"
url = "json://127.0.0.1:{webhook_port}/alerts"
positions = ["*"]
min_severity = "low"
mode = "instant"
{khmer}"""


LANGUAGES: tuple[str, ...] = tuple(Language)
_KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")
MESSAGE_LINES = 60  # lines of a received message printed


def story(language: str) -> Any:
    """The demo's words in ``language``: the macros of ``demo.<language>.txt.j2``."""
    if language not in LANGUAGES:
        raise ValueError(f"demo language must be en or km, got {language!r}")
    env = Environment(
        loader=PackageLoader("app", "templates"),
        autoescape=False,  # terminal text: document text is made plain (plain_text.plain)
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["kmdigits"] = lambda value: str(value).translate(_KHMER_DIGITS)
    return env.get_template(f"demo.{language}.txt.j2").module


def _say(echo: Callable[[str], None], text: object) -> None:
    for line in str(text).strip("\n").splitlines():
        echo(line.rstrip())


def _figure(number: NumberView) -> str:
    if number.old is None:
        return number.new_words
    if number.new is None:
        return number.old_words
    arrow = f"{number.old_words} -> {number.new_words}"
    return f"{number.label} {arrow}" if number.label else arrow


def _name(position: PositionView, language: str) -> str:
    """The position's name in the reader's language, where the positions file gives one."""
    khmer = str(getattr(position, "name_km", "") or "") if language == "km" else ""
    return khmer or position.name


def _change_words(words: Any, view: AlertView, change: ChangeView, language: str) -> dict[str, Any]:
    names = {p.id: _name(p, language) for p in view.positions}
    return {
        "where": str(words.where(change.ref, change.old_ref)).strip(),
        "kind": change.kind,
        "numbers": [_figure(n) for n in change.numbers if n.old != n.new],
        "positions": list(dict.fromkeys(names.get(f.position, f.position) for f in change.flags)),
        "others": [
            {
                "language": LANGUAGE_WORDS[language].get(o.language, o.language),
                "ref": o.ref,
                "text": plain(
                    o.text.split("\n", 2)[1] if "\n" in o.text else o.text, 160, single_line=True
                ),
            }
            for o in change.other_languages
        ],
    }


def alert_story(view: AlertView, number: int, language: str, words: Any) -> dict[str, Any]:
    """One alert in the words of the story: what, where, why, no ids."""
    severity = SEVERITY_WORDS[language]
    return {
        "number": number,
        "severity": severity.get(view.severity, view.severity),
        "instrument": view.instrument.label,
        "is_new": view.previous is None,
        "positions": [
            f"{_name(p, language)} ({severity.get(p.severity, p.severity)})" for p in view.positions
        ],
        "changes": [_change_words(words, view, c, language) for c in view.flagged_changes],
    }


def run_demo(workdir: Path, echo: Callable[[str], None] = print, language: str = "en") -> int:
    """Run the demo in ``workdir`` (its previous data is replaced), telling it in
    ``language`` (en or km); return the alert count."""
    words = story(language)
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(workdir / "data", ignore_errors=True)
    shutil.copyfile(POSITIONS, workdir / "positions.toml")
    site = SiteServer(SITE / "state1")
    english, khmer = WebhookServer(), WebhookServer()
    with serving(site), serving(english), serving(khmer):
        config_file = workdir / "config.toml"
        config_file.write_text(
            demo_config(site.url, english.port, khmer_port=khmer.port), encoding="utf-8"
        )
        rt = Runtime(load_settings(config_file))
        _say(echo, words.intro(site.url))
        echo("")
        _say(echo, words.first_visit(_total(crawl(rt))))
        echo("")
        site.root = SITE / "state2"
        _say(echo, words.second_visit(_total(crawl(rt))))
        alerts = describe_alerts(rt, echo, language, words)
        write_demo_note(rt, workdir, echo, words)
        echo("")
        other = "km" if language == "en" else "en"
        received = {"en": english, "km": khmer}
        describe_received(received[language], echo, words, LANGUAGE_WORDS[language][language])
        theirs = [m for m in received[other].received if isinstance(m, dict)]
        if theirs:
            subject = plain(str(theirs[0].get("title", "")), 300, single_line=True)
            channel = LANGUAGE_WORDS[language][other]
            _say(echo, words.other_channel(channel, len(theirs), subject))
        lag = rt.settings.languages.translation_lag_days
        later = datetime.now(UTC) + timedelta(days=lag)
        check_translation_lag(rt, later)
        deliver(rt, later)
        echo("")
        describe_notices(rt, echo, language, words, lag)
        echo("")
        describe_parameters(rt, echo, words)
    echo("")
    _say(echo, words.outro(config_file))
    return alerts


def _total(outcomes: list[SourceOutcome]) -> RunCounts:
    """The demo has one source: its counts (summed, should there be more)."""
    total = SourceOutcome("demo", RunCounts(status="ok"))
    for o in outcomes:
        total.add(**{name: getattr(o.counts, name) for name in TOLD})
    return total.counts


def describe_alerts(rt: Runtime, echo: Callable[[str], None], language: str, words: Any) -> int:
    from sqlmodel import col, select

    from alerts.deliver.alert_loader import load_alert_view
    from tracker.models import Alert

    with rt.session() as s:
        ids = [a.id for a in s.exec(select(Alert).order_by(col(Alert.id))) if a.id is not None]
        views = [
            load_alert_view(s, alert_id, rt.positions_by_id, rt.settings.web.base_url)
            for alert_id in ids
        ]
    if views:
        _say(echo, words.levels(severity_counts([v.severity for v in views], language)))
    for number, view in enumerate(views, start=1):
        echo("")
        _say(echo, words.alert(alert_story(view, number, language, words)))
    return len(ids)


def severity_counts(severities: list[str], language: str) -> list[dict[str, Any]]:
    """How many alerts rank at each level (alerts.match.severity), highest first, with the
    level's word in ``language``; levels without alerts are left out."""
    words = SEVERITY_WORDS[language]
    return [
        {"level": level, "word": words[level], "count": severities.count(level)}
        for level in reversed(SEVERITIES)
        if level in severities
    ]


NOTE_FILE = "rapid-response-note.docx"


def write_demo_note(rt: Runtime, workdir: Path, echo: Callable[[str], None], words: Any) -> None:
    """The note of the most severe alert on a changed instrument (a redline to show; the
    latest of equals), in ``workdir``."""
    from sqlmodel import col, select

    from alerts.deliver.alert_loader import load_alert_view
    from alerts.deliver.note import task_team_of, write_note
    from tracker.models import Alert

    with rt.session() as s:
        amended = []
        for alert in s.exec(select(Alert).order_by(col(Alert.id).desc())):
            assert alert.id is not None
            view = load_alert_view(s, alert.id, rt.positions_by_id, rt.settings.web.base_url)
            if view.previous is not None:  # amended, not new: its note has a redline
                amended.append((alert.id, view))
        if not amended:
            return
        alert_id, view = max(amended, key=lambda a: severity_rank(a[1].severity))
        path = write_note(view, workdir / NOTE_FILE, team=task_team_of(s, alert_id))
    echo("")
    _say(echo, words.note_written(view.instrument.label, path))


def describe_received(
    webhook: WebhookServer, echo: Callable[[str], None], words: Any, channel: str
) -> None:
    """The messages the channel got, read back from its webhook: the first in full."""
    received = [m for m in webhook.received if isinstance(m, dict)]
    _say(echo, words.received_header(len(received), channel))
    if not received:
        return
    first = received[0]
    title = plain(str(first.get("title", "")), 300, single_line=True)
    echo(f"     | {title}")
    lines = plain(str(first.get("message", ""))).splitlines()
    if lines and lines[0].strip() == title:  # the text repeats its subject: once is enough
        lines = lines[1:]
    for line in lines[:MESSAGE_LINES]:
        echo(f"     | {line}".rstrip())
    if len(lines) > MESSAGE_LINES:
        echo(f"     | … ({len(lines) - MESSAGE_LINES} more lines)")
    for other in received[1:]:
        _say(echo, words.received_line(plain(str(other.get("title", "")), 200, single_line=True)))


def describe_notices(
    rt: Runtime, echo: Callable[[str], None], language: str, words: Any, days: int
) -> None:
    """The drift notices between the language versions of an instrument."""
    from sqlmodel import col, select

    from alerts.deliver.messages import notice_summary
    from tracker.models import SourceNotice

    with rt.session() as s:
        rows = s.exec(
            select(SourceNotice)
            .where(col(SourceNotice.kind).startswith("translation-"))
            .order_by(col(SourceNotice.id))
        ).all()
        _say(echo, words.later(days, len(rows)))
        severity = SEVERITY_WORDS[language]
        for row in rows:
            summary = notice_summary(row.kind, row.facts or {}, language) or row.summary
            line = words.notice(severity.get(row.severity, row.severity), plain(summary, 300))
            _say(echo, line)


def describe_parameters(rt: Runtime, echo: Callable[[str], None], words: Any) -> None:
    """The parameters whose value moved, each with its page on the tracker."""
    from tracker.parameters import parameters

    with rt.session() as s:
        moved = [p for p in parameters(s) if len({h.value for h in p.history}) > 1]
    _say(echo, words.parameters_header(len(moved)))
    for p in moved:
        facts = {
            "label": plain(p.label, 80, single_line=True),
            "ref": plain(p.ref, 40, single_line=True),
            "instrument": plain(p.instrument, 80, single_line=True),
            "history": " -> ".join(h.text or f"{h.value:g}" for h in p.history),
            "url": f"http://127.0.0.1:8000/parameters/{p.id}",
        }
        _say(echo, words.parameter(facts))
