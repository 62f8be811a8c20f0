"""Delivery through real servers on 127.0.0.1: SMTP (aiosmtpd) and HTTP (pytest-httpserver)."""

from __future__ import annotations

import json
from datetime import timedelta

from pytest_httpserver import HTTPServer
from sqlmodel import select

from alerts.deliver.channels import Channel
from alerts.deliver.delivery import backoff, deliver_due
from alerts.deliver.messages import AlertMessage
from alerts.deliver.notifier import AppriseNotifier
from alerts.deliver.status import alerts_status
from tracker.models import Delivery


def deliver(world, channels, **kwargs):
    kwargs.setdefault("now", world.now)
    return deliver_due(world.factory, channels, world.positions, world.base_url, **kwargs)


def deliveries(world) -> list[Delivery]:
    with world.factory() as session:
        return list(session.exec(select(Delivery).order_by(Delivery.id)))


def test_backoff_doubles_and_is_capped() -> None:
    assert backoff(1) == timedelta(seconds=60)
    assert backoff(2) == timedelta(seconds=120)
    assert backoff(4) == timedelta(seconds=480)
    assert backoff(9) == timedelta(seconds=60 * 256)
    assert backoff(10) == timedelta(hours=6)
    assert backoff(50) == timedelta(hours=6)


def test_alert_arrives_by_smtp_with_subject_in_words_and_khmer_intact(world, smtp_server) -> None:
    smtp_server.start()
    officers = Channel("officers", smtp_server.url)
    khmer_desk = Channel("khmer-desk", smtp_server.url, language="km")
    world.channels = [officers, khmer_desk]
    world.alert(changes=[world.contribution, world.khmer])

    report = deliver(world, world.channels)

    assert (report.sent, report.failed, report.pending, report.errors) == (2, 0, 0, ())
    subjects = sorted(m["Subject"] for m in smtp_server.inbox.messages)
    assert subjects == [
        "[HIGH] Contribution rate: Sub-decree 32 on pensions, Article 4: 4% -> 6% "
        "(employer 2% -> 3%)",
        "[ខ្ពស់] Contribution rate: Sub-decree 32 on pensions, Article 4: 4% -> 6% "
        "(employer 2% -> 3%)",
    ]
    khmer = next(m for m in smtp_server.inbox.messages if m["Subject"].startswith("[ខ្ពស់]"))
    html = khmer.get_body(preferencelist=("html",)).get_content()
    assert "ហេតុអ្វីសំខាន់" in html
    assert "អត្រាភាគទានស្មើនឹង ៦% នៃប្រាក់ឈ្នួលប្រចាំខែ។" in html
    assert "ប្រាក់សោធននិវត្តន៍គ្រប់គ្រាន់ ត្រូវការការរួមចំណែកគ្រប់គ្រាន់។" in html
    assert f"{world.base_url}/changes/" in html
    english = next(m for m in smtp_server.inbox.messages if m["Subject"].startswith("[HIGH]"))
    text = english.get_body(preferencelist=("plain",)).get_content()
    assert "Adequate pensions need adequate, predictable contributions." in text
    assert all(d.status == "sent" and d.attempts == 1 for d in deliveries(world))


def test_alert_arrives_as_json_over_http(world, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/hook", method="POST").respond_with_data("ok")
    hook = Channel("hook", f"json://127.0.0.1:{httpserver.port}/hook")
    world.channels = [hook]
    world.alert(changes=[world.khmer], title="អនុក្រឹត្យលេខ ៣២ ស្តីពីរបបសោធននិវត្តន៍")

    report = deliver(world, [hook])

    assert report.sent == 1 and report.failed == 0
    request, _response = httpserver.log[0]
    payload = json.loads(request.get_data(as_text=True))
    assert payload["title"].startswith("[HIGH] Contribution rate: អនុក្រឹត្យលេខ ៣២")
    assert "មាត្រា ៤: ៤% -> ៦%" in payload["title"]
    assert "អត្រាភាគទានស្មើនឹង ៦%" in payload["message"]
    assert "<" not in payload["message"]  # a text service gets the text body, not HTML
    httpserver.check_assertions()


def test_dead_server_fails_with_backoff_then_sends_once_it_is_up(world, smtp_server) -> None:
    officers = Channel("officers", smtp_server.url)
    world.channels = [officers]
    world.alert()

    first = deliver(world, [officers])

    assert (first.sent, first.failed, first.pending) == (0, 1, 1)
    assert "Connection refused" in first.errors[0]
    [row] = deliveries(world)
    assert row.status == "failed" and row.attempts == 1
    assert "Connection refused" in (row.last_error or "")
    assert row.due_at == world.now + timedelta(seconds=60)

    smtp_server.start()
    early = deliver(world, [officers], now=world.now + timedelta(seconds=30))
    assert (early.sent, early.failed) == (0, 0)
    assert smtp_server.inbox.messages == []

    later = deliver(world, [officers], now=world.now + timedelta(seconds=61))
    assert (later.sent, later.failed, later.pending) == (1, 0, 0)
    [row] = deliveries(world)
    assert row.status == "sent" and row.attempts == 2 and row.last_error is None

    again = deliver(world, [officers], now=world.now + timedelta(hours=1))
    assert (again.sent, again.failed) == (0, 0)
    assert len(smtp_server.inbox.messages) == 1


def test_digest_sends_three_alerts_in_one_message_when_due(world, smtp_server) -> None:
    smtp_server.start()
    daily = Channel("daily", smtp_server.url, mode="daily")
    world.channels = [daily]
    for title in ("Sub-decree 32 on pensions", "Prakas 109 on maternity", "Law on social security"):
        world.alert(title=title)
    world.alert(
        title="Prakas 109 on maternity",
        changes=[world.khmer],
        flags=[[world.flag("maternity", "medium", 0.6)]],
    )

    before = deliver(world, [daily], now=world.now + timedelta(hours=12))
    assert (before.sent, before.pending) == (0, 4)
    assert smtp_server.inbox.messages == []

    due = world.now + timedelta(hours=21)  # Tuesday 07:00 in Phnom Penh
    report = deliver(world, [daily], now=due)
    assert (report.sent, report.failed, report.pending) == (4, 0, 0)
    [message] = smtp_server.inbox.messages
    assert message["Subject"] == "[HIGH] Daily digest: 4 alerts"
    text = message.get_body(preferencelist=("plain",)).get_content()
    for title in ("Sub-decree 32 on pensions", "Prakas 109 on maternity", "Law on social security"):
        assert title in text
    assert text.index("Contribution rate") < text.index("Maternity")  # high before medium
    assert deliver(world, [daily], now=due + timedelta(days=1)).sent == 0
    assert len(smtp_server.inbox.messages) == 1


def test_unknown_channel_is_marked_failed(world) -> None:
    world.channels = [Channel("retired", "json://127.0.0.1:9/x")]
    world.alert()
    report = deliver(world, [Channel("current", "json://127.0.0.1:9/y")])
    assert report.failed == 1
    [row] = deliveries(world)
    assert row.status == "failed"
    assert "unknown channel 'retired'" in (row.last_error or "")


def test_url_apprise_cannot_parse_fails_clearly(world) -> None:
    broken = Channel("broken", "nosuchservice://secret-token@host")
    world.channels = [broken]
    world.alert()
    report = deliver(world, [broken])
    assert report.failed == 1
    [row] = deliveries(world)
    assert "Apprise cannot parse its URL (scheme 'nosuchservice')" in (row.last_error or "")
    assert "secret-token" not in (row.last_error or "")


def test_gives_up_after_max_attempts(world, smtp_server) -> None:
    officers = Channel("officers", smtp_server.url)
    world.channels = [officers]
    world.alert()
    deliver(world, [officers], max_attempts=2)
    deliver(world, [officers], max_attempts=2, now=world.now + timedelta(minutes=2))
    [row] = deliveries(world)
    assert row.status == "dead" and row.attempts == 2
    smtp_server.start()
    assert deliver(world, [officers], max_attempts=2, now=world.now + timedelta(days=1)).sent == 0
    assert smtp_server.inbox.messages == []


def test_stale_claim_of_a_crashed_process_is_retried_fresh_one_is_not(world, smtp_server) -> None:
    smtp_server.start()
    officers = Channel("officers", smtp_server.url)
    world.channels = [officers]
    world.alert()
    with world.factory() as session:
        row = session.exec(select(Delivery)).one()
        row.status, row.attempts = "sending", 1
        row.due_at = world.now + timedelta(minutes=10)  # the lease a claim takes
        session.add(row)
        session.commit()

    assert deliver(world, [officers], now=world.now + timedelta(minutes=5)).sent == 0
    report = deliver(world, [officers], now=world.now + timedelta(minutes=11))
    assert report.sent == 1
    [row] = deliveries(world)
    assert row.status == "sent" and row.attempts == 2
    assert len(smtp_server.inbox.messages) == 1


def test_one_failing_channel_does_not_stop_the_others(world, smtp_server) -> None:
    smtp_server.start()
    good = Channel("good", smtp_server.url)
    bad = Channel("bad", "json://127.0.0.1:9/x")
    world.channels = [bad, good]
    world.alert()
    world.alert(title="Prakas 109 on maternity")
    sender = AppriseNotifier()

    def notify(channel: Channel, message: AlertMessage) -> None:
        if channel.name == "bad":
            raise RuntimeError("boom")
        sender(channel, message)

    report = deliver(world, world.channels, notify=notify)
    assert (report.sent, report.failed) == (2, 2)
    assert report.errors == ("bad: boom", "bad: boom")
    assert len(smtp_server.inbox.messages) == 2


def test_alerts_status_lists_alerts_with_their_deliveries(world, smtp_server) -> None:
    smtp_server.start()
    good = Channel("good", smtp_server.url)
    dead = Channel("dead", "json://127.0.0.1:9/x")
    world.channels = [good]
    only_good = world.alert()
    world.channels = [good, dead]
    mixed = world.alert(title="Prakas 109 on maternity")
    world.channels = [Channel("later", smtp_server.url, mode="weekly")]
    waiting = world.alert(title="Law on social security")
    deliver(world, [good, dead])

    with world.factory() as session:
        listed = alerts_status(session)
    json.dumps(listed)  # ready for --format json
    by_id = {item["id"]: item for item in listed}
    assert by_id[only_good]["status"] == "sent"
    assert by_id[mixed]["status"] == "partial"
    assert by_id[waiting]["status"] == "pending"
    item = by_id[mixed]
    assert item["positions"] == ["contribution_rate"]
    assert item["instrument"] == "Prakas 109 on maternity"
    assert item["summary"].startswith("Contribution rate: Prakas 109 on maternity, Article 4")
    assert item["url"].startswith("https://www.nssf.gov.kh/doc/")
    assert item["severity"] == "high"
    failed = next(d for d in item["deliveries"] if d["channel"] == "dead")
    assert failed["status"] == "failed" and failed["attempts"] == 1 and failed["last_error"]
