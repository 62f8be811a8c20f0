"""The coalition's stance and key messages in Khmer (positions.toml ``stance_km``,
``key_messages_km``): loaded and checked, quoted to Khmer readers in messages, digests and
notes, the English where the file gives none; English readers get exactly what they got."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import docx
import pytest

from alerts.deliver.alert_loader import load_alert_view
from alerts.deliver.channels import Channel
from alerts.deliver.messages import render_alert, render_digest
from alerts.deliver.note import write_note
from alerts.errors import PositionsError
from alerts.positions import load_positions, load_positions_text
from alerts.wording import Worded
from parsers.khmer import khmer_share, normalize

REPO_POSITIONS = Path(__file__).resolve().parents[2] / "positions.toml"
STANCE_KM = "អត្រាភាគទានត្រូវដំឡើងបន្តិចម្តងៗ តាមការព្រមព្រៀងរបស់ក្រុមប្រឹក្សាភិបាលត្រីភាគី។"
MESSAGES_KM = (
    "សោធននិវត្តន៍គ្រប់គ្រាន់ ត្រូវការភាគទានគ្រប់គ្រាន់ និងអាចព្យាករបាន។",
    "ប្រាក់សោធននិវត្តន៍គ្រប់គ្រាន់ ត្រូវការការរួមចំណែកគ្រប់គ្រាន់ (ភាគទាន)។",
)
XSS = "<script>alert(1)</script>"

VALID = """
[positions.maternity]
name = "Maternity"
name_km = "ការគាំពារមាតុភាព"
description = "Maternity benefits."
stance = "Strengthen maternity protection."
stance_km = "ត្រូវពង្រឹងការគាំពារមាតុភាព។"
key_messages = ["Maternity protection needs strengthening.", "Close the gap.", "Close the gap."]
key_messages_km = ["ការគាំពារមាតុភាពត្រូវការការពង្រឹង។", "ត្រូវបិទគម្លាត។", "ត្រូវបិទគម្លាត។"]
terms_en = ["maternity"]
terms_km = ["មាតុភាព"]
"""


KM_LINE = VALID.split("\n")[8]
assert KM_LINE.startswith("key_messages_km = [")


def _with(replace_: str, by: str) -> str:
    assert replace_ in VALID
    return VALID.replace(replace_, by)


# -- loading -----------------------------------------------------------------------------------


def test_both_keys_load_and_a_khmer_reader_gets_them_marked_khmer() -> None:
    (p,) = load_positions_text(VALID, "t.toml")
    # a repeated English message is kept once, and so is its Khmer: still one by one
    assert p.key_messages == ("Maternity protection needs strengthening.", "Close the gap.")
    assert p.key_messages_km == ("ការគាំពារមាតុភាពត្រូវការការពង្រឹង។", "ត្រូវបិទគម្លាត។")
    assert p.stance_in("km") == Worded("ត្រូវពង្រឹងការគាំពារមាតុភាព។", "km")
    assert p.key_messages_in("km") == (
        Worded("ការគាំពារមាតុភាពត្រូវការការពង្រឹង។", "km"),
        Worded("ត្រូវបិទគម្លាត។", "km"),
    )
    # English readers: the English, whatever Khmer the file gives
    assert p.stance_in("en") == Worded("Strengthen maternity protection.", "en")
    assert [w.text for w in p.key_messages_in("en")] == list(p.key_messages)


def test_without_khmer_a_khmer_reader_gets_the_english_marked_english() -> None:
    text = _with(KM_LINE + "\n", "").replace('stance_km = "ត្រូវពង្រឹងការគាំពារមាតុភាព។"\n', "")
    assert "_km = " in text and "stance_km" not in text and "key_messages_km" not in text
    (p,) = load_positions_text(text, "t.toml")
    assert p.stance_km == "" and p.key_messages_km == ()
    assert p.stance_in("km") == Worded("Strengthen maternity protection.", "en")
    assert {w.language for w in p.key_messages_in("km")} == {"en"}
    assert [w.text for w in p.key_messages_in("km")] == list(p.key_messages)


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        (
            _with('"ត្រូវបិទគម្លាត។", "ត្រូវបិទគម្លាត។"]', '"ត្រូវបិទគម្លាត។"]'),
            "key_messages_km",
            "not one Khmer key message per key message: expected 3, as key_messages, in the "
            "same order, got 2",
        ),
        (
            _with('stance_km = "ត្រូវពង្រឹងការគាំពារមាតុភាព។"', "stance_km = 3"),
            "stance_km",
            "wrong type: expected a string, got int",
        ),
        (
            _with(KM_LINE, 'key_messages_km = "ការគាំពារមាតុភាពត្រូវការការពង្រឹង។"'),
            "key_messages_km",
            "wrong type: expected a list of strings, got a string",
        ),
        (
            _with('"ត្រូវបិទគម្លាត។"]', "2]"),
            "key_messages_km",
            "wrong type: expected non-empty strings, got int",
        ),
        (
            _with('stance_km = "ត្រូវពង្រឹងការគាំពារមាតុភាព។"', 'stance_km = "Strengthen it."'),
            "stance_km",
            "stance is not Khmer",
        ),
        (
            _with('"ត្រូវបិទគម្លាត។"]', '"Close the gap."]'),
            "key_messages_km",
            "key message is not Khmer",
        ),
        (_with("stance_km =", "stance_kh ="), "stance_kh", "unknown key"),
    ],
)
def test_bad_khmer_keys_are_refused_naming_file_position_and_key(
    text: str, key: str, words: str
) -> None:
    with pytest.raises(PositionsError) as caught:
        load_positions_text(text, "positions.toml")
    message = str(caught.value)
    assert caught.value.position == "maternity" and caught.value.key == key, message
    assert message.startswith(f"positions.toml: [positions.maternity] key {key!r}"), message
    assert words in message, message


def test_the_repository_gives_every_position_its_stance_and_messages_in_khmer() -> None:
    positions = load_positions(REPO_POSITIONS)
    assert len(positions) == 18
    for p in positions:
        assert p.stance_km and len(p.key_messages_km) == len(p.key_messages), p.id
        for text in (p.stance_km, *p.key_messages_km):
            assert khmer_share(text) >= 0.8, (p.id, text)
            assert normalize(text) == text, (p.id, text)
        assert p.stance_in("km").language == "km", p.id
    # named things and numbers are kept as they are
    by_id = {p.id: p for p in positions}
    assert "(ILO Convention 102)" in by_id["benefit_adequacy"].key_messages_km[1]
    assert "IDPoor" in by_id["targeting_registry"].stance_km
    assert "NSSF NSAF និង NSPC" in by_id["governance"].key_messages_km[2]
    assert "៨០.០០០ រៀល" in by_id["disability"].key_messages_km[1]  # KHR 80,000
    assert "៧០ ភាគរយ" in by_id["employment_injury"].key_messages_km[0]  # 70 percent
    head = REPO_POSITIONS.read_text(encoding="utf-8").splitlines()[:3]
    assert any("draft for review by the Secretariat's Khmer editors" in line for line in head)


# -- messages, digests, notes ---------------------------------------------------------------


@pytest.fixture
def khmer_positions(world):
    """The world's positions, contribution_rate with its stance and messages in Khmer."""
    known = dict(world.positions)
    known["contribution_rate"] = replace(
        known["contribution_rate"], stance_km=STANCE_KM, key_messages_km=MESSAGES_KM
    )
    return known


def _view(world, alert_id, positions):
    with world.factory() as session:
        return load_alert_view(session, alert_id, positions, world.base_url)


def test_khmer_messages_quote_the_khmer_stance_and_key_message(world, khmer_positions) -> None:
    alert_id = world.alert(
        flags=[[world.flag("contribution_rate"), world.flag("maternity", "medium", 0.5)]]
    )
    view = _view(world, alert_id, khmer_positions)
    khmer = render_alert(view, "km")
    assert f"ជំហររបស់យើង៖ {STANCE_KM}" in khmer.text
    assert f"សារគន្លឹះ៖ {MESSAGES_KM[0]}" in khmer.text
    assert f'ជំហររបស់យើង៖ <span lang="km">{STANCE_KM}</span>' in khmer.html
    assert f'សារគន្លឹះ៖ <em lang="km">{MESSAGES_KM[0]}</em>' in khmer.html
    assert "Rates should rise gradually" not in khmer.text + khmer.html
    # maternity gives no Khmer: its English, marked English in HTML
    stance = world.positions["maternity"].stance
    assert f"ជំហររបស់យើង៖ {stance}" in khmer.text
    assert f'ជំហររបស់យើង៖ <span lang="en">{stance}</span>' in khmer.html
    assert '<em lang="en">No mother left without income at childbirth.</em>' in khmer.html

    digest = render_digest([view], Channel("k", "json://x", mode="daily", language="km"))
    assert f"សារគន្លឹះ៖ {MESSAGES_KM[0]}" in digest.text
    assert f'<em lang="km">{MESSAGES_KM[0]}</em>' in digest.html

    # English readers: byte for byte what the positions without Khmer give
    plain_view = _view(world, alert_id, world.positions)
    assert render_alert(view, "en") == render_alert(plain_view, "en")
    channel = Channel("e", "json://x", mode="daily", language="en")
    assert render_digest([view], channel) == render_digest([plain_view], channel)


def test_khmer_position_text_is_escaped_in_messages(world, khmer_positions) -> None:
    known = dict(khmer_positions)
    known["contribution_rate"] = replace(
        known["contribution_rate"],
        stance_km=f"{STANCE_KM} {XSS}",
        key_messages_km=(f"{MESSAGES_KM[0]} {XSS}", MESSAGES_KM[1]),
    )
    view = _view(world, world.alert(), known)
    for message in (
        render_alert(view, "km"),
        render_digest([view], Channel("k", "json://x", mode="daily", language="km")),
    ):
        assert XSS not in message.html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in message.html


def test_a_khmer_note_quotes_the_khmer_stance_and_messages(
    world, khmer_positions, tmp_path: Path
) -> None:
    alert_id = world.alert(changes=[world.contribution, world.khmer])
    view = _view(world, alert_id, khmer_positions)
    khmer = write_note(view, tmp_path / "km.md", language="km").read_text(encoding="utf-8")
    assert f"Stance / ជំហរ: {STANCE_KM}" in khmer
    assert f"- {MESSAGES_KM[0]}" in khmer and f"- {MESSAGES_KM[1]}" in khmer
    assert "Rates should rise gradually" not in khmer
    document = docx.Document(str(write_note(view, tmp_path / "km.docx", language="km")))
    paragraphs = [p.text for p in document.paragraphs]
    assert f"Stance / ជំហរ: {STANCE_KM}" in paragraphs and MESSAGES_KM[0] in paragraphs

    # an English note is the one the positions without Khmer give
    english = write_note(view, tmp_path / "en.md").read_text(encoding="utf-8")
    plain_view = _view(world, alert_id, world.positions)
    assert english == write_note(plain_view, tmp_path / "en0.md").read_text(encoding="utf-8")
    assert "Stance: Rates should rise gradually" in english and STANCE_KM not in english
