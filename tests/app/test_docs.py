"""Documentation that falls behind the code fails the suite."""

from __future__ import annotations

import re
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


PACKAGES = ("crawler", "parsers", "tracker", "alerts", "web", "app", "evaluation")
#: Folders of data whose own sub-folders the docs describe as a whole.
DATA_FOLDERS = ("app/demo_site", "evaluation/data", "web/locale")
_PATH = re.compile(rf"`((?:{'|'.join(PACKAGES)})/[\w./*-]*)`")
_MODULE = re.compile(rf"\b((?:{'|'.join(PACKAGES)})(?:\.[a-z_]\w*)+)\b")


def _product_folders() -> list[str]:
    """The product packages and every folder in them that holds files (bytecode aside),
    data folders' own sub-folders left out."""
    found = list(PACKAGES)
    for package in PACKAGES:
        for folder in sorted((REPO / package).rglob("*")):
            relative = folder.relative_to(REPO).as_posix()
            if (
                not folder.is_dir()
                or "__pycache__" in folder.parts
                or any(relative.startswith(f"{data}/") for data in DATA_FOLDERS)
                or not any(f.is_file() and f.suffix != ".pyc" for f in folder.rglob("*"))
            ):
                continue
            found.append(relative)
    return found


def _architecture_tree() -> dict[str, list[str]]:
    """The lines of docs/architecture.md's tree, by the package each stands under."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    tree = text.split("```\n", 2)[1]
    blocks: dict[str, list[str]] = {}
    package = ""
    for line in tree.splitlines():
        head = re.match(rf"(?:config\.toml --> |\s*)({'|'.join(PACKAGES)})/\s", line)
        if head:
            package = head.group(1)
        blocks.setdefault(package, []).append(line)
    return blocks


def _where_things_live() -> dict[str, str]:
    """README's "Where things live": the text of each row, by its path."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Where things live", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| (.*) \|$", section, flags=re.MULTILINE)
    return dict(rows)


def _module_exists(dotted: str) -> bool:
    path = REPO.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_every_product_folder_is_named_in_the_architecture_tree() -> None:
    blocks = _architecture_tree()
    unnamed = []
    for folder in _product_folders():
        package, _, inside = folder.partition("/")
        if not inside:
            if package not in blocks:
                unnamed.append(folder)
            continue
        *parents, name = inside.split("/")
        lines = blocks.get(package, [])
        if not any(
            f" {name}/" in line and all(f"{p}/" in line for p in parents[-1:]) for line in lines
        ) and not any(f"{inside}/" in line for line in lines):
            unnamed.append(folder)
    assert unnamed == []


def test_every_product_folder_is_named_where_things_live() -> None:
    rows = _where_things_live()
    unnamed = []
    for folder in _product_folders():
        if f"{folder}/" in rows or any(f"`{folder}/`" in text for text in rows.values()):
            continue
        if not any(
            folder.startswith(path) and f"`{folder.removeprefix(path)}/`" in text
            for path, text in rows.items()
            if path.endswith("/")
        ):
            unnamed.append(folder)
    assert unnamed == []


def test_every_module_and_path_the_docs_name_exists() -> None:
    architecture = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = _where_things_live()
    named = {p for text in (architecture, *rows, *rows.values()) for p in _PATH.findall(text)}
    missing = [p for p in sorted(named) if not any(REPO.glob(p.rstrip("/")))]
    prose = re.sub(r"```.*?```", "", architecture, flags=re.DOTALL)
    spans = re.findall(r"`([^`]+)`", prose) + [
        s for text in rows.values() for s in re.findall(r"`([^`]+)`", text)
    ]
    files = (".py", ".md", ".toml", ".cfg", ".txt", ".json", ".jsonl", ".j2", ".html")
    modules = {m for span in spans for m in _MODULE.findall(span) if not m.endswith(files)}
    missing += [m for m in sorted(modules) if not _module_exists(m)]
    for package, lines in _architecture_tree().items():
        for line in lines:
            for folder, module in re.findall(r"(\w+)/: (\w+)\.\w+\(", line):
                if not (REPO / package / folder / f"{module}.py").is_file():
                    missing.append(f"{package}/{folder}/{module}.py")
            for module in re.findall(r"\b(\w+)\.py\b", line):
                if not list((REPO / package).rglob(f"{module}.py")):
                    missing.append(f"{package}/**/{module}.py")
    for path, text in rows.items():
        if path.rstrip("/") in PACKAGES or path.startswith(PACKAGES):
            for module in re.findall(r"`(\w+\.py)`", text):
                if not (REPO / path / module).is_file():
                    missing.append(f"{path}{module}")
    assert missing == []
