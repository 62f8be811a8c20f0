"""Exactly once per alert and channel: through an outage, a killed sender and two workers.

Every test sends through real Apprise to a real HTTP endpoint on 127.0.0.1 (``Webhook``),
which keeps what it accepted by idempotency key, as a receiver that dedupes would.
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import select

from alerts.deliver.channels import Channel
from alerts.deliver.claims import owner_gone, owner_token
from alerts.deliver.delivery import deliver_due
from alerts.deliver.messages import AlertMessage
from alerts.deliver.notifier import AppriseNotifier
from tracker.models import Delivery


def deliver(world, channels, **kwargs):
    kwargs.setdefault("now", world.now)
    return deliver_due(world.factory, channels, world.positions, world.base_url, **kwargs)


def rows(world) -> list[Delivery]:
    with world.factory() as session:
        return list(session.exec(select(Delivery).order_by(Delivery.id)))


def alert_refs(world) -> list[str]:
    return sorted(f"alert:{row.alert_id}" for row in rows(world))


def test_refused_while_down_then_each_alert_once_with_its_key(world, webhook) -> None:
    hook = Channel("hook", webhook.hook_url)
    world.channels = [hook]
    for title in ("Sub-decree 32 on pensions", "Prakas 109 on maternity", "អនុក្រឹត្យលេខ ៣២"):
        world.alert(title=title)
    webhook.refuse = True

    down = deliver(world, [hook])
    assert (down.sent, down.failed, down.pending) == (0, 3, 3)
    assert [h.answer for h in webhook.hooks] == [503, 503, 503]
    assert webhook.accepted == {}
    assert all(r.status == "failed" and "503" in (r.last_error or "") for r in rows(world))
    assert all(r.due_at == world.now + timedelta(seconds=60) for r in rows(world))

    webhook.refuse = False
    assert deliver(world, [hook], now=world.now + timedelta(seconds=30)).sent == 0  # backoff
    up = deliver(world, [hook], now=world.now + timedelta(seconds=61))
    assert (up.sent, up.failed, up.pending) == (3, 0, 0)
    assert webhook.refs() == alert_refs(world)
    assert webhook.repeats == 0
    for row in rows(world):
        assert row.status == "sent" and row.attempts == 2
        assert row.attempt_key == row.key
        payload = webhook.accepted[row.key]  # the same key on the refused try and this one
        assert payload["idempotency_key"] == row.key
        assert payload["sptracker"]["deliveries"] == [row.key]
    assert Counter(h.key for h in webhook.hooks) == {r.key: 2 for r in rows(world)}

    again = deliver(world, [hook], now=world.now + timedelta(days=1))
    assert (again.sent, again.failed, again.pending) == (0, 0, 0)
    assert len(webhook.hooks) == 6


def test_retry_failed_sends_at_once_but_digests_still_wait_for_their_hour(world, webhook) -> None:
    hook = Channel("hook", webhook.hook_url)
    daily = Channel("daily", webhook.hook_url, mode="daily")
    world.channels = [hook, daily]
    world.alert()
    webhook.refuse = True
    assert deliver(world, [hook, daily]).failed == 1
    webhook.refuse = False

    report = deliver(world, [hook, daily], retry_failed=True)
    assert (report.sent, report.pending) == (1, 1)
    by_channel = {r.channel: r for r in rows(world)}
    assert by_channel["hook"].status == "sent"
    assert by_channel["daily"].status == "pending" and by_channel["daily"].attempts == 0


def test_two_workers_at_once_send_each_alert_once(world, webhook) -> None:
    hook = Channel("hook", webhook.hook_url)
    world.channels = [hook]
    for _ in range(4):
        world.alert()
    sender = AppriseNotifier()
    second_done = threading.Event()
    first_calls: list[str] = []

    def slow_first(channel: Channel, message: AlertMessage) -> None:
        # Worker A holds its first claimed delivery until worker B has run to the end.
        if not first_calls:
            first_calls.append(message.key)
            assert second_done.wait(timeout=60)
        sender(channel, message)

    results = {}

    def worker_a() -> None:
        results["a"] = deliver(world, [hook], notify=slow_first)

    thread = threading.Thread(target=worker_a)
    thread.start()
    # Worker B starts once A has claimed its first row: B must not take that one.
    while not first_calls and thread.is_alive():
        thread.join(timeout=0.01)
    results["b"] = deliver(world, [hook])
    second_done.set()
    thread.join(timeout=120)

    assert results["a"].sent + results["b"].sent == 4
    assert results["a"].sent >= 1 and results["b"].sent >= 1
    assert len(webhook.hooks) == 4 and webhook.repeats == 0
    assert webhook.refs() == alert_refs(world)
    assert {r.status for r in rows(world)} == {"sent"}
    assert all(r.attempts == 1 for r in rows(world))


def test_digest_left_in_doubt_goes_again_whole_with_its_key(world, webhook) -> None:
    daily = Channel("daily", webhook.hook_url, mode="daily")
    world.channels = [daily]
    first, second = world.alert(), world.alert(title="Prakas 109 on maternity")
    due = world.now + timedelta(hours=21)
    with world.factory() as session:  # a dead process had claimed both in one digest
        for row in session.exec(select(Delivery)):
            row.status, row.attempts, row.attempt_key = "sending", 1, "digest-key-1"
            row.claimed_by, row.due_at = "elsewhere/1/1/x", due - timedelta(minutes=1)
            session.add(row)
        session.commit()
    world.alert(title="Law on social security")  # a third one, due with the same digest hour

    report = deliver(world, [daily], now=due)
    assert (report.sent, report.resent) == (3, 2)
    assert report.line() == "3 sent, 0 failed, 0 pending; 2 in doubt re-sent with their key"
    redelivered = webhook.accepted["digest-key-1"]
    assert sorted(redelivered["sptracker"]["refs"]) == [f"alert:{first}", f"alert:{second}"]
    assert redelivered["sptracker"]["redelivery"] is True
    assert len(webhook.accepted) == 2  # the in-doubt digest, and a new one for the third
    assert webhook.refs() == alert_refs(world)


def test_claims_know_a_dead_owner_from_a_live_one() -> None:
    me = owner_token()
    assert not owner_gone(me)
    assert not owner_gone(None) and not owner_gone("garbage")
    assert not owner_gone("another-host/1/1/abcd")  # only its lease can free it
    child = subprocess.Popen(["sleep", "60"])
    host = me.split("/")[0]
    token_of_child = f"{host}/{child.pid}/{_ticks(child.pid)}/abcd"
    assert not owner_gone(token_of_child)
    child.kill()
    child.wait()
    assert owner_gone(token_of_child)
    assert owner_gone(f"{host}/{child.pid}/{_ticks(1)}0/abcd")  # pid 1 is not our child


def _ticks(pid: int) -> str:
    from alerts.deliver.claims import _start_ticks

    ticks = _start_ticks(pid)
    assert ticks
    return ticks


@pytest.mark.slow
def test_sender_killed_mid_delivery_then_restart_delivers_each_alert_once(
    world, webhook, cli
) -> None:
    # A long read timeout: the held request must still be waiting when the test kills.
    hook = Channel("hook", webhook.hook_url + "?rto=120")
    world.channels = [hook]
    for title in ("Sub-decree 32 on pensions", "Prakas 109 on maternity", "Law on social security"):
        world.alert(title=title, now=world.now.replace(year=2025))  # due long ago
    config = cli.config([hook])
    webhook.hold_at = 2  # the second message is held until the sender is dead

    sender = subprocess.Popen(
        cli.command("alerts", "send", "--config", str(config)),
        env=cli.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert webhook.held.wait(timeout=120), "the sender never reached the second alert"
        sender.send_signal(signal.SIGKILL)
    finally:
        sender.kill()
        sender.wait(timeout=60)
    assert sender.returncode == -signal.SIGKILL
    states = [(r.status, r.attempts) for r in rows(world)]
    assert states == [("sent", 1), ("sending", 1), ("pending", 0)]
    in_doubt = rows(world)[1]
    assert in_doubt.claimed_by and f"/{sender.pid}/" in in_doubt.claimed_by
    listed = json.loads(cli.run("alerts", "list", "--config", str(config)).stdout)
    doubt = [d for a in listed for d in a["deliveries"] if d["in_doubt"]]
    assert [(d["status"], d["key"]) for d in doubt] == [("sending", in_doubt.key)]
    webhook.release.set()  # the endpoint finishes what it held: it did get that one
    assert webhook.held_done.wait(timeout=60)

    restart = cli.run("alerts", "send", "--config", str(config))
    assert restart.returncode == 0, restart.stderr
    assert restart.stdout.strip() == (
        "2 sent, 0 failed, 0 pending; 1 in doubt re-sent with their key"
    )
    assert webhook.refs() == alert_refs(world), "each alert accepted exactly once"
    by_key = Counter(h.key for h in webhook.hooks)
    assert by_key == {rows(world)[0].key: 1, in_doubt.key: 2, rows(world)[2].key: 1}
    assert [h.redelivery for h in webhook.hooks if h.key == in_doubt.key] == [False, True]
    assert webhook.repeats == 1  # the one repeat carried the same key and was dropped
    assert [(r.status, r.attempts) for r in rows(world)] == [("sent", 1), ("sent", 2), ("sent", 1)]

    quiet = cli.run("alerts", "send", "--config", str(config))
    assert quiet.stdout.strip() == "0 sent, 0 failed, 0 pending"
    assert len(webhook.hooks) == 4


@pytest.mark.slow
def test_two_send_processes_at_once_never_duplicate(world, webhook, cli) -> None:
    hook = Channel("hook", webhook.hook_url)
    world.channels = [hook]
    for _ in range(6):
        world.alert(now=world.now.replace(year=2025))
    config = cli.config([hook])
    command = cli.command("alerts", "send", "--config", str(config))
    senders = [
        subprocess.Popen(command, env=cli.env(), stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [s.communicate(timeout=300)[0] for s in senders]
    sent = [int(out.split(" sent")[0]) for out in outputs]
    assert sum(sent) == 6, outputs
    assert len(webhook.hooks) == 6 and webhook.repeats == 0
    assert webhook.refs() == alert_refs(world)


def test_a_claim_is_committed_before_the_send_with_a_lease_from_the_real_clock(
    world, webhook
) -> None:
    from tracker.models import utcnow

    hook = Channel("hook", webhook.hook_url)
    world.channels = [hook]
    world.alert()
    sender = AppriseNotifier()
    seen: list[Delivery] = []

    def look_then_send(channel: Channel, message: AlertMessage) -> None:
        seen.extend(rows(world))  # what another process sees while this one sends
        sender(channel, message)

    # A run whose "now" lies in the past (a slow run) must not claim with an expired lease.
    deliver(world, [hook], notify=look_then_send)
    [during] = seen
    assert during.status == "sending" and during.attempts == 1
    assert during.attempt_key == during.key and during.claimed_by
    assert during.due_at > utcnow() + timedelta(minutes=9)
    assert not owner_gone(during.claimed_by)
    assert rows(world)[0].status == "sent"
