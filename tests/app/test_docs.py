"""Documentation that falls behind the code fails the suite."""

from __future__ import annotations

from pathlib import Path

import typer.main

from app.cli import app
from app.config import settings_table

REPO = Path(__file__).resolve().parents[2]


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    names: list[str] = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            names.extend(f"{name} {sub}" for sub in subcommands)
        else:
            names.append(name)
    return names


def test_every_setting_is_documented() -> None:
    docs = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [key for key, _, _ in settings_table() if f"`{key}`" not in docs]
    assert missing == []


def test_every_setting_has_help() -> None:
    assert [key for key, _, help_text in settings_table() if not help_text] == []


def test_every_command_is_documented_in_cli_docs_and_readme() -> None:
    docs = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = _commands()
    assert {
        "extract",
        "compare",
        "crawl",
        "alerts send",
        "alerts list",
        "note",
        "serve",
        "run",
        "demo",
        "users add",
    } <= set(commands)
    assert [c for c in commands if f"sptrack {c}" not in docs] == []
    assert [c for c in commands if f"sptrack {c}" not in readme] == []


def test_readme_starts_with_the_two_commands() -> None:
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line.split()[0:2] for line in lines[:12] if line.startswith("make ")]
    assert commands[:2] == [["make", "demo"], ["make", "test"]]
