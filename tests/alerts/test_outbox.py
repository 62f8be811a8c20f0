"""Routing (channels) and the outbox (flags, one alert per version, deliveries)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from alerts.deliver.channels import Channel, ChannelError, next_due
from alerts.deliver.outbox import record_alert, record_flags
from alerts.errors import AlertError
from tracker.models import Alert, Change, Delivery, Flag, Instrument, Version

PP = timedelta(hours=7)


def channel(**kwargs: object) -> Channel:
    return Channel(**{"name": "c", "url": "json://127.0.0.1:9/x", **kwargs})  # type: ignore[arg-type]


# --- routing --------------------------------------------------------------------------


def test_accepts_filters_positions() -> None:
    maternity_only = channel(positions=["maternity"])
    assert maternity_only.positions == ("maternity",)
    assert maternity_only.accepts(["vesting", "maternity"], "low", "nssf")
    assert not maternity_only.accepts(["vesting"], "high", "nssf")
    assert channel(positions=("*",)).accepts(["vesting"], "low", "nssf")
    assert not channel().accepts([], "high", "nssf")


def test_accepts_filters_min_severity() -> None:
    medium = channel(min_severity="medium")
    assert not medium.accepts(["vesting"], "low", "nssf")
    assert medium.accepts(["vesting"], "medium", "nssf")
    assert medium.accepts(["vesting"], "high", "nssf")
    assert not channel(min_severity="high").accepts(["vesting"], "medium", "nssf")


def test_accepts_filters_sources() -> None:
    nssf = channel(sources=("nssf-legal",))
    assert nssf.accepts(["vesting"], "low", "nssf-legal")
    assert not nssf.accepts(["vesting"], "high", "mef-budget")
    assert channel().accepts(["vesting"], "low", "anything")


@pytest.mark.parametrize(
    ("field", "value"),
    [("min_severity", "urgent"), ("mode", "hourly"), ("language", "fr"), ("url", " ")],
)
def test_bad_channel_settings_are_refused_by_name(field: str, value: str) -> None:
    with pytest.raises(ChannelError) as caught:
        channel(**{field: value})
    assert isinstance(caught.value, AlertError)
    assert caught.value.field == field
    assert repr(value) in str(caught.value)


def test_instant_is_due_now() -> None:
    now = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    assert next_due(channel(), now) == now


@pytest.mark.parametrize(
    ("now_pp", "due_pp"),
    [
        # Monday 10:00 -> Tuesday 07:00; 06:59 -> same day 07:00; 07:00 exactly -> now.
        (datetime(2026, 3, 2, 10, 0), datetime(2026, 3, 3, 7, 0)),
        (datetime(2026, 3, 2, 6, 59), datetime(2026, 3, 2, 7, 0)),
        (datetime(2026, 3, 2, 7, 0), datetime(2026, 3, 2, 7, 0)),
        # Late evening in Phnom Penh is still the same UTC day: due the next local morning.
        (datetime(2026, 3, 2, 23, 30), datetime(2026, 3, 3, 7, 0)),
    ],
)
def test_daily_is_due_next_0700_in_phnom_penh(now_pp: datetime, due_pp: datetime) -> None:
    now = (now_pp - PP).replace(tzinfo=UTC)
    due = next_due(channel(mode="daily"), now)
    assert due.tzinfo is not None and due.utcoffset() == timedelta(0)
    assert due == (due_pp - PP).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("now_pp", "due_pp"),
    [
        (datetime(2026, 3, 2, 10, 0), datetime(2026, 3, 9, 7, 0)),  # Monday after 07:00
        (datetime(2026, 3, 2, 6, 0), datetime(2026, 3, 2, 7, 0)),  # Monday before 07:00
        (datetime(2026, 3, 5, 12, 0), datetime(2026, 3, 9, 7, 0)),  # Thursday
        (datetime(2026, 3, 8, 23, 59), datetime(2026, 3, 9, 7, 0)),  # Sunday night
    ],
)
def test_weekly_is_due_next_monday_0700_in_phnom_penh(now_pp: datetime, due_pp: datetime) -> None:
    now = (now_pp - PP).replace(tzinfo=UTC)
    due = next_due(channel(mode="weekly"), now)
    assert due == (due_pp - PP).replace(tzinfo=UTC)
    assert due.astimezone(UTC).weekday() == 0  # 07:00 in Phnom Penh is 00:00 UTC, same day


# --- record_alert ---------------------------------------------------------------------


def test_baseline_records_flags_but_no_alert(world) -> None:
    world.channels = [channel(name="secretariat")]
    assert world.alert(baseline=True) is None
    with world.factory() as session:
        assert session.exec(select(Alert)).all() == []
        assert session.exec(select(Delivery)).all() == []
        flags = session.exec(select(Flag)).all()
        assert [(f.position, f.severity) for f in flags] == [("contribution_rate", "high")]
        assert flags[0].evidence[0]["term"] == "contribution_rate"


def test_no_flags_no_alert(world) -> None:
    world.channels = [channel(name="secretariat")]
    assert world.alert(flags=[[]]) is None
    with world.factory() as session:
        assert session.exec(select(Alert)).all() == []


def test_alert_summarises_strongest_change_and_routes(world) -> None:
    world.channels = [
        channel(name="everyone"),
        channel(name="maternity-desk", positions=("maternity",)),
        channel(name="digest", mode="daily"),
        channel(name="budget-only", sources=("mef-budget",)),
    ]
    alert_id = world.alert(
        changes=[world.khmer, world.contribution],
        flags=[
            [world.flag("maternity", "low", 0.3)],
            [world.flag("contribution_rate", "high", 0.8), world.flag("maternity", "medium", 0.5)],
        ],
    )
    assert alert_id is not None
    with world.factory() as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        assert alert.positions == ["contribution_rate", "maternity"]
        assert alert.severity == "high"
        assert alert.summary.startswith(
            "Contribution rate: Sub-decree 32 on pensions, Article 4: 4% -> 6% (employer 2% -> 3%)"
        )
        assert "មាត្រា ៤: ៤% -> ៦%" in alert.summary  # the weaker change, second
        assert alert.url.startswith("https://www.nssf.gov.kh/doc/")
        deliveries = {d.channel: d for d in session.exec(select(Delivery))}
    assert set(deliveries) == {"everyone", "maternity-desk", "digest"}
    assert deliveries["everyone"].due_at == world.now
    assert deliveries["digest"].due_at == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
    assert all(d.status == "pending" and d.attempts == 0 for d in deliveries.values())


def test_needs_check_when_a_flagged_change_was_read_by_ocr(world) -> None:
    alert_id = world.alert(method="ocr")
    assert alert_id is not None
    assert world.get_alert(alert_id).needs_check
    other = world.alert()
    assert other is not None
    assert not world.get_alert(other).needs_check


def test_twice_for_the_same_version_gives_one_alert_one_delivery_per_channel(
    world,
) -> None:
    channels = [channel(name="a"), channel(name="b", mode="weekly")]
    world.channels = channels
    alert_id = world.alert()
    assert alert_id is not None
    with world.factory() as session:
        version = session.exec(select(Version).order_by(Version.id.desc())).first()  # type: ignore[union-attr]
        assert version is not None
        instrument = session.get(Instrument, version.instrument_id)
        rows = list(session.exec(select(Change).where(Change.new_version_id == version.id)))
        again = record_alert(
            session,
            instrument=instrument,  # type: ignore[arg-type]
            version=version,
            change_rows=rows,
            flags=[[world.flag("contribution_rate")]],
            channels=channels,
            source_id="nssf-legal",
            baseline=False,
            now=world.now + timedelta(hours=1),
        )
        session.commit()
        assert again is not None and again.id == alert_id
        assert len(session.exec(select(Alert)).all()) == 1
        assert sorted(d.channel for d in session.exec(select(Delivery))) == ["a", "b"]
        assert len(session.exec(select(Flag)).all()) == 1  # flags updated, not duplicated


def test_record_flags_needs_one_list_per_change(world) -> None:
    with world.factory() as session, pytest.raises(ValueError, match="one flag list per change"):
        record_flags(session, [], [[world.flag("maternity")]])
