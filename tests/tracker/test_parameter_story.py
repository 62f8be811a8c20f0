"""A value's place in its parameter's history, as the alert and change pages tell it."""

from __future__ import annotations

from datetime import datetime

from tracker.parameters import HistoryEntry, ParameterView, story


def _view(values: list[float], effective: str = "") -> ParameterView:
    history = tuple(
        HistoryEntry(
            value=v, text=f"{v:g}%", version_id=k + 1, ref="Article 3", clause="",
            sha256="0" * 64, seen_at=datetime(2019 + k, 3, 4),
            effective_date=effective if k == 0 else "",
        )
        for k, v in enumerate(values)
    )  # fmt: skip
    return ParameterView(
        id=1, label="pension contribution rate", unit="%", ref="Article 3", heading="",
        positions=(), instrument_id=1, instrument="Sub-decree 38", in_latest=True,
        history=history,
    )  # fmt: skip


def test_increases_and_decreases_are_counted_each_their_own_way() -> None:
    view = _view([2, 3, 2.5, 4, 6])
    assert story(view, 1) == "first value, 2019"
    assert story(view, 2) == "the first increase since 2019"
    assert story(view, 3) == "the first decrease since 2019"
    assert story(view, 5) == "the third increase since 2019"


def test_the_history_starts_when_its_first_value_took_effect() -> None:
    assert story(_view([2, 3], effective="2017-01-01"), 2) == "the first increase since 2017"
