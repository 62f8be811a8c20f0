"""Delivery through the outbox: speed, the in-doubt window, and duplicates under two workers.

    .venv/bin/python bench/delivery_bench.py [--alerts N]

Stores N flagged alerts in a fresh SQLite database, then delivers them through real Apprise
to a webhook on 127.0.0.1, with two workers (threads) at once. Prints deliveries per
second, how many messages the webhook got per delivery (must be exactly 1), and the
*window* the exactly-once guarantee cannot close: from the moment the channel accepted a
message (the notifier returned) to the commit that records it as sent.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event
from sqlmodel import Session

from alerts.deliver.channels import Channel
from alerts.deliver.delivery import deliver_due
from alerts.deliver.messages import AlertMessage
from alerts.deliver.notifier import AppriseNotifier
from alerts.deliver.outbox import record_alert
from alerts.match.flags import Evidence, Flag
from app.local_servers import WebhookServer, serving
from tracker.database import migrate, open_engine
from tracker.database import session as open_session
from tracker.models import Change, Instrument, Source, Version, utcnow

CHANGE = {
    "kind": "modified",
    "old_ref": "Article 5",
    "new_ref": "Article 5",
    "heading": "Maternity allowance",
    "old_text": "The maternity allowance is 70% of the average wage for 90 days.",
    "new_text": "The maternity allowance is 100% of the average wage for 98 days.",
    "numbers": [
        {"old": 70.0, "new": 100.0, "unit": "%", "old_text": "70%", "new_text": "100%"},
        {"old": 90.0, "new": 98.0, "unit": "day", "old_text": "90 days", "new_text": "98 days"},
    ],
    "ops": [{"tag": "replace", "old": "70%", "new": "100%"}],
}


def store_alerts(factory: Callable[[], Session], count: int, channel: Channel) -> None:
    evidence = Evidence(
        term="maternity", text="maternity", side="new", start=0, end=9, where="changed"
    )
    flag = Flag(position="maternity", score=0.9, severity="high", evidence=(evidence,))
    with factory() as session:
        session.add(Source(id="bench", name="Bench ministry"))
        session.flush()
        for i in range(count):
            instrument = Instrument(source_id="bench", url=f"https://x.gov.kh/{i}", title=f"P {i}")
            session.add(instrument)
            session.flush()
            assert instrument.id is not None
            old = Version(instrument_id=instrument.id, url=instrument.url, sha256=f"{i:064x}")
            new = Version(instrument_id=instrument.id, url=instrument.url, sha256=f"{i:063x}f")
            session.add_all([old, new])
            session.flush()
            assert old.id is not None and new.id is not None
            row = Change(
                instrument_id=instrument.id,
                old_version_id=old.id,
                new_version_id=new.id,
                **CHANGE,  # type: ignore[arg-type]
            )
            session.add(row)
            session.flush()
            record_alert(
                session,
                instrument=instrument,
                version=new,
                change_rows=[row],
                flags=[[flag]],
                channels=[channel],
                source_id="bench",
                baseline=False,
                now=utcnow(),
            )
        session.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alerts", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = open_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate(engine)
        commits: list[tuple[int, float]] = []
        lock = threading.Lock()

        def factory() -> Session:
            session = open_session(engine)
            event.listen(
                session,
                "after_commit",
                lambda _s: commits.append((threading.get_ident(), time.perf_counter())),
            )
            return session

        webhook = WebhookServer()
        with serving(webhook):
            hook = Channel("hook", f"json://127.0.0.1:{webhook.port}/alerts")
            store_alerts(factory, args.alerts, hook)
            accepted: list[tuple[int, float]] = []
            sender = AppriseNotifier()

            def notify(channel: Channel, message: AlertMessage) -> None:
                sender(channel, message)
                with lock:
                    accepted.append((threading.get_ident(), time.perf_counter()))

            reports = []

            def worker() -> None:
                reports.append(deliver_due(factory, [hook], {}, "http://127.0.0.1", notify=notify))

            started = time.perf_counter()
            threads = [threading.Thread(target=worker) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        keys = Counter(str(m.get("idempotency_key")) for m in webhook.received)
        ordered = sorted(commits, key=lambda c: c[1])
        windows = []
        for thread_id, moment in accepted:  # the same worker's next commit records it
            after = next((t for i, t in ordered if i == thread_id and t >= moment), None)
            if after is not None:
                windows.append((after - moment) * 1000)
        sent = sum(r.sent for r in reports)
        print(f"alerts: {args.alerts}; two workers; webhook on 127.0.0.1 (Apprise json://)")
        print(
            f"sent: {sent} ({' + '.join(str(r.sent) for r in reports)}), failed: "
            f"{sum(r.failed for r in reports)}"
        )
        print(
            f"messages received: {len(webhook.received)}; distinct keys: {len(keys)}; "
            f"most per key: {max(keys.values(), default=0)}"
        )
        print(f"deliveries per second: {sent / elapsed:.1f} ({elapsed:.2f} s)")
        if windows:
            print(
                f"in-doubt window (channel accepted -> outcome committed): median "
                f"{statistics.median(windows):.2f} ms, max {max(windows):.2f} ms"
            )
        ok = sent == args.alerts and len(webhook.received) == args.alerts == len(keys)
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
