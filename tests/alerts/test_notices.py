"""Source-health notices: queued by ``enqueue_source_alert``, routed to the channels that ask
for them, delivered through the same outbox (real SMTP and webhook), once per incident."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from alerts.deliver.channels import SOURCE_HEALTH, Channel
from alerts.deliver.delivery import deliver_due
from alerts.deliver.outbox import enqueue_source_alert
from alerts.errors import AlertError
from tracker.models import NoticeDelivery, Source, SourceNotice

DOWN = "Connection refused on every listing page (3 crawls in a row)"


def notify_down(world, channels, key="nssf-legal:failing:2026-03-02", **kwargs) -> int:
    kwargs.setdefault("severity", "high")
    with world.factory() as session:
        if session.get(Source, "nssf-legal") is None:
            session.add(Source(id="nssf-legal", name="NSSF legal documents"))
        notice_id = enqueue_source_alert(
            session,
            key=key,
            source_id="nssf-legal",
            kind="failing",
            summary=DOWN,
            detail="<script>alert(1)</script> last error: HTTP 503",
            url="https://www.nssf.gov.kh/legal-documents/",
            channels=channels,
            now=world.now,
            **kwargs,
        )
        session.commit()
        return notice_id


def notice_rows(world) -> list[NoticeDelivery]:
    with world.factory() as session:
        return list(session.exec(select(NoticeDelivery).order_by(NoticeDelivery.id)))


def test_routed_only_to_channels_that_ask_and_pass_their_filters(world) -> None:
    channels = [
        Channel("secretariat", "json://127.0.0.1:9/a"),  # positions ["*"]
        Channel("ops", "json://127.0.0.1:9/b", positions=(SOURCE_HEALTH,)),
        Channel("maternity-desk", "json://127.0.0.1:9/c", positions=("maternity",)),
        Channel("high-only", "json://127.0.0.1:9/d", positions=("*",), min_severity="high"),
        Channel("budget", "json://127.0.0.1:9/e", sources=("mef-budget",)),
        Channel("daily", "json://127.0.0.1:9/f", positions=(SOURCE_HEALTH,), mode="daily"),
    ]
    notify_down(world, channels, severity="medium")
    routed = {row.channel: row for row in notice_rows(world)}
    assert set(routed) == {"secretariat", "ops", "daily"}
    assert routed["daily"].due_at > world.now  # waits for the digest hour


def test_the_same_incident_is_queued_once(world) -> None:
    channels = [Channel("ops", "json://127.0.0.1:9/b", positions=(SOURCE_HEALTH,))]
    first = notify_down(world, channels)
    assert notify_down(world, channels) == first
    other = notify_down(world, channels, key="nssf-legal:failing:2026-03-09")
    assert other != first
    with world.factory() as session:
        assert len(session.exec(select(SourceNotice)).all()) == 2
    assert len(notice_rows(world)) == 2


@pytest.mark.parametrize(("field", "value"), [("severity", "urgent"), ("key", " ")])
def test_bad_values_are_refused_by_name(world, field: str, value: str) -> None:
    kwargs = {"severity": "high", "key": "k", field: value}
    with world.factory() as session, pytest.raises(AlertError, match=field):
        session.add(Source(id="nssf-legal"))
        enqueue_source_alert(
            session,
            source_id="nssf-legal",
            kind="failing",
            summary="x",
            channels=[],
            now=world.now,
            **kwargs,
        )


def test_delivered_by_mail_in_english_and_khmer_once_and_escaped(world, smtp_server) -> None:
    smtp_server.start()
    english = Channel("ops", smtp_server.url, positions=(SOURCE_HEALTH,))
    khmer = Channel("ops-km", smtp_server.url, positions=(SOURCE_HEALTH,), language="km")
    notify_down(world, [english, khmer])

    report = deliver_due(world.factory, [english, khmer], world.positions, world.base_url)
    assert (report.sent, report.failed, report.pending) == (2, 0, 0)
    by_subject = {m["Subject"]: m for m in smtp_server.inbox.messages}
    assert set(by_subject) == {
        f"[HIGH] Source health: NSSF legal documents: {DOWN}",
        f"[ខ្ពស់] សុខភាពប្រភព: NSSF legal documents: {DOWN}",
    }
    for message in smtp_server.inbox.messages:
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "&lt;script&gt;" in html and "<script>" not in html
        assert "https://www.nssf.gov.kh/legal-documents/" in html
        assert message["X-Idempotency-Key"] in {row.key for row in notice_rows(world)}
    khmer_text = by_subject[f"[ខ្ពស់] សុខភាពប្រភព: NSSF legal documents: {DOWN}"]
    assert "ព័ត៌មានលម្អិត" in khmer_text.get_body(preferencelist=("plain",)).get_content()

    later = world.now + timedelta(days=1)
    assert deliver_due(world.factory, [english, khmer], {}, world.base_url, now=later).sent == 0
    assert len(smtp_server.inbox.messages) == 2


def test_webhook_outage_then_one_delivery_beside_change_alerts(world, webhook) -> None:
    hook = Channel("hook", webhook.hook_url)  # positions ["*"]: alerts and source health
    world.channels = [hook]
    alert_id = world.alert()
    notice_id = notify_down(world, [hook])
    webhook.refuse = True
    down = deliver_due(world.factory, [hook], world.positions, world.base_url, now=world.now)
    assert (down.sent, down.failed) == (0, 2)
    webhook.refuse = False
    up = deliver_due(
        world.factory, [hook], world.positions, world.base_url, now=world.now, retry_failed=True
    )
    assert (up.sent, up.failed, up.pending) == (2, 0, 0)
    assert webhook.refs() == [f"alert:{alert_id}", f"notice:{notice_id}"]
    assert webhook.repeats == 0


def test_cli_lists_notices_with_their_delivery_state(world, webhook, cli) -> None:
    import json

    hook = Channel("hook", webhook.hook_url)
    notice_id = notify_down(world, [hook])
    config = cli.config([hook])
    webhook.refuse = True
    assert cli.run("alerts", "send", "--config", str(config)).stdout.startswith("0 sent, 1 failed")
    listed = cli.run("alerts", "list", "--notices", "--config", str(config))
    assert listed.returncode == 0, listed.stderr
    [notice] = json.loads(listed.stdout)
    assert (notice["id"], notice["source"], notice["kind"]) == (notice_id, "nssf-legal", "failing")
    assert notice["status"] == "failed" and notice["key"] == "nssf-legal:failing:2026-03-02"
    [delivery] = notice["deliveries"]
    assert delivery["attempts"] == 1 and "503" in delivery["last_error"]
    assert "script" not in delivery["last_error"], "the error names the reason, not the message"
    assert "Idempotency" not in delivery["last_error"]
    webhook.refuse = False
    assert cli.run("alerts", "send", "--config", str(config)).stdout.startswith("1 sent")
    text = cli.run("alerts", "list", "--notices", "--format", "text", "--config", str(config))
    assert text.stdout.strip() == f"#{notice_id} [sent] nssf-legal: {DOWN}"
    assert json.loads(cli.run("alerts", "list", "--config", str(config)).stdout) == []
    assert webhook.refs() == [f"notice:{notice_id}"]
