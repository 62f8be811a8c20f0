"""The labelled data `sptrack eval` scores by default ships in the package, so the defaults
work from an installed copy and from any folder."""

from __future__ import annotations

import tomllib
from pathlib import Path

import typer.main

import evaluation
from app.cli import app

REPO = Path(__file__).resolve().parents[2]


def test_every_eval_default_is_data_inside_the_package() -> None:
    group = typer.main.get_command(app).commands["eval"]  # type: ignore[attr-defined]
    defaults = {
        (name, param.name): param.default
        for name, command in group.commands.items()
        for param in command.params
        if isinstance(param.default, Path) and param.name != "mirror"
    }
    assert {name for name, _ in defaults} == {
        "extract",
        "compare",
        "crosscheck",
        "realworld",
        "metamorphic",
    }
    for where, default in defaults.items():
        assert default.is_absolute() and evaluation.DATA in default.parents, where
        assert default.exists(), where
    assert evaluation.CHANGES.is_file()  # eval match's default, given in the code


def test_the_data_is_package_data() -> None:
    setup = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    assert "evaluation*" in setup["setuptools"]["packages"]["find"]["include"]
    assert setup["setuptools"]["package-data"]["evaluation"] == ["data/**/*"]
    assert Path(evaluation.__file__).resolve().parent / "data" == evaluation.DATA
