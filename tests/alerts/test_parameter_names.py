"""Parameter names in the positions file: read with the positions, checked with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts.errors import PositionsError
from alerts.positions import load_parameter_names, load_positions
from parsers.compare.parameters import ParameterName

SHIPPED = Path(__file__).parents[2] / "positions.toml"


def _file(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "positions.toml"
    path.write_text(SHIPPED.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    return path


def test_names_are_read_beside_the_positions(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        '[[parameters]]\nlabel = "maternity leave"\n'
        'terms = ["maternity leave", "ការឈប់សម្រាកមាតុភាព"]\nunit = "day"\n',
    )
    assert load_positions(path)  # the positions still load
    assert load_parameter_names(path) == (
        ParameterName("maternity leave", ("maternity leave", "ការឈប់សម្រាកមាតុភាព"), "day"),
    )
    assert load_parameter_names(SHIPPED) == ()


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ('[[parameters]]\nterms = ["x"]\n', "missing key"),
        ('[[parameters]]\nlabel = "x"\nterms = []\n', "wrong type"),
        ('[[parameters]]\nlabel = "x"\nterms = ["x"]\nunits = "%"\n', "unknown key"),
        ('parameters = "x"\n', "not a list of tables"),
    ],
)
def test_a_bad_name_is_refused_with_where_and_why(tmp_path: Path, extra: str, problem: str) -> None:
    path = tmp_path / "positions.toml"
    path.write_text(extra + "\n" + SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(PositionsError, match=problem):
        load_positions(path)
