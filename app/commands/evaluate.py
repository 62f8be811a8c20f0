"""The `eval` group: measure each stage on labelled documents (extract, compare, match,
cross-check, real-world pairs, the metamorphic bed) and export officers' triage as labels."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

import evaluation
from app.commands.context import (
    ConfigOption,
    FormatOption,
    TimeoutOption,
    check_choice,
    check_format,
    fail,
    positions_path,
    read_file,
    reading_timeout,
    runtime,
)

eval_app = typer.Typer(help="Measure the stages on labelled documents.", no_args_is_help=True)


@eval_app.command("extract")
def eval_extract(
    folder: Annotated[
        Path, typer.Argument(help="Documents X.pdf|.docx|.html beside their true text X.txt")
    ] = evaluation.DOCUMENTS,
    format: FormatOption = "text",
    detail: Annotated[bool, typer.Option("--detail", help="One line per file")] = False,
) -> None:
    """Character similarity of extracted text to the true text, per kind of document."""
    from evaluation.extract import evaluate_extraction, render_table, to_json

    check_format(format, ("json", "text"))
    if not folder.is_dir():
        fail(f"{folder}: no such folder")
    scores = evaluate_extraction(folder)
    _echo_eval(format, to_json(scores), lambda: render_table(scores, detail=detail))


@eval_app.command("compare")
def eval_compare(
    folder: Annotated[
        Path, typer.Argument(help="Pair folders, each with old, new and expected.json")
    ] = evaluation.PAIRS,
    format: FormatOption = "text",
    config: ConfigOption = None,
) -> None:
    """Changes found by compare against the expected counts and numbers of each pair."""
    from alerts.match.matcher import Matcher
    from alerts.positions import load_positions
    from evaluation.compare import evaluate_compare, render_table, to_json

    check_format(format, ("json", "text"))
    if not folder.is_dir():
        fail(f"{folder}: no such folder")
    try:
        scores = evaluate_compare(folder, Matcher(load_positions(positions_path(config))))
    except ValueError as exc:  # a malformed expected.json, named in the message
        fail(str(exc))
    _echo_eval(format, to_json(scores), lambda: render_table(scores))


@eval_app.command("match")
def eval_match(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help=f"Labelled changes, JSON Lines (default {evaluation.CHANGES})"),
    ] = None,
    split: Annotated[str, typer.Option(help="dev, held-out, feedback or all")] = "all",
    min_severity: Annotated[
        str, typer.Option("--min-severity", help="Count flags of this severity and above")
    ] = "low",
    errors: Annotated[bool, typer.Option("--errors", help="One line per wrong case")] = False,
    format: FormatOption = "text",
    config: ConfigOption = None,
) -> None:
    """Precision, recall and F1 of position flags on labelled changes: overall, per
    language, per split and per position."""
    from alerts.match.matcher import Matcher
    from alerts.positions import load_positions
    from evaluation.labelled_changes import load_sets
    from evaluation.match import evaluate_matching, render_table, to_json
    from tracker.kinds import Severity

    check_format(format, ("json", "text"))
    check_choice("--split", split, ("dev", "held-out", "feedback", "all"))
    check_choice("--min-severity", min_severity, tuple(Severity))
    try:
        cases = load_sets(files or [evaluation.CHANGES], split)
    except ValueError as exc:  # a missing file, a bad line, an empty split, an id used twice
        fail(str(exc))
    results = evaluate_matching(
        cases, Matcher(load_positions(positions_path(config))), min_severity
    )
    _echo_eval(format, to_json(results), lambda: render_table(results, errors=errors))


@eval_app.command("crosscheck")
def eval_crosscheck(
    folder: Annotated[
        Path, typer.Argument(help="Folder with cases.json and the language versions it names")
    ] = evaluation.CROSSCHECK,
    case: Annotated[list[str] | None, typer.Option("--case", help="Only these case ids")] = None,
    format: FormatOption = "text",
    timeout: TimeoutOption = None,
) -> None:
    """Precision and recall of the cross-language check on labelled pairs: numbers that
    disagree and provisions missing on one side."""
    from evaluation.crosscheck import evaluate_crosscheck, render_table, to_json

    check_format(format, ("json", "text"))
    if not folder.is_dir():
        fail(f"{folder}: no such folder")
    try:
        timeout_s = reading_timeout(None, timeout)
        scores = evaluate_crosscheck(folder, lambda p: read_file(p, timeout_s), case)
    except ValueError as exc:  # a malformed cases.json, named in the message
        fail(str(exc))
    _echo_eval(format, to_json(scores), lambda: render_table(scores))


@eval_app.command("realworld")
def eval_realworld(
    cases_file: Annotated[
        Path, typer.Argument(help="cases.json naming repository, commits and path of each pair")
    ] = evaluation.REALWORLD,
    mirror: Annotated[
        Path, typer.Option("--mirror", help="Folder of fetched snapshots (owner+name/repo)")
    ] = Path("/work/.mirror"),
    case: Annotated[list[str] | None, typer.Option("--case", help="Only these case ids")] = None,
    detail: Annotated[bool, typer.Option("--detail", help="What each case got wrong")] = False,
    format: FormatOption = "text",
    config: ConfigOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Real legislation version pairs rendered from fetched git snapshots: changes named by
    their section, renumberings found, false number pairs, dates read as durations, units
    named exactly."""
    from evaluation.realworld import evaluate_realworld, load_cases, render_table, to_json

    check_format(format, ("json", "text"))
    try:
        cases = load_cases(cases_file)
    except ValueError as exc:  # a missing or malformed cases.json, named in the message
        fail(str(exc))
    if case and not set(case) <= {c.id for c in cases}:
        fail(f"no such case: {sorted(set(case) - {c.id for c in cases})[0]!r}")
    timeout_s = reading_timeout(config, timeout)
    scores = evaluate_realworld(cases, mirror, lambda p: read_file(p, timeout_s), case)
    for s in scores:
        if s.skipped:
            typer.echo(f"skipped {s.id}: {s.skipped} (fetch the repository first)", err=True)
    _echo_eval(format, to_json(scores), lambda: render_table(scores, detail=detail))


@eval_app.command("metamorphic")
def eval_metamorphic(
    folder: Annotated[
        Path, typer.Argument(help="The bed: expected.json and the typeset files")
    ] = evaluation.METAMORPHIC,
    format: FormatOption = "text",
    failures: Annotated[bool, typer.Option("--failures", help="List every failing pair")] = False,
) -> None:
    """Same text typeset many ways -> no change; one generated edit -> exactly that change."""
    from evaluation.metamorphic import evaluate_metamorphic, render_table, to_json

    check_format(format, ("json", "text"))
    if not (folder / "expected.json").is_file():
        fail(f"{folder}: no expected.json (build it with tests/fixtures/make_metamorphic.py)")
    try:
        results = evaluate_metamorphic(folder)
    except ValueError as exc:
        fail(str(exc))
    _echo_eval(format, to_json(results), lambda: render_table(results, failures=failures))


@eval_app.command("export-feedback")
def eval_export_feedback(
    out: Annotated[Path, typer.Option("--out", "-o", help="JSON Lines file to write")],
    config: ConfigOption = None,
) -> None:
    """Write officers' triage of flags as labelled changes for `sptrack eval match`."""
    from alerts.match.verdicts import export_feedback

    rt = runtime(config)
    with rt.session() as s, out.open("w", encoding="utf-8") as stream:
        report = export_feedback(s, stream)
    typer.echo(
        f"{report.exported} labelled changes written to {out}; "
        f"{report.incomplete} triaged changes skipped (a flag not judged yet)"
    )


def _echo_eval(format: str, data: object, table: Callable[[], str]) -> None:
    """An evaluation's result: its JSON with ``--format json``, else its table."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2) if format == "json" else table())
